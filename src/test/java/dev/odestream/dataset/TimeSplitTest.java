package dev.odestream.dataset;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.function.ToLongFunction;
import java.util.stream.LongStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TimeSplitTest {

    private static final ToLongFunction<Long> TIME = Long::longValue;

    private static List<Long> times(long... t) {
        return LongStream.of(t).boxed().toList();
    }

    @Test
    void shouldCutTenEventsSevenOneTwo() {
        TimeSplit.Parts<Long> parts = TimeSplit.DEFAULT.split(times(1, 2, 3, 4, 5, 6, 7, 8, 9, 10), TIME)
                .orElseThrow();
        assertEquals(times(1, 2, 3, 4, 5, 6, 7), parts.train());
        assertEquals(times(8), parts.validation());
        assertEquals(times(9, 10), parts.test());
        assertEquals(times(1, 2, 3, 4, 5, 6, 7, 8), parts.beforeTest());
    }

    @Test
    void shouldHoldOutAtLeastOneAndKeepAHead() {
        TimeSplit.Parts<Long> parts = TimeSplit.DEFAULT.split(times(1, 2, 3), TIME).orElseThrow();
        assertEquals(times(1, 2), parts.train());
        assertEquals(times(), parts.validation());
        assertEquals(times(3), parts.test());
        TimeSplit greedy = new TimeSplit(0.45, 0.5, 2);
        TimeSplit.Parts<Long> two = greedy.split(times(1, 2), TIME).orElseThrow();
        assertEquals(List.of(times(1), times(), times(2)), List.of(two.train(), two.validation(), two.test()));
    }

    @Test
    void shouldLeaveOutSeriesWithFewerThanMinEvents() {
        assertEquals(Optional.empty(), TimeSplit.DEFAULT.split(times(1, 2), TIME));
        Map<String, TimeSplit.Parts<Long>> all = TimeSplit.DEFAULT.splitAll(Map.of("short", times(1, 2), "long",
                times(1, 2, 3)), TIME);
        assertEquals(List.of("long"), List.copyOf(all.keySet()));
    }

    @Test
    void shouldMoveABoundaryBeforeTiedEvents() {
        TimeSplit.Parts<Long> parts = TimeSplit.DEFAULT.split(times(1, 2, 3, 4, 5, 6, 7, 8, 9, 9), TIME)
                .orElseThrow();
        assertEquals(times(9, 9), parts.test());
        parts = TimeSplit.DEFAULT.split(times(1, 2, 3, 4, 5, 6, 7, 8, 8, 10), TIME).orElseThrow();
        assertEquals(times(8, 8, 10), parts.test(), "the tied 8s go to the test part together");
        assertEquals(times(), parts.validation());
        assertFalse(TimeSplit.DEFAULT.split(times(5, 5, 5, 5), TIME).isPresent(), "no head is left");
    }

    @Test
    void shouldNeverLeakTheFutureIntoAnEarlierPart() {
        Random random = new Random(7);
        TimeSplit split = new TimeSplit(0.15, 0.25, 2);
        for (int trial = 0; trial < 2_000; trial++) {
            List<Long> series = new ArrayList<>();
            long t = 0;
            for (int i = random.nextInt(1, 40); i > 0; i--) {
                t += random.nextInt(3); // gaps of 0 make ties
                series.add(t);
            }
            split.split(series, TIME).ifPresent(p -> {
                assertFalse(p.train().isEmpty());
                assertFalse(p.test().isEmpty());
                assertEquals(series, concat(p.train(), p.validation(), p.test()), "kept in order, nothing lost");
                assertTrue(p.train().getLast() < first(p.validation(), p.test()));
                p.validation().forEach(v -> assertTrue(v < p.test().getFirst()));
            });
        }
    }

    @Test
    void shouldRejectUnsortedSeriesAndBadFractions() {
        assertThrows(IllegalArgumentException.class, () -> TimeSplit.DEFAULT.split(times(1, 3, 2), TIME));
        assertThrows(IllegalArgumentException.class, () -> new TimeSplit(0.5, 0.5, 3));
        assertThrows(IllegalArgumentException.class, () -> new TimeSplit(0, 0, 3));
        assertThrows(IllegalArgumentException.class, () -> new TimeSplit(0, 0.2, 1));
    }

    private static long first(List<Long> validation, List<Long> test) {
        return validation.isEmpty() ? test.getFirst() : validation.getFirst();
    }

    @SafeVarargs
    private static List<Long> concat(List<Long>... parts) {
        List<Long> all = new ArrayList<>();
        for (List<Long> p : parts) {
            all.addAll(p);
        }
        return all;
    }
}
