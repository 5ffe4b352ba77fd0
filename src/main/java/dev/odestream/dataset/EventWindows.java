package dev.odestream.dataset;

import dev.odestream.model.DataSpec;
import dev.odestream.model.LevelRule;
import dev.odestream.model.Window;
import dev.odestream.stream.Event;
import dev.odestream.stream.SeriesModel;

import java.util.List;

/**
 * Cuts a series' events into the {@link Window}s the model trains and is scored on, in the model's units: times in
 * model time units since the window's first event (the dynamics do not depend on absolute time, and small numbers
 * keep the solver's step control exact), values through the model's {@link DataSpec}. The worker's buffer and the
 * {@code train --data} command both cut windows here, so a model trained on a file and one retrained online see the
 * same windows of the same events.
 *
 * <p>With a {@link LevelRule} in the spec, a window's target values are departures from the series' level at the last
 * context event ({@link SeriesModel#level}, over the events of the whole series up to it, as the engine's ring holds
 * them), which is what the engine adds back to the decoder's output when it serves; context values stay as they are.
 */
public final class EventWindows {

    private EventWindows() {
    }

    /**
     * One window: the first {@code context} events are its context (the encoder reads them), every later one with
     * values is a target, and every later one after the last context event counts as an event of its type.
     *
     * @param events a stretch of one series, in time order, more than {@code context} of them. Not modified.
     * @param context context events, at least 1
     * @param spec the model's units
     */
    public static Window window(List<Event> events, int context, DataSpec spec) {
        return window(events, 0, events.size(), context, spec);
    }

    /**
     * One window cut from a longer series, so that the level at its last context event reads the events before the
     * window too: events {@code from} to {@code to - 1} of {@code series}, as {@link #window(List, int, DataSpec)}.
     *
     * @param series the series' events in time order. Not modified.
     * @param from the window's first event
     * @param to one past its last
     * @param context context events, at least 1, fewer than {@code to - from}
     * @param spec the model's units and level rule
     */
    public static Window window(List<Event> series, int from, int to, int context, DataSpec spec) {
        List<Event> events = series.subList(from, to);
        if (context < 1 || events.size() <= context) {
            throw new IllegalArgumentException("need 1 <= context < events, got " + context + " of "
                    + events.size());
        }
        LevelRule.Level level = new LevelRule.Level(spec.level(), spec.observationDim());
        SeriesModel.level(series, from + context, spec, level);
        long origin = events.getFirst().timeMs();
        Window.Builder b = Window.builder();
        for (int i = 0; i < context; i++) {
            Event e = events.get(i);
            b.context(time(e, origin, spec), values(e, spec), e.mask(), e.type());
        }
        double tau = time(events.get(context - 1), origin, spec);
        for (int i = context; i < events.size(); i++) {
            Event e = events.get(i);
            double t = time(e, origin, spec);
            if (!e.isPoint()) {
                b.target(t, departures(values(e, spec), e.mask(), level), e.mask());
            }
            if (t > tau) {
                b.event(t, e.type());
            }
        }
        return b.end(time(events.getLast(), origin, spec)).build();
    }

    private static double[] departures(double[] values, boolean[] mask, LevelRule.Level level) {
        for (int d = 0; d < values.length; d++) {
            if (mask == null || mask[d]) {
                values[d] -= level.get(d);
            }
        }
        return values;
    }

    private static double time(Event e, long originMs, DataSpec spec) {
        return (e.timeMs() - originMs) / spec.timeUnitMs();
    }

    private static double[] values(Event e, DataSpec spec) {
        return e.isPoint() ? null : spec.valuesToModel(e.values(), e.mask());
    }
}
