package dev.odestream.dataset;

import dev.odestream.stream.Event;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.NoSuchElementException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class DatasetTest {

    private static KeyedEvent row(String key, long timeMs, double... values) {
        return new KeyedEvent(key, Event.of(timeMs, values));
    }

    @Test
    void shouldGroupByKeyAndSortEachSeriesStably() {
        Dataset data = Dataset.of(List.of(row("b", 5, 1), row("a", 9, 1), row("b", 1, 2), row("b", 5, 3),
                row("a", 3, 4)), List.of("x"));
        assertEquals(List.of("a", "b"), data.keys());
        assertEquals(List.of(Event.of(3, 4), Event.of(9, 1)), data.series("a"));
        assertEquals(List.of(Event.of(1, 2), Event.of(5, 1), Event.of(5, 3)), data.series("b"));
        assertEquals(5, data.eventCount());
        assertThrows(NoSuchElementException.class, () -> data.series("c"));
    }

    @Test
    void shouldRefuseMixedDimensionsAndNoEvents() {
        assertThrows(IllegalArgumentException.class, () -> Dataset.of(List.of(row("a", 1, 1, 2)), List.of("x")));
        assertThrows(IllegalArgumentException.class, () -> Dataset.of(List.of(), List.of()));
    }

    @Test
    void shouldSummariseSizesSpanGapsAndMissingValues() {
        KeyedEvent masked = new KeyedEvent("a", new Event(10, new double[] {0, 1}, new boolean[] {false, true}, 0));
        List<KeyedEvent> rows = List.of(row("a", 0, 1, 1), masked, new KeyedEvent("a", Event.point(40, 0)),
                row("b", 5, 2, 2), row("b", 5, 3, 3), row("c", 100, 0, 0));
        DatasetSummary summary = Dataset.of(rows, List.of()).summary();
        assertEquals(new DatasetSummary(3, 6, 1, 1, 2, List.of("v0", "v1"), Instant.ofEpochMilli(0),
                Instant.ofEpochMilli(100), new GapQuantiles(3, ms(0), ms(0), ms(10), ms(30), ms(30))), summary);
        assertEquals("""
                3 series, 6 events (1 point events), dimension 2 [v0, v1], 1 values missing
                time 1970-01-01T00:00:00Z to 1970-01-01T00:00:00.100Z
                3 gaps: min 0ms, p10 0ms, median 10ms, p90 30ms, max 30ms""", summary.describe());
    }

    @Test
    void shouldTakeNearestRankQuantilesOfTheGaps() {
        long[] gaps = new long[20];
        for (int i = 0; i < gaps.length; i++) {
            gaps[i] = 20 - i;
        }
        assertEquals(new GapQuantiles(20, ms(1), ms(2), ms(10), ms(18), ms(20)), GapQuantiles.of(gaps));
        assertEquals(new GapQuantiles(0, ms(0), ms(0), ms(0), ms(0), ms(0)), GapQuantiles.of(new long[0]));
    }

    @Test
    void shouldPrintDurationsInTheLargestUnitTheyReach() {
        assertEquals("356d", DatasetSummary.human(Duration.ofDays(356)));
        assertEquals("1.5h", DatasetSummary.human(Duration.ofMinutes(90)));
        assertEquals("2min", DatasetSummary.human(Duration.ofMinutes(2)));
        assertEquals("999ms", DatasetSummary.human(Duration.ofMillis(999)));
    }

    private static Duration ms(long millis) {
        return Duration.ofMillis(millis);
    }
}
