package dev.odestream.dataset;

import dev.odestream.model.DataSpec;
import dev.odestream.model.ValueTransform;
import dev.odestream.model.Window;
import dev.odestream.stream.Event;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

class EventWindowsTest {

    private static final long DAY = 86_400_000L;
    private static final DataSpec SPEC = new DataSpec(List.of("bili", "albumin"), List.of("visit", "call"), DAY,
            List.of(new ValueTransform(0.0, 2.0, true), new ValueTransform(3.0, 0.5, false)));

    @Test
    void shouldCutAWindowInModelUnits() {
        long t0 = 1_000_000_000_000L;
        List<Event> events = List.of(Event.of(t0, Math.E, 3.5),
                new Event(t0 + 2 * DAY, new double[] {1.0, 99.0}, new boolean[] {true, false}, 0),
                Event.point(t0 + 3 * DAY, 1), Event.of(t0 + 5 * DAY, Math.exp(4), 2.0));

        Window w = EventWindows.window(events, 2, SPEC);

        assertArrayEquals(new double[] {0, 2}, w.contextTimes(), 0.0);
        assertArrayEquals(new double[] {0.5, 1.0}, w.contextValues()[0], 1e-15);
        assertEquals(99.0, w.contextValues()[1][1], 0.0, "a missing value is not transformed");
        assertArrayEquals(new double[] {5}, w.targetTimes(), 0.0, "the point event is no target");
        assertArrayEquals(new double[] {2.0, -2.0}, w.targetValues()[0], 1e-12);
        assertArrayEquals(new double[] {3, 5}, w.eventTimes(), 0.0);
        assertArrayEquals(new int[] {1, 0}, w.eventTypes());
        assertEquals(2.0, w.tau(), 0.0);
        assertNull(w.contextMasks()[0]);
    }

    @Test
    void shouldRefuseAWindowWithNothingAfterTheContext() {
        List<Event> two = List.of(Event.of(0, 1, 1), Event.of(DAY, 1, 1));
        assertThrows(IllegalArgumentException.class, () -> EventWindows.window(two, 2, SPEC));
    }
}
