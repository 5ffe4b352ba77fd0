package dev.odestream.bench;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SoakVerdictTest {

    private static final SoakVerdict.Limits LIMITS = new SoakVerdict.Limits(0.10, 1.5, 1_000);
    private static final SoakVerdict.Errors NONE = new SoakVerdict.Errors(0, 0, 0, 0, 0, 0, 0);

    private static SoakVerdict.Sample sample(int index, double heap, double updateP99, double queryP99,
                                             long backlog, SoakVerdict.Errors errors) {
        return new SoakVerdict.Sample(index, 1000, backlog, heap, updateP99, 1.0, queryP99, 12_000, errors);
    }

    private static Map<String, Boolean> verdict(SoakVerdict.Sample... samples) {
        return SoakVerdict.judge(List.of(samples), LIMITS).stream()
                .collect(Collectors.toMap(SoakVerdict.Check::name, SoakVerdict.Check::passed));
    }

    @Test
    void shouldPassASteadyRunAndJudgeFirstAgainstLast() {
        Map<String, Boolean> v = verdict(sample(1, 200, 1.0, 4.0, 10, NONE), sample(2, 400, 9.0, 40.0, 5_000, NONE),
                sample(3, 219, 1.4, 5.9, 900, NONE));
        assertEquals(Map.of("heap", true, "errors", true, "update p99", true, "query p99", true, "backlog", true), v);
    }

    @Test
    void shouldFailOnHeapGrowthSlowerP99OrABacklog() {
        assertFalse(verdict(sample(1, 200, 1, 4, 0, NONE), sample(2, 221, 1, 4, 0, NONE)).get("heap"));
        assertFalse(verdict(sample(1, 200, 1, 4, 0, NONE), sample(2, 200, 1.6, 4, 0, NONE)).get("update p99"));
        assertFalse(verdict(sample(1, 200, 1, 4, 0, NONE), sample(2, 200, 1, 6.1, 0, NONE)).get("query p99"));
        assertFalse(verdict(sample(1, 200, 1, 4, 0, NONE), sample(2, 200, 1, Double.NaN, 0, NONE)).get("query p99"));
        assertFalse(verdict(sample(1, 200, 1, 4, 0, NONE), sample(2, 200, 1, 4, 1_001, NONE)).get("backlog"));
    }

    @Test
    void shouldFailOnAnyErrorInAnyInterval() {
        SoakVerdict.Errors oneLate = new SoakVerdict.Errors(0, 0, 0, 1, 0, 0, 0);
        Map<String, Boolean> v = verdict(sample(1, 200, 1, 4, 0, NONE), sample(2, 200, 1, 4, 0, oneLate),
                sample(3, 200, 1, 4, 0, NONE));
        assertFalse(v.get("errors"));
        assertTrue(v.get("heap"));
        assertEquals(7, new SoakVerdict.Errors(1, 1, 1, 1, 1, 1, 1).total());
    }

    @Test
    void shouldFailEverythingWithFewerThanTwoIntervals() {
        List<SoakVerdict.Check> checks = SoakVerdict.judge(List.of(sample(1, 200, 1, 4, 0, NONE)), LIMITS);
        assertEquals(5, checks.size());
        assertFalse(SoakVerdict.passed(checks));
    }
}
