package dev.odestream.stream;

import dev.odestream.model.BaselineForecast;
import dev.odestream.model.DataSpec;
import dev.odestream.model.Forecast;
import dev.odestream.model.ForecastPoint;
import dev.odestream.model.LatentOdeModel;
import dev.odestream.model.LevelRule;
import dev.odestream.model.ModelConfig;
import dev.odestream.model.SeriesState;
import dev.odestream.model.ValueTransform;
import dev.odestream.model.checkpoint.LoadedModel;
import dev.odestream.ode.Finite;
import dev.odestream.ode.OdeSolverException;

import java.util.ArrayList;
import java.util.List;

/**
 * One model version applied to stored series: folds an event into a {@link SeriesSnapshot} (in order, out of order
 * within the grace, or not at all when late), re-encodes a series computed by another version, and forecasts. Knows
 * nothing of Kafka. Not thread-safe: one instance per stream thread (it owns a {@link LatentOdeModel} and its
 * workspaces).
 *
 * <p><b>In-order equivalence.</b> Every path folds events into the encoder in ring order, starting from the base, so
 * a series that saw an event out of order (within the grace) ends in bit for bit the state in-order arrival gives:
 * an insertion replays the ring from the base, and an event that leaves the ring is folded into the base, exactly as
 * the live state folded it. Events with equal times keep their arrival order.
 *
 * <p><b>No model yet.</b> For the {@link LoadedModel#baseline} version a series keeps only its ring (no encoder
 * state) and is forecast by {@link BaselineForecast} over the ring, labelled {@link Source#BASELINE}; the first model
 * re-encodes it from that ring like any new version.
 *
 * <p><b>Never stuck.</b> A series whose stored state is not finite (or not this model's size), or whose solve fails
 * ({@link OdeSolverException}) or comes out non-finite on an update or a forecast, is re-encoded from its ring with
 * this model ({@link Recovery#REENCODED}). If that fails too, the event still joins the ring, the snapshot keeps no
 * encoder state (empty hidden arrays, so the next event tries the ring again), and the answer comes from
 * {@link BaselineForecast} over the ring, labelled {@link Source#BASELINE} ({@link Recovery#BASELINE}).
 *
 * <p><b>Level and calibration.</b> A model whose {@link DataSpec#level()} is a {@link LevelRule} forecasts the
 * departure from the series' level: the level of the ring's last {@link LevelRule#window()} events is added to the
 * decoder's mean on the model's scale, exactly as training added it ({@link #level}); the ring must hold at least
 * that many events for the two to agree on long series. The spec's {@link DataSpec#calibration()} scales each
 * value's standard deviation on the model's scale and the intensities.
 */
public final class SeriesModel {

    /** What {@link #update} did. */
    public sealed interface Outcome {
    }

    /** How a broken series was brought back; {@link #tag} is the {@code how} tag of {@code odestream.series.recovered}. */
    public enum Recovery {
        /** Nothing was broken. */
        NONE,
        /** Re-encoded from its ring with this model. */
        REENCODED,
        /** The model failed on the ring too: the baseline answered. */
        BASELINE;

        /** @return the metric tag, e.g. {@code reencoded} */
        public String tag() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /**
     * The event was folded in.
     *
     * @param snapshot the series after the event
     * @param reordered whether the event came out of order and the ring was replayed to place it
     * @param recovery whether the series was broken and how it was brought back
     */
    public record Updated(SeriesSnapshot snapshot, boolean reordered, Recovery recovery) implements Outcome {

        /** An update of a series that was not broken. */
        public Updated(SeriesSnapshot snapshot, boolean reordered) {
            this(snapshot, reordered, Recovery.NONE);
        }
    }

    /**
     * The answer to a forecast of a series.
     *
     * @param points one per query time, in order
     * @param source what made them
     * @param recovery whether the model failed on the series and how the answer was made instead
     */
    public record Answer(List<ForecastPoint> points, Source source, Recovery recovery) {
    }

    /**
     * The event is too old to fold in; the series is unchanged.
     *
     * @param detail by how much, for the dead-letter detail
     */
    public record Late(String detail) implements Outcome {
    }

    private static final double[] NO_STATE = new double[0];

    private final LoadedModel loaded;
    private final LatentOdeModel model;
    private final BaselineForecast baseline;
    private final BaselineForecast fallback;
    private final TimeScale scale;
    private final DataSpec spec;
    private final ValueTransform[] transforms;
    private final double perSecond;
    private final int ringCapacity;
    private final long graceMs;
    private final SeriesState live;
    private final SeriesState base;
    private final double[] values;
    private final boolean[] mask;
    private final Forecast forecast;
    private final LevelRule.Level level;
    private final double[] levelValues;

    /**
     * @param loaded the model version
     * @param scale maps event times to model time; its unit is replaced by the model's own
     *     ({@link dev.odestream.model.DataSpec#timeUnitMs})
     * @param ringCapacity the most recent events kept per series, at least 1
     * @param graceMs how far before a series' last event an event may still be folded in, non-negative
     * @param maxQueryTimes the most query times one {@link #forecast} may ask for
     */
    public SeriesModel(LoadedModel loaded, TimeScale scale, int ringCapacity, long graceMs, int maxQueryTimes) {
        if (ringCapacity < 1 || graceMs < 0 || maxQueryTimes < 1) {
            throw new IllegalArgumentException("need ringCapacity >= 1, graceMs >= 0 and maxQueryTimes >= 1, got "
                    + ringCapacity + ", " + graceMs + ", " + maxQueryTimes);
        }
        this.loaded = loaded;
        ModelConfig config = loaded.config();
        boolean none = loaded.isBaseline();
        this.model = none ? null : loaded.instantiate();
        this.baseline = none ? new BaselineForecast(config.observationDim(), config.eventTypes()) : null;
        this.fallback = new BaselineForecast(config.observationDim(), config.eventTypes());
        this.scale = scale.withUnitMs(loaded.spec().timeUnitMs());
        this.spec = loaded.spec();
        this.transforms = spec.transforms().toArray(ValueTransform[]::new);
        this.perSecond = 1000.0 / loaded.spec().timeUnitMs();
        this.ringCapacity = ringCapacity;
        this.graceMs = graceMs;
        this.live = none ? null : model.newState();
        this.base = none ? null : model.newState();
        this.values = new double[config.observationDim()];
        this.mask = new boolean[config.observationDim()];
        this.forecast = none ? null : model.newForecast(maxQueryTimes);
        if (forecast != null) {
            forecast.intensityScale(spec.calibration().intensityScale());
        }
        this.level = new LevelRule.Level(spec.level(), config.observationDim());
        this.levelValues = new double[config.observationDim()];
    }

    /**
     * The level of a series after its events before {@code end}, by the spec's {@link LevelRule}: folds the last
     * {@code window} of them, oldest first, into {@code out} on the model's scale. Training cuts its windows with
     * this and the engine serves with it, so the two agree.
     *
     * @param events the series' events in time order. Not modified.
     * @param end how many of them have happened
     * @param spec the model's units and level rule
     * @param out receives the level. Modified (reset first).
     */
    public static void level(List<Event> events, int end, DataSpec spec, LevelRule.Level out) {
        out.reset();
        for (int i = Math.max(0, end - spec.level().window()); i < end; i++) {
            Event e = events.get(i);
            if (!e.isPoint()) {
                out.add(spec.valuesToModel(e.values(), e.mask()), e.mask());
            }
        }
    }

    /** @return the model version. */
    public long version() {
        return loaded.version();
    }

    /** @return what this version's forecasts come from: the model, or the baseline when there is none yet */
    public Source source() {
        return baseline != null ? Source.BASELINE : Source.MODEL;
    }

    /** @return the loaded model. */
    public LoadedModel loaded() {
        return loaded;
    }

    /** @return derivative evaluations of the last encoder or latent solve. */
    public long lastNfe() {
        return model == null ? 0 : model.lastNfe();
    }

    /** @return solver steps rejected by the model's last observe or forecast. */
    public long lastRejectedSteps() {
        return model == null ? 0 : model.lastRejectedSteps();
    }

    /**
     * Folds one event into a series.
     *
     * @param prior the series, or {@code null} for a new one; re-encoded first if another version computed it
     * @param event the event, already checked against the model's dimension and event types
     * @throws RuntimeException from the model if the encoder cannot fold the event in; nothing is changed then
     */
    public Outcome update(SeriesSnapshot prior, Event event) {
        if (baseline != null) {
            return updateRing(prior == null || prior.modelVersion() == version() ? prior : reencode(prior), event);
        }
        SeriesSnapshot s = prior == null || prior.modelVersion() == version() ? prior : carry(prior);
        boolean inOrder = s == null || s.ring().isEmpty() || event.timeMs() >= s.lastTimeMs();
        String late = inOrder ? null : lateness(s, event);
        if (late != null) {
            return new Late(late);
        }
        if (s != null && !s.ring().isEmpty() && !usable(s)) {
            return recover(s, event, !inOrder);
        }
        SeriesSnapshot after;
        try {
            after = s == null || s.ring().isEmpty() ? start(s, event).snapshot()
                    : inOrder ? append(s, event) : insert(s, event);
        } catch (OdeSolverException e) {
            return recover(s, event, !inOrder);
        }
        return usable(after) ? new Updated(after, !inOrder) : recover(s, event, !inOrder);
    }

    /** A series of another version, re-encoded from its ring; without an encoder state if the model fails on it. */
    private SeriesSnapshot carry(SeriesSnapshot prior) {
        SeriesSnapshot fresh = encodeRing(prior);
        return fresh != null ? fresh : new SeriesSnapshot(version(), prior.events(), prior.baseBoundMs(), 0, NO_STATE,
                NO_STATE, prior.ring(), prior.seenAtMs(), null);
    }

    /** @return whether a snapshot of this version holds a finite encoder state of this model's size */
    private boolean usable(SeriesSnapshot s) {
        double[] hidden = s.hidden();
        return hidden.length == live.hidden().length && Finite.all(hidden) && Finite.all(s.baseHidden());
    }

    /**
     * Folds an event into a broken series: re-encodes its ring with the event from a fresh state, or, if the model
     * fails on that too, keeps the ring without an encoder state for the baseline to answer from.
     *
     * @param s the series before the event, or {@code null}
     */
    private Updated recover(SeriesSnapshot s, Event event, boolean reordered) {
        List<Event> ring = new ArrayList<>(s == null ? List.of() : s.ring());
        int at = ring.size();
        while (at > 0 && ring.get(at - 1).timeMs() > event.timeMs()) {
            at--;
        }
        ring.add(at, event);
        long bound = s == null ? SeriesSnapshot.NO_BOUND : s.baseBoundMs();
        while (ring.size() > ringCapacity) {
            bound = ring.removeFirst().timeMs();
        }
        long events = s == null ? 1 : s.events() + 1;
        SeriesSnapshot fresh = encodeRing(new SeriesSnapshot(version(), events, bound, 0, NO_STATE, NO_STATE, ring));
        return fresh != null ? new Updated(fresh, reordered, Recovery.REENCODED)
                : new Updated(new SeriesSnapshot(version(), events, bound, 0, NO_STATE, NO_STATE, ring), reordered,
                        Recovery.BASELINE);
    }

    /** @return the series re-encoded from its ring, or {@code null} if the model fails on it */
    private SeriesSnapshot encodeRing(SeriesSnapshot s) {
        try {
            SeriesSnapshot fresh = reencode(s);
            return usable(fresh) ? fresh : null;
        } catch (OdeSolverException e) {
            return null;
        }
    }

    /** Re-encodes a series from its ring with this model: the base becomes a fresh state, the bound stays. */
    public SeriesSnapshot reencode(SeriesSnapshot s) {
        if (baseline != null) {
            return new SeriesSnapshot(version(), s.events(), s.baseBoundMs(), 0, NO_STATE, NO_STATE, s.ring(),
                    s.seenAtMs(), null);
        }
        base.reset();
        live.reset();
        for (Event e : s.ring()) {
            observe(live, e);
        }
        // The stored intensity belongs to the old version; the next evaluation replaces it.
        return new SeriesSnapshot(version(), s.events(), s.baseBoundMs(), 0, base.hidden(), live.hidden(), s.ring(),
                s.seenAtMs(), null);
    }

    /** The baseline's update: the ring alone, with the same order, grace and eviction rules as the model's. */
    private Outcome updateRing(SeriesSnapshot s, Event event) {
        if (s == null || s.ring().isEmpty()) {
            return new Updated(new SeriesSnapshot(version(), s == null ? 1 : s.events() + 1,
                    s == null ? SeriesSnapshot.NO_BOUND : s.baseBoundMs(), s == null ? 0 : s.baseCount(), NO_STATE,
                    NO_STATE, List.of(event)), false);
        }
        boolean inOrder = event.timeMs() >= s.lastTimeMs();
        String late = inOrder ? null : lateness(s, event);
        if (late != null) {
            return new Late(late);
        }
        List<Event> ring = new ArrayList<>(s.ring().size() + 1);
        ring.addAll(s.ring());
        int at = ring.size();
        while (at > 0 && ring.get(at - 1).timeMs() > event.timeMs()) {
            at--;
        }
        ring.add(at, event);
        long bound = s.baseBoundMs();
        long baseCount = s.baseCount();
        while (ring.size() > ringCapacity) {
            bound = ring.removeFirst().timeMs();
            baseCount++;
        }
        return new Updated(new SeriesSnapshot(version(), s.events() + 1, bound, baseCount, NO_STATE, NO_STATE, ring),
                !inOrder);
    }

    private Updated start(SeriesSnapshot prior, Event event) {
        live.reset();
        observe(live, event);
        long events = prior == null ? 1 : prior.events() + 1;
        long bound = prior == null ? SeriesSnapshot.NO_BOUND : prior.baseBoundMs();
        return new Updated(new SeriesSnapshot(version(), events, bound, 0, new double[live.hidden().length],
                live.hidden(), List.of(event)), false);
    }

    private SeriesSnapshot append(SeriesSnapshot s, Event event) {
        restoreLive(s);
        observe(live, event);
        List<Event> ring = new ArrayList<>(s.ring().size() + 1);
        ring.addAll(s.ring());
        ring.add(event);
        return evictAndSeal(s, ring);
    }

    private SeriesSnapshot insert(SeriesSnapshot s, Event event) {
        List<Event> ring = new ArrayList<>(s.ring().size() + 1);
        ring.addAll(s.ring());
        int at = ring.size();
        while (at > 0 && ring.get(at - 1).timeMs() > event.timeMs()) {
            at--;
        }
        ring.add(at, event);
        restoreBase(s);
        live.copyFrom(base);
        for (Event e : ring) {
            observe(live, e);
        }
        return evictAndSeal(s, ring);
    }

    /**
     * Folds the events beyond the capacity, oldest first, into the base, then builds the snapshot from the live
     * state. The live state already contains them, so only the base moves.
     */
    private SeriesSnapshot evictAndSeal(SeriesSnapshot s, List<Event> ring) {
        long bound = s.baseBoundMs();
        long baseCount = s.baseCount();
        if (ring.size() > ringCapacity) {
            restoreBase(s);
            while (ring.size() > ringCapacity) {
                Event oldest = ring.removeFirst();
                observe(base, oldest);
                bound = oldest.timeMs();
                baseCount++;
            }
            return new SeriesSnapshot(version(), s.events() + 1, bound, baseCount, base.hidden(), live.hidden(),
                    ring);
        }
        return new SeriesSnapshot(version(), s.events() + 1, bound, baseCount, s.baseHidden(), live.hidden(), ring);
    }

    private String lateness(SeriesSnapshot s, Event event) {
        long behind = s.lastTimeMs() - event.timeMs();
        if (behind > graceMs) {
            return "event time " + EventJson.iso(event.timeMs()) + " is " + behind + " ms before the series' last"
                    + " event at " + EventJson.iso(s.lastTimeMs()) + ", beyond the grace of " + graceMs + " ms";
        }
        if (s.baseBoundMs() != SeriesSnapshot.NO_BOUND && event.timeMs() < s.baseBoundMs()) {
            return "event time " + EventJson.iso(event.timeMs()) + " is before " + EventJson.iso(s.baseBoundMs())
                    + ", the oldest time the series can still replay from (ring of " + ringCapacity + " events)";
        }
        return null;
    }

    private void observe(SeriesState state, Event e) {
        boolean[] present = e.copyMask(mask);
        model.observe(state, scale.toModel(e.timeMs()), spec.valuesToModel(e.copyValues(values), present), present,
                e.type());
    }

    /** Restores the live state of a snapshot computed by this version into the workspace. */
    private void restoreLive(SeriesSnapshot s) {
        live.restore(s.hidden(), scale.toModel(s.lastTimeMs()), s.count());
    }

    private void restoreBase(SeriesSnapshot s) {
        if (s.baseCount() == 0) {
            base.reset();
        } else {
            base.restore(s.baseHidden(), scale.toModel(s.baseBoundMs()), s.baseCount());
        }
    }

    /**
     * Forecasts a series at the given times. A series computed by another version is re-encoded first, in memory.
     *
     * @param s the series, with at least one event. Not modified.
     * @param timesMs query times, increasing, none before the series' last event. Not modified.
     * @return the forecast holder, valid until the next call
     * @throws IllegalArgumentException for badly ordered or early times, or more than the capacity
     * @throws IllegalStateException for the baseline, which has no model forecast; use {@link #points}
     */
    public Forecast forecast(SeriesSnapshot s, long[] timesMs) {
        if (baseline != null) {
            throw new IllegalStateException("no model yet: the baseline answers through points()");
        }
        SeriesSnapshot current = s.modelVersion() == version() ? s : reencode(s);
        restoreLive(current);
        double[] times = new double[timesMs.length];
        for (int i = 0; i < times.length; i++) {
            times[i] = scale.toModel(timesMs[i]);
        }
        model.forecast(live, times, forecast);
        return forecast;
    }

    /**
     * The forecast of a series at the given times as records: what the HTTP endpoints and the request topic answer.
     *
     * @param s the series. Not modified.
     * @param timesMs query times as {@link ForecastTimes#checked} returns them
     * @return one point per time, in order
     */
    public List<ForecastPoint> points(SeriesSnapshot s, long[] timesMs) {
        return answer(s, timesMs).points();
    }

    /**
     * The forecast of a series at the given times, and what made it: the model; the model after re-encoding the
     * series from its ring, when its state is broken or the solve fails; or the baseline when that fails too.
     *
     * @param s the series. Not modified.
     * @param timesMs query times as {@link ForecastTimes#checked} returns them
     */
    public Answer answer(SeriesSnapshot s, long[] timesMs) {
        if (baseline != null) {
            return new Answer(baselinePoints(baseline, s, timesMs), Source.BASELINE, Recovery.NONE);
        }
        if (s.modelVersion() != version() || usable(s)) {
            List<ForecastPoint> points = modelPoints(s, timesMs);
            if (points != null) {
                return new Answer(points, Source.MODEL, Recovery.NONE);
            }
        }
        SeriesSnapshot fresh = encodeRing(s);
        List<ForecastPoint> points = fresh == null ? null : modelPoints(fresh, timesMs);
        return points != null ? new Answer(points, Source.MODEL, Recovery.REENCODED)
                : new Answer(baselinePoints(fallback, s, timesMs), Source.BASELINE, Recovery.BASELINE);
    }

    /** @return the model's points, or {@code null} when its solve fails or a point is not finite */
    private List<ForecastPoint> modelPoints(SeriesSnapshot s, long[] timesMs) {
        Forecast f;
        try {
            f = forecast(s, timesMs);
        } catch (OdeSolverException e) {
            return null;
        }
        level(s.ring(), s.ring().size(), spec, level);
        level.copyTo(levelValues);
        List<ForecastPoint> points = new ArrayList<>(timesMs.length);
        for (int i = 0; i < timesMs.length; i++) {
            ForecastPoint p = horizon(f, i, timesMs[i], levelValues);
            if (!finite(p)) {
                return null;
            }
            points.add(p);
        }
        return points;
    }

    private static boolean finite(ForecastPoint p) {
        return Finite.all(p.mean()) && Finite.all(p.std()) && Finite.all(p.intensity())
                && Finite.all(p.expectedCount()) && Double.isFinite(p.probabilityNoEvent());
    }

    /** A baseline over the ring, on the wall clock in ms: values as they are, intensities per second. */
    private List<ForecastPoint> baselinePoints(BaselineForecast baseline, SeriesSnapshot s, long[] timesMs) {
        baseline.reset();
        for (Event e : s.ring()) {
            baseline.observe(e.timeMs(), e.copyValues(values), e.copyMask(mask), e.type());
        }
        List<ForecastPoint> points = new ArrayList<>(timesMs.length);
        for (long t : timesMs) {
            if (t < s.lastTimeMs()) {
                throw new IllegalArgumentException("query time " + t + " is before the series' last event at "
                        + s.lastTimeMs());
            }
            ForecastPoint p = baseline.point(t);
            double[] perSecond = p.intensity();
            for (int k = 0; k < perSecond.length; k++) {
                perSecond[k] *= 1000.0;
            }
            points.add(new ForecastPoint(t, p.mean(), p.std(), perSecond, p.expectedCount(),
                    p.probabilityNoEvent()));
        }
        return points;
    }

    /**
     * Forecasts a series at {@code tau} and at {@code tau + horizon} for each horizon, in one solve, as the records
     * the engine publishes.
     *
     * @param series the series id
     * @param s the series. Not modified.
     * @param horizonsMs horizons after {@code tau}, increasing, positive
     * @param issuedAtMs timestamp of the triggering input record
     */
    public Issue issue(String series, SeriesSnapshot s, long[] horizonsMs, long issuedAtMs) {
        long tau = s.lastTimeMs();
        long[] times = new long[horizonsMs.length + 1];
        times[0] = tau;
        for (int i = 0; i < horizonsMs.length; i++) {
            times[i + 1] = tau + horizonsMs[i];
        }
        Answer answer = answer(s, times);
        List<ForecastPoint> points = answer.points();
        ForecastPoint now = points.getFirst();
        return new Issue(new ForecastRecord(series, version(), tau, issuedAtMs, s.events(),
                points.subList(1, points.size()), answer.source()),
                new IntensityRecord(series, version(), tau, tau, s.events(), now.intensity(), now.expectedCount(),
                        now.probabilityNoEvent(), answer.source()), answer.recovery());
    }

    /**
     * The value forecast of a series at one time on the model's scale, the level added, before any calibration of
     * its spread: what a calibration is fitted to.
     *
     * @param s the series. Not modified.
     * @param timeMs the query time, not before the series' last event
     * @return the mean and the standard deviation of each value; {@code null} if the model fails on the series
     */
    public double[][] modelScale(SeriesSnapshot s, long timeMs) {
        Forecast f;
        try {
            f = forecast(s, new long[] {timeMs});
        } catch (OdeSolverException e) {
            return null;
        }
        level(s.ring(), s.ring().size(), spec, level);
        double[][] out = new double[2][f.observationDim()];
        for (int d = 0; d < out[0].length; d++) {
            out[0][d] = f.mean(0, d) + level.get(d);
            out[1][d] = f.std(0, d);
        }
        return Finite.all(out[0]) && Finite.all(out[1]) ? out : null;
    }

    /**
     * Query time {@code i} of a forecast as a record at {@code timeMs} on the wall clock, in the user's units, for a
     * model without a level rule (or a series at level 0): the mean and the calibrated standard deviation of each
     * value mapped back through its transform, the intensity per second.
     */
    public ForecastPoint horizon(Forecast f, int i, long timeMs) {
        return horizon(f, i, timeMs, new double[f.observationDim()]);
    }

    /**
     * Query time {@code i} of a forecast as a record at {@code timeMs} on the wall clock, in the user's units: the
     * level added to each mean and the spread calibrated on the model's scale, mapped back through the value's
     * transform; the intensity per second.
     */
    private ForecastPoint horizon(Forecast f, int i, long timeMs, double[] levels) {
        double[] mean = new double[f.observationDim()];
        double[] std = new double[f.observationDim()];
        for (int d = 0; d < mean.length; d++) {
            double m = f.mean(i, d) + levels[d];
            double sd = f.std(i, d) * spec.calibration().stdScale(d);
            mean[d] = transforms[d].meanToValue(m, sd);
            std[d] = transforms[d].stdToValue(m, sd);
        }
        double[] lambda = new double[f.eventTypes()];
        double[] expected = new double[f.eventTypes()];
        for (int k = 0; k < lambda.length; k++) {
            lambda[k] = f.intensity(i, k) * perSecond;
            expected[k] = f.expectedCount(i, k);
        }
        return new ForecastPoint(timeMs, mean, std, lambda, expected, f.probabilityNoEvent(i));
    }

    /**
     * The records published for one accepted event.
     *
     * @param forecast at the configured horizons
     * @param intensity at {@code tau}
     * @param recovery whether the model failed on the series and how the records were made instead
     */
    public record Issue(ForecastRecord forecast, IntensityRecord intensity, Recovery recovery) {
    }
}
