package dev.odestream.dataset;

import dev.odestream.dataset.BadRowException.Reason;
import dev.odestream.stream.Event;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static dev.odestream.dataset.Rows.assertBad;
import static dev.odestream.dataset.Rows.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class JsonLinesReaderTest {

    private static final String GOOD = "{\"key\": \"a\", \"time\": 1, \"values\": [1, 2]}";

    @Test
    void shouldReadEveryFormOfEventTheTopicAccepts() throws IOException {
        Dataset data = json(OnBadRow.FAIL,
                "{\"key\": \"a\", \"time\": 20, \"values\": [1.5, 0], \"mask\": [true, false], \"type\": 2}",
                "",
                "{\"time\": \"1970-01-01T00:00:00.010+00:00\", \"values\": [3, 4], \"key\": \"a\"}",
                "{\"key\": \"b\", \"time\": -5, \"values\": null, \"type\": 1}").dataset();
        assertEquals(List.of("a", "b"), data.keys());
        assertEquals(List.of(Event.of(10, 3, 4), new Event(20, new double[] {1.5, 0}, new boolean[] {true, false}, 2)),
                data.series("a"));
        assertEquals(List.of(Event.point(-5, 1)), data.series("b"));
        assertEquals(List.of("v0", "v1"), data.valueNames());
    }

    @Test
    void shouldNameTheLineAndReasonOfEachKindOfBadRow() {
        assertBad(2, Reason.MALFORMED_JSON, "", () -> json(OnBadRow.FAIL, GOOD, "{\"key\": \"a\", \"time\": 1,"));
        assertBad(3, Reason.MALFORMED_JSON, "", () -> json(OnBadRow.FAIL, GOOD, "", GOOD + " {}"));
        assertBad(1, Reason.NOT_AN_EVENT, "ARRAY", () -> json(OnBadRow.FAIL, "[1, 2]"));
        assertBad(1, Reason.NOT_AN_EVENT, "unknown field 'value'",
                () -> json(OnBadRow.FAIL, "{\"key\": \"a\", \"time\": 1, \"value\": [1]}"));
        assertBad(1, Reason.BAD_KEY, "no 'key' field", () -> json(OnBadRow.FAIL, "{\"time\": 1, \"values\": null}"));
        assertBad(1, Reason.BAD_KEY, "non-empty string",
                () -> json(OnBadRow.FAIL, "{\"key\": 7, \"time\": 1, \"values\": null}"));
        assertBad(1, Reason.BAD_KEY, "non-empty string",
                () -> json(OnBadRow.FAIL, "{\"key\": \"\", \"time\": 1, \"values\": null}"));
    }

    @Test
    void shouldCallNonFiniteValuesAndBadTimesByName() {
        assertBad(2, Reason.NON_FINITE, "$.values[1]",
                () -> json(OnBadRow.FAIL, GOOD, "{\"key\": \"a\", \"time\": 2, \"values\": [1, NaN]}"));
        assertBad(1, Reason.NON_FINITE, "$.values[0]",
                () -> json(OnBadRow.FAIL, "{\"key\": \"a\", \"time\": 2, \"values\": [1e400]}"));
        assertBad(1, Reason.BAD_TIME, "missing required field 'time'",
                () -> json(OnBadRow.FAIL, "{\"key\": \"a\", \"values\": [1]}"));
        assertBad(1, Reason.BAD_TIME, "offset",
                () -> json(OnBadRow.FAIL, "{\"key\": \"a\", \"time\": \"2025-01-01T00:00:00\", \"values\": [1]}"));
        assertBad(1, Reason.BAD_TIME, "$.time",
                () -> json(OnBadRow.FAIL, "{\"key\": \"a\", \"time\": Infinity, \"values\": [1]}"));
    }

    @Test
    void shouldHoldEveryRowWithValuesToTheDimensionOfTheFirst() throws IOException {
        String point = "{\"key\": \"b\", \"time\": 1, \"values\": null}";
        String three = "{\"key\": \"b\", \"time\": 2, \"values\": [1, 2, 3]}";
        assertBad(3, Reason.DIMENSION_MISMATCH, "3 values, but line 1 has 2",
                () -> json(OnBadRow.FAIL, GOOD, point, three));
        assertEquals(2, json(OnBadRow.FAIL, point, GOOD).dataset().dimension());
    }

    @Test
    void shouldSkipAndCountBadRowsWhenAskedTo() throws IOException {
        ReadResult read = json(OnBadRow.SKIP, GOOD, "oops", "{\"key\": \"a\", \"time\": 3, \"values\": [1]}",
                "{\"time\": 1, \"values\": null}", "not json either",
                "{\"key\": \"a\", \"time\": 2, \"values\": [5, 6]}");
        assertEquals(6, read.rows());
        assertEquals(4, read.skippedRows());
        assertEquals(Map.of(Reason.MALFORMED_JSON, 2, Reason.DIMENSION_MISMATCH, 1, Reason.BAD_KEY, 1),
                read.skippedByReason());
        assertEquals(List.of(2, 3, 4, 5), read.firstSkipped().stream().map(BadRowException::line).toList());
        assertEquals(List.of(Event.of(1, 1, 2), Event.of(2, 5, 6)), read.dataset().series("a"));
    }

    @Test
    void shouldRefuseAFileWithNoEvents() {
        IOException none = assertThrows(IOException.class, () -> json(OnBadRow.SKIP, "", "bad"));
        assertTrue(none.getMessage().contains("no events (1 rows, 1 skipped)"), none.getMessage());
    }

    @Test
    void shouldKeepMillisecondsOfAnIsoTime() throws IOException {
        String line = "{\"key\": \"k\", \"time\": \"2000-01-01T01:00:00.1239+01:00\", \"values\": null}";
        Event e = json(OnBadRow.FAIL, line).dataset().series("k").getFirst();
        assertEquals(Instant.parse("2000-01-01T00:00:00.123Z").toEpochMilli(), e.timeMs());
    }
}
