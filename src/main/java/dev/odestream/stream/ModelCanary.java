package dev.odestream.stream;

import dev.odestream.model.ValueTransform;
import dev.odestream.model.checkpoint.LoadedModel;
import dev.odestream.model.checkpoint.ModelRejectedException;
import dev.odestream.ode.Finite;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs a checkpoint that passed every static check before it may replace the model in use: on a fixed probe series
 * built from the model's data spec, then on the rings of the live series of {@link CanarySample}. Every state must be
 * finite and every forecast must come from the model itself, finite, with no recovery ({@link SeriesModel.Recovery}):
 * a model that the engine would have to rescue with the baseline on its first series is refused instead, and the one
 * in use stays. Finite parameters can still make a model that cannot be run (all of them times 1e150: every solve
 * underflows its step), which no decoding check sees.
 *
 * <p>The probe makes the verdict on a restart (when the sample is still empty) the same as on the first reading for
 * any model that fails on ordinary data.
 */
final class ModelCanary {

    /** Events of the probe series. */
    static final int PROBE_EVENTS = 8;
    private static final long PROBE_START_MS = Instant.parse("2025-01-01T00:00:00Z").toEpochMilli();

    private final EngineConfig config;
    private final CanarySample sample;

    ModelCanary(EngineConfig config, CanarySample sample) {
        this.config = config;
        this.sample = sample;
    }

    /**
     * @param candidate a checkpoint that passed the static checks
     * @throws ModelRejectedException naming the series and what failed
     */
    void check(LoadedModel candidate) throws ModelRejectedException {
        if (candidate.isBaseline()) {
            return;
        }
        SeriesModel model = config.seriesModel(candidate);
        run(model, "the probe series", () -> probe(model));
        List<SeriesSnapshot> live = sample.snapshots();
        for (int i = 0; i < live.size(); i++) {
            SeriesSnapshot s = live.get(i);
            run(model, "live series " + (i + 1) + " of " + live.size(), () -> reencoded(model, s));
        }
    }

    private interface Series {
        SeriesSnapshot get() throws ModelRejectedException;
    }

    private void run(SeriesModel model, String which, Series series) throws ModelRejectedException {
        try {
            SeriesSnapshot s = series.get();
            SeriesModel.Answer answer = model.answer(s, times(s.lastTimeMs()));
            if (answer.recovery() != SeriesModel.Recovery.NONE || answer.source() != Source.MODEL) {
                throw new ModelRejectedException("canary: version " + model.version() + " cannot forecast "
                        + which + " (" + answer.recovery().tag() + ")");
            }
        } catch (RuntimeException e) {
            throw new ModelRejectedException("canary: version " + model.version() + " fails on " + which + ": "
                    + e, e);
        }
    }

    private long[] times(long tau) {
        long[] horizons = config.horizonsMs();
        long[] times = new long[horizons.length + 1];
        times[0] = tau;
        for (int i = 0; i < horizons.length; i++) {
            times[i + 1] = tau + horizons[i];
        }
        return times;
    }

    /** Folds the probe's events in one by one, as live events would be; each must need no recovery. */
    private SeriesSnapshot probe(SeriesModel model) throws ModelRejectedException {
        SeriesSnapshot s = null;
        for (Event e : probeEvents(model)) {
            if (!(model.update(s, e) instanceof SeriesModel.Updated updated)
                    || updated.recovery() != SeriesModel.Recovery.NONE) {
                throw new ModelRejectedException("canary: version " + model.version() + " cannot fold in the"
                        + " probe series' events");
            }
            s = updated.snapshot();
        }
        return s;
    }

    /**
     * Values that sweep the model's own range (its transform of sin k), every dimension present, event types in turn,
     * gaps of half to two and a half model time units.
     */
    private static List<Event> probeEvents(SeriesModel model) {
        LoadedModel loaded = model.loaded();
        ValueTransform[] transforms = loaded.spec().transforms().toArray(ValueTransform[]::new);
        double unitMs = loaded.spec().timeUnitMs();
        int types = Math.max(1, loaded.config().eventTypes());
        List<Event> events = new ArrayList<>(PROBE_EVENTS);
        long t = PROBE_START_MS;
        for (int k = 0; k < PROBE_EVENTS; k++) {
            double[] values = new double[transforms.length];
            for (int d = 0; d < values.length; d++) {
                values[d] = transforms[d].toValue(Math.sin(k + d));
            }
            events.add(values.length == 0 ? Event.point(t, k % types) : new Event(t, values, null, k % types));
            t += Math.max(1, Math.round(unitMs * (0.5 + k % 3)));
        }
        return events;
    }

    private static SeriesSnapshot reencoded(SeriesModel model, SeriesSnapshot s) throws ModelRejectedException {
        SeriesSnapshot fresh = model.reencode(s);
        if (!Finite.all(fresh.hidden()) || !Finite.all(fresh.baseHidden())) {
            throw new ModelRejectedException("canary: version " + model.version() + " gives a non-finite state");
        }
        return fresh;
    }
}
