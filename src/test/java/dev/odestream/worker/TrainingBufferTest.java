package dev.odestream.worker;

import dev.odestream.model.Window;
import dev.odestream.stream.Event;
import dev.odestream.model.DataSpec;
import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TrainingBufferTest {

    private static final long T0 = 1_763_900_000_000L;

    @Test
    void shouldKeepAtMostMaxSeriesOfAtMostMaxEventsDroppingTheLeastRecentlyUpdatedSeries() {
        TrainingBuffer buffer = new TrainingBuffer(new WorkerConfig.BufferSettings(3, 5, 2, 1));
        for (int i = 0; i < 30; i++) {
            buffer.add("s" + i % 3, Event.of(T0 + 1000L * i, i));
        }
        assertEquals(3, buffer.seriesCount());
        assertEquals(15, buffer.eventCount());
        List<Event> s2 = buffer.events("s2");
        assertEquals(List.of(14.0, 17.0, 20.0, 23.0, 26.0, 29.0).subList(1, 6),
                s2.stream().map(e -> e.values()[0]).toList(), "the newest events stay");
        buffer.add("new", Event.of(T0, 0));
        assertEquals(3, buffer.seriesCount());
        assertTrue(buffer.events("s0").isEmpty(), "s0 was updated least recently");
        assertEquals(5, buffer.events("s1").size());
    }

    @Test
    void shouldInsertAnOutOfOrderEventInTimeOrder() {
        TrainingBuffer buffer = new TrainingBuffer(new WorkerConfig.BufferSettings(1, 4, 1, 1));
        buffer.add("a", Event.of(T0, 0));
        buffer.add("a", Event.of(T0 + 2000, 2));
        buffer.add("a", Event.of(T0 + 1000, 1));
        assertEquals(List.of(T0, T0 + 1000, T0 + 2000), buffer.events("a").stream().map(Event::timeMs).toList());
    }

    @Test
    void shouldHoldOutTheNewestWindowOfEachSeriesAndTrainOnlyOnEarlierEvents() {
        TrainingBuffer buffer = new TrainingBuffer(new WorkerConfig.BufferSettings(10, 12, 3, 2));
        for (int s = 0; s < 3; s++) {
            for (int i = 0; i < 11; i++) {
                buffer.add("s" + s, Event.of(T0 + 1000L * i + s, 10 * s + i));
            }
        }
        buffer.add("short", Event.of(T0, 1));
        TrainingBuffer.Split split = buffer.split(DataSpec.identity(1, 1));
        assertEquals(3, split.heldOut().size());
        assertEquals(3, split.training().size(), "11 events: 5 held out, one training window of 5, one left over");
        Set<Double> trained = new HashSet<>();
        for (Window w : split.training()) {
            assertEquals(3, w.contextCount());
            assertEquals(2, w.targetCount());
            assertEquals(0.0, w.contextTimes()[0], "times relative to the window's first event");
            for (double[] v : w.contextValues()) {
                trained.add(v[0]);
            }
            for (double[] v : w.targetValues()) {
                trained.add(v[0]);
            }
        }
        for (List<Event> held : split.heldOutEvents()) {
            for (Event e : held) {
                assertTrue(!trained.contains(e.values()[0]), "held-out event " + e + " was trained on");
            }
        }
        assertEquals(T0 + 1000, split.dataRange().start().toEpochMilli());
        assertEquals(T0 + 5000 + 2, split.dataRange().end().toEpochMilli());
        assertEquals(15, split.dataRange().eventCount());
        assertEquals(6, buffer.windowCount());
    }

    @Test
    void shouldHaveNoDataRangeWithoutTrainingWindows() {
        TrainingBuffer buffer = new TrainingBuffer(new WorkerConfig.BufferSettings(10, 12, 3, 2));
        for (int i = 0; i < 6; i++) {
            buffer.add("a", Event.of(T0 + i, i));
        }
        TrainingBuffer.Split split = buffer.split(DataSpec.identity(1, 1));
        assertEquals(1, split.heldOut().size());
        assertTrue(split.training().isEmpty());
        assertNull(split.dataRange());
    }
}
