package dev.odestream.worker;

import dev.odestream.model.BaselineForecast;
import dev.odestream.model.Forecast;
import dev.odestream.model.ForecastPoint;
import dev.odestream.model.LatentOdeModel;
import dev.odestream.model.LevelRule;
import dev.odestream.model.SeriesState;
import dev.odestream.model.checkpoint.LoadedModel;
import dev.odestream.stream.Event;
import dev.odestream.stream.SeriesModel;
import dev.odestream.stream.TimeScale;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Runs one model version over arriving events the way the engine does (per series, {@link LatentOdeModel#observe}
 * event by event) and, before folding each event in, scores the forecast the model made for it
 * ({@link LatentOdeModel#forecast} at the event's time). A series it holds no state for is first encoded from the
 * buffered events before the new one, as the engine re-encodes from its ring after a model change.
 *
 * <p>An event is scored only once its series has {@code minContext} events folded in: the held-out reference a model
 * is promoted with ({@link #score(List, int)}) is measured after the same context, so live and reference errors
 * compare like with like, and a young series' first forecasts, made from one or two events, do not count as drift.
 * Errors are on the model's scale (values through the model's {@link dev.odestream.model.DataSpec}), so dimensions
 * of different units pool fairly. A model with a level rule is scored with the level of the series' recent events
 * added to its mean, and a calibrated one with its calibration, as the engine serves them.
 *
 * <p>With no model yet ({@link LoadedModel#isBaseline}) nothing is scored live ({@link #next} answers {@code null}),
 * and {@link #score(List, int)} scores the {@link BaselineForecast} over the events before each one, on the scale of
 * the version's spec, so that a first model can be judged against the baseline in the same terms.
 *
 * <p>States are kept for at most {@code maxSeries} series, the least recently used leaving first. Not thread-safe.
 */
public final class OnlineScorer {

    private static final double LOG_2PI = Math.log(2 * Math.PI);

    private final LoadedModel loaded;
    private final LatentOdeModel model;
    private final TimeScale scale;
    private final Map<String, Tracked> states;
    private final LevelRule.Level level;
    private final double[] values;
    private final boolean[] mask;
    private final double[] time = new double[1];
    private final int minContext;
    private final Forecast forecast;

    /**
     * @param loaded the model version
     * @param scale event time to model time, the engine's; its unit is replaced by the model's own
     * @param maxSeries series whose state is kept
     * @param minContext events a series must have before its next event is scored, at least 1
     */
    public OnlineScorer(LoadedModel loaded, TimeScale scale, int maxSeries, int minContext) {
        if (minContext < 1) {
            throw new IllegalArgumentException("need minContext >= 1, got " + minContext);
        }
        this.minContext = minContext;
        this.loaded = loaded;
        this.model = loaded.isBaseline() ? null : loaded.instantiate();
        this.scale = scale.withUnitMs(loaded.spec().timeUnitMs());
        this.states = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Tracked> eldest) {
                return size() > maxSeries;
            }
        };
        this.values = new double[loaded.config().observationDim()];
        this.mask = new boolean[loaded.config().observationDim()];
        this.forecast = model == null ? null : model.newForecast(1);
        if (forecast != null) {
            forecast.intensityScale(loaded.spec().calibration().intensityScale());
        }
        this.level = new LevelRule.Level(loaded.spec().level(), loaded.config().observationDim());
    }

    /** A series' encoder state and its last events, as many as the model's level reads. */
    private record Tracked(SeriesState state, List<Event> recent) {

        /** Keeps {@code event} among the recent ones, at most {@code window} of them. */
        void add(Event event, int window) {
            recent.add(event);
            while (recent.size() > window) {
                recent.removeFirst();
            }
        }
    }

    /** @return the model version scored. */
    public LoadedModel model() {
        return loaded;
    }

    /**
     * Scores the forecast for an event, then folds the event in.
     *
     * @param id the series
     * @param event the event, checked against the model
     * @param history the series' buffered events before this one, oldest first, asked for only when this scorer
     *     holds no state for the series
     * @return the score, or {@code null} when the series has fewer than {@code minContext} events before this one,
     *     the event came out of order (it is then not folded in), or the model failed on it
     */
    public LiveScore next(String id, Event event, Supplier<List<Event>> history) {
        if (model == null) {
            return null;
        }
        Tracked tracked = states.get(id);
        int window = loaded.spec().level().window();
        if (tracked == null) {
            List<Event> past = history.get();
            SeriesState encoded = encode(past);
            if (encoded == null) {
                return null;
            }
            tracked = new Tracked(encoded, new ArrayList<>(past.subList(Math.max(0, past.size() - window),
                    past.size())));
            states.put(id, tracked);
        }
        SeriesState state = tracked.state();
        if (state.hasEvents() && scale.toModel(event.timeMs()) < state.lastTime()) {
            return null;
        }
        try {
            LiveScore score = state.eventCount() >= minContext ? score(state, event, tracked.recent()) : null;
            observe(state, event);
            tracked.add(event, window);
            return score;
        } catch (RuntimeException e) {
            states.remove(id);
            return null;
        }
    }

    /**
     * Scores a stretch of one series from scratch: the first {@code context} events are folded in unscored, then each
     * later one is scored before it is folded in. This is how the live error is measured, applied to held-out data.
     *
     * @return one score per event after the context; empty if the model failed
     */
    public List<LiveScore> score(List<Event> events, int context) {
        if (model == null) {
            return scoreBaseline(events, context);
        }
        SeriesState state = model.newState();
        List<LiveScore> scores = new java.util.ArrayList<>(events.size() - context);
        try {
            for (int i = 0; i < events.size(); i++) {
                if (i >= context) {
                    scores.add(score(state, events.get(i), events.subList(0, i)));
                }
                observe(state, events.get(i));
            }
        } catch (RuntimeException e) {
            return List.of();
        }
        return scores;
    }

    private List<LiveScore> scoreBaseline(List<Event> events, int context) {
        BaselineForecast baseline = new BaselineForecast(values.length, loaded.config().eventTypes());
        List<LiveScore> scores = new java.util.ArrayList<>(Math.max(0, events.size() - context));
        for (int i = 0; i < events.size(); i++) {
            Event e = events.get(i);
            double t = scale.toModel(e.timeMs());
            boolean[] present = e.copyMask(mask);
            double[] x = loaded.spec().valuesToModel(e.copyValues(values), present);
            if (i >= context) {
                scores.add(score(baseline.point(t), e, x));
            }
            baseline.observe(t, x, present, e.type());
        }
        return scores;
    }

    /** The live score of a forecast point for an event whose values {@code x} are on the model's scale. */
    private static LiveScore score(ForecastPoint p, Event e, double[] x) {
        double squared = 0.0;
        int scored = 0;
        double nll = 0.0;
        double[] mean = p.mean();
        double[] std = p.std();
        for (int d = 0; d < e.dimension(); d++) {
            if (e.isPresent(d)) {
                double err = mean[d] - x[d];
                squared += err * err;
                scored++;
                nll += 0.5 * (LOG_2PI + 2 * Math.log(std[d]) + err * err / (std[d] * std[d]));
            }
        }
        for (double expected : p.expectedCount()) {
            nll += expected;
        }
        nll -= Math.log(p.intensity()[e.type()]);
        return new LiveScore(squared, scored, nll);
    }

    private SeriesState encode(List<Event> history) {
        SeriesState state = model.newState();
        try {
            for (Event e : history) {
                observe(state, e);
            }
        } catch (RuntimeException e) {
            return null;
        }
        return state;
    }

    private void observe(SeriesState state, Event e) {
        boolean[] present = e.copyMask(mask);
        model.observe(state, scale.toModel(e.timeMs()), loaded.spec().valuesToModel(e.copyValues(values), present),
                present, e.type());
    }

    /** Scores the forecast for {@code e}; {@code before} holds the series' events before it (at least the level's). */
    private LiveScore score(SeriesState state, Event e, List<Event> before) {
        time[0] = Math.max(scale.toModel(e.timeMs()), state.lastTime());
        model.forecast(state, time, forecast);
        SeriesModel.level(before, before.size(), loaded.spec(), level);
        double squared = 0.0;
        int scored = 0;
        double nll = 0.0;
        loaded.spec().valuesToModel(e.copyValues(values), e.copyMask(mask));
        for (int d = 0; d < e.dimension(); d++) {
            if (e.isPresent(d)) {
                double err = forecast.mean(0, d) + level.get(d) - values[d];
                double std = forecast.std(0, d) * loaded.spec().calibration().stdScale(d);
                squared += err * err;
                scored++;
                nll += 0.5 * (LOG_2PI + 2 * Math.log(std) + err * err / (std * std));
            }
        }
        for (int k = 0; k < forecast.eventTypes(); k++) {
            nll += forecast.expectedCount(0, k);
        }
        nll -= Math.log(forecast.intensity(0, e.type()));
        return new LiveScore(squared, scored, nll);
    }
}
