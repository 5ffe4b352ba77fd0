package dev.odestream.dataset;

import dev.odestream.stream.Event;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

/**
 * The real data sets of {@code src/test/resources/datasets/} read in both forms. The expected facts were computed in R
 * from the packages' own data (see the README there), not from these files.
 */
class RealDatasetsTest {

    private static final CsvLayout PBCSEQ = CsvLayout.of("key", "time", "bili", "albumin", "chol", "platelet");
    private static final CsvLayout COAL = CsvLayout.of("key", "time");

    private static ReadResult csv(String name, CsvLayout layout) throws IOException {
        try (Reader in = resource(name)) {
            return EventFile.readCsv(name, in, layout, OnBadRow.FAIL);
        }
    }

    private static ReadResult jsonLines(String name) throws IOException {
        try (Reader in = resource(name)) {
            return EventFile.readJsonLines(name, in, OnBadRow.FAIL);
        }
    }

    private static Reader resource(String name) {
        InputStream in = RealDatasetsTest.class.getResourceAsStream("/datasets/" + name);
        assertNotNull(in, name);
        return new InputStreamReader(in, StandardCharsets.UTF_8);
    }

    @Test
    void shouldReadPbcseqAsTheLabValuesOf312Patients() throws IOException {
        ReadResult read = csv("pbcseq.csv", PBCSEQ);
        Instant origin = Instant.parse("2000-01-01T00:00:00Z");
        assertEquals(1945, read.rows());
        assertEquals(new DatasetSummary(312, 1945, 0, 894, 4, List.of("bili", "albumin", "chol", "platelet"), origin,
                origin.plus(Duration.ofDays(5152)), new GapQuantiles(1633, Duration.ofDays(48), Duration.ofDays(179),
                        Duration.ofDays(356), Duration.ofDays(413), Duration.ofDays(2107))), read.dataset().summary());
        List<Event> first = read.dataset().series("patient-001");
        assertEquals(List.of(Event.of(origin.toEpochMilli(), 14.5, 2.6, 261, 190), new Event(origin.plus(
                Duration.ofDays(192)).toEpochMilli(), new double[] {21.3, 2.94, 0, 183}, new boolean[] {true, true,
                    false, true}, 0)), first);
        assertEquals(16, read.dataset().allSeries().values().stream().mapToInt(List::size).max().orElseThrow());
    }

    @Test
    void shouldReadCoalAs191DisastersOnOneSeries() throws IOException {
        ReadResult read = csv("coal.csv", COAL);
        assertEquals(new DatasetSummary(1, 191, 191, 0, 0, List.of(), Instant.parse("1851-03-15T00:00:00Z"),
                Instant.parse("1962-03-22T00:00:00Z"), new GapQuantiles(190, Duration.ZERO, Duration.ofDays(15),
                        Duration.ofDays(113), Duration.ofDays(462), Duration.ofDays(2366))), read.dataset().summary());
    }

    @Test
    void shouldReadTheSameEventsFromJsonLinesAsFromCsv() throws IOException {
        assertEquals(csv("pbcseq.csv", PBCSEQ).dataset().allSeries(), jsonLines("pbcseq.jsonl").dataset().allSeries());
        assertEquals(csv("coal.csv", COAL).dataset().allSeries(), jsonLines("coal.jsonl").dataset().allSeries());
    }
}
