package dev.odestream.worker;

import dev.odestream.model.DataSpec;
import dev.odestream.model.LatentOdeModel;
import dev.odestream.model.ValueTransform;
import dev.odestream.model.checkpoint.Checkpoint;
import dev.odestream.model.checkpoint.LoadedModel;
import dev.odestream.model.checkpoint.TrainingMetadata;
import dev.odestream.ode.Finite;
import dev.odestream.stream.Event;
import dev.odestream.train.TrainingBackend;
import dev.odestream.train.TrainingSettings;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalLong;
import java.util.TreeMap;

/**
 * One training round, without Kafka: warm-start from the model in use, train on the buffer's training windows on
 * the backend, score both models on the held-out windows and the candidate and the baseline one step ahead on the
 * held-out events, and judge the candidate by the {@link Gate}: finite, not exploding, better than the parent and
 * better than the baseline. An accepted
 * candidate comes back as a checkpoint that carries its lineage: the parent version, the event-time range and event
 * count of its training data, and its metrics, among them the live-style error on the held-out events that becomes
 * its drift reference.
 */
public final class TrainingRound {

    /** Checkpoint metric: held-out one-step-ahead forecast RMSE, the drift reference of the model. */
    public static final String REFERENCE_RMSE = "live.reference.rmse";
    /** Checkpoint metric: held-out one-step-ahead event NLL, the drift reference of the model. */
    public static final String REFERENCE_NLL = "live.reference.nll";

    private final WorkerConfig config;
    private final TrainingBackend backend;
    private final Gate gate;

    /**
     * @param config the worker's configuration
     * @param backend where training and scoring run
     */
    public TrainingRound(WorkerConfig config, TrainingBackend backend) {
        this.config = config;
        this.backend = backend;
        this.gate = new Gate(config.rmseMargin());
    }

    /**
     * What a round did.
     *
     * @param trigger why it ran
     * @param verdict the gate's verdict
     * @param current the model in use, on the held-out windows
     * @param candidate the candidate, on the same windows
     * @param stats the training statistics
     * @param published the candidate's checkpoint when accepted, else {@code null}
     * @param promoted the candidate when accepted, else {@code null}
     * @param reference the candidate's drift reference when accepted, else {@code null}
     * @param baseline the baseline scored one step ahead on the held-out events, the floor
     */
    public record Result(Trigger trigger, Gate.Verdict verdict, TrainingBackend.HeldOutScore current,
                         TrainingBackend.HeldOutScore candidate, TrainingBackend.RoundStats stats,
                         Checkpoint published, LoadedModel promoted, LiveError.Reference reference,
                         TrainingBackend.HeldOutScore baseline) {

        /** @return whether the candidate passed the gate. */
        public boolean accepted() {
            return published != null;
        }
    }

    /** @return whether a split has enough to train and judge on. */
    public boolean enough(TrainingBuffer.Split split) {
        return split.training().size() >= config.training().minWindows() && !split.heldOut().isEmpty();
    }

    /**
     * Runs a round; check {@link #enough} first.
     *
     * @param current the model in use, the parent
     * @param version the candidate's version, above every version seen
     * @param split the buffer's windows
     * @param trigger why the round runs
     */
    public Result run(LoadedModel current, long version, TrainingBuffer.Split split, Trigger trigger) {
        if (version <= current.version()) {
            throw new IllegalArgumentException("version " + version + " is not above the parent's "
                    + current.version());
        }
        TrainingBackend.RoundStats stats;
        LoadedModel candidate;
        try (TrainingBackend.Session session = backend.open(current, config.training())) {
            stats = session.train(split.training());
            candidate = current.withParameters(version, session.parameters());
        }
        TrainingBackend.HeldOutScore before = backend.score(current, split.heldOut());
        TrainingBackend.HeldOutScore after = finite(candidate) ? backend.score(candidate, split.heldOut())
                : new TrainingBackend.HeldOutScore(Double.NaN, Double.NaN);
        TrainingBackend.HeldOutScore floor = score(reference(LoadedModel.baseline(current.config())
                .withSpec(current.spec()), split.heldOutEvents()));
        LiveError.Reference reference = finite(candidate) ? reference(candidate, split.heldOutEvents()) : null;
        Gate.Verdict verdict = gate.judge(new Gate.Evidence(stats.loss(), before.nll(), before, after, floor,
                score(reference)));
        if (!verdict.accepted()) {
            return new Result(trigger, verdict, before, after, stats, null, null, null, floor);
        }
        Map<String, Double> metrics = metrics(before, after, stats, split, reference);
        put(metrics, "heldout.baseline.nll", floor.nll());
        put(metrics, "heldout.baseline.rmse", floor.rmse());
        Checkpoint checkpoint = candidate.toCheckpoint(new TrainingMetadata(Instant.now(),
                OptionalLong.of(current.version()), split.dataRange(), metrics, notes(trigger, stats)));
        return new Result(trigger, verdict, before, after, stats, checkpoint, candidate, reference, floor);
    }

    /**
     * Bootstraps a first model when none exists ({@link LoadedModel#isBaseline}): fits the data spec on the buffer's
     * training events ({@link #fitSpec}), builds a fresh model of the baseline's architecture with it, trains it on
     * the buffer's windows, and gates it against the baseline scored on the same held-out events in the same terms
     * (one step ahead, on the candidate's scale), since the baseline is the floor a model must beat.
     *
     * @param baseline the version in use, the baseline
     * @param version the first model's version, above every version seen
     * @param buffer the buffered events
     * @param trigger why the round runs
     * @return the result, or {@code null} when the buffer has not enough windows yet
     */
    public Result bootstrap(LoadedModel baseline, long version, TrainingBuffer buffer, Trigger trigger) {
        DataSpec spec = fitSpec(baseline.spec(), buffer.trainingEvents());
        TrainingBuffer.Split split = buffer.split(spec);
        if (!enough(split)) {
            return null;
        }
        LoadedModel start = LoadedModel.of(0, new LatentOdeModel(baseline.config(), config.training().seed()))
                .withSpec(spec);
        TrainingBackend.RoundStats stats;
        LoadedModel candidate;
        try (TrainingBackend.Session session = backend.open(start, config.training())) {
            stats = session.train(split.training());
            candidate = start.withParameters(version, session.parameters());
        }
        LiveError.Reference floor = reference(baseline.withSpec(spec), split.heldOutEvents());
        LiveError.Reference reference = finite(candidate) ? reference(candidate, split.heldOutEvents()) : null;
        TrainingBackend.HeldOutScore before = score(floor);
        TrainingBackend.HeldOutScore after = score(reference);
        // No parent: the gate weighs the loss against the fresh model's held-out nll, and the candidate against the floor.
        double startNll = backend.score(start, split.heldOut()).nll();
        Gate.Verdict verdict = gate.judge(new Gate.Evidence(stats.loss(), startNll, null, null, before, after));
        if (!verdict.accepted()) {
            return new Result(trigger, verdict, before, after, stats, null, null, null, before);
        }
        Map<String, Double> metrics = metrics(before, after, stats, split, reference);
        for (String score : List.of("nll", "rmse")) {
            Double parent = metrics.remove("heldout.parent." + score);
            if (parent != null) {
                metrics.put("heldout.baseline." + score, parent);
            }
        }
        Checkpoint checkpoint = candidate.toCheckpoint(new TrainingMetadata(Instant.now(), OptionalLong.empty(),
                split.dataRange(), metrics, notes(trigger, stats) + " first model over the baseline"));
        return new Result(trigger, verdict, before, after, stats, checkpoint, candidate, reference, before);
    }

    /** The baseline's and a first model's scores are one-step-ahead errors on the held-out events. */
    private static TrainingBackend.HeldOutScore score(LiveError.Reference r) {
        return r == null ? new TrainingBackend.HeldOutScore(Double.NaN, Double.NaN)
                : new TrainingBackend.HeldOutScore(r.nll(), r.rmse());
    }

    /**
     * The units of a first model, from the events it trains on, as {@code train --data} chooses them: the time unit
     * nearest the median gap, and per value a robust scaling, with a log for positive skewed values.
     *
     * @param shape the names of the values and event types
     * @param series each series' training events, oldest first
     */
    public static DataSpec fitSpec(DataSpec shape, List<List<Event>> series) {
        List<Long> gaps = new ArrayList<>();
        for (List<Event> events : series) {
            for (int i = 1; i < events.size(); i++) {
                gaps.add(events.get(i).timeMs() - events.get(i - 1).timeMs());
            }
        }
        double unit = DataSpec.chooseTimeUnitMs(gaps.stream().mapToLong(Long::longValue).toArray());
        List<ValueTransform> transforms = new ArrayList<>();
        for (int d = 0; d < shape.observationDim(); d++) {
            int dim = d;
            double[] values = series.stream().flatMap(List::stream).filter(e -> e.isPresent(dim))
                    .mapToDouble(e -> e.values()[dim]).toArray();
            transforms.add(values.length == 0 ? ValueTransform.IDENTITY
                    : ValueTransform.fit(values, ValueTransform.prefersLog(values)));
        }
        return new DataSpec(shape.valueNames(), shape.eventTypes(), unit, transforms);
    }

    /** The candidate's live-style error on the held-out events: what the live error should be while it fits. */
    private LiveError.Reference reference(LoadedModel candidate, List<List<Event>> heldOut) {
        OnlineScorer scorer = new OnlineScorer(candidate, config.timeScale(), 1, 1);
        double squared = 0;
        long values = 0;
        double nll = 0;
        long events = 0;
        for (List<Event> window : heldOut) {
            for (LiveScore s : scorer.score(window, config.buffer().contextEvents())) {
                if (Double.isFinite(s.nll()) && Double.isFinite(s.squaredError())) {
                    squared += s.squaredError();
                    values += s.values();
                    nll += s.nll();
                    events++;
                }
            }
        }
        return events == 0 ? null : new LiveError.Reference(Math.sqrt(squared / Math.max(1, values)), nll / events);
    }

    private static Map<String, Double> metrics(TrainingBackend.HeldOutScore before, TrainingBackend.HeldOutScore after,
                                               TrainingBackend.RoundStats stats, TrainingBuffer.Split split,
                                               LiveError.Reference reference) {
        Map<String, Double> m = new TreeMap<>();
        put(m, "heldout.nll", after.nll());
        put(m, "heldout.rmse", after.rmse());
        put(m, "heldout.parent.nll", before.nll());
        put(m, "heldout.parent.rmse", before.rmse());
        put(m, "heldout.windows", split.heldOut().size());
        put(m, "train.windows", split.training().size());
        put(m, "train.loss", stats.loss());
        put(m, "train.steps", stats.steps());
        if (reference != null) {
            put(m, REFERENCE_RMSE, reference.rmse());
            put(m, REFERENCE_NLL, reference.nll());
        }
        return m;
    }

    private static void put(Map<String, Double> m, String name, double value) {
        if (Double.isFinite(value)) {
            m.put(name, value);
        }
    }

    private String notes(Trigger trigger, TrainingBackend.RoundStats stats) {
        TrainingSettings t = config.training();
        return String.format(Locale.ROOT, "trainer worker: trigger=%s backend=%s warm-start steps=%d skipped=%d"
                + " batchSize=%d learningRate=%s clipNorm=%s seed=%d rmseMargin=%s", trigger.tag(), backend.name(),
                stats.steps(), stats.skippedSteps(), t.batchSize(), t.learningRate(), t.clipNorm(), t.seed(),
                config.rmseMargin());
    }

    /** @return the drift reference a checkpoint carries, or {@code null} if it has none (not trained here). */
    public static LiveError.Reference reference(Checkpoint checkpoint) {
        Double rmse = checkpoint.training().metrics().get(REFERENCE_RMSE);
        Double nll = checkpoint.training().metrics().get(REFERENCE_NLL);
        return rmse == null || nll == null ? null : new LiveError.Reference(rmse, nll);
    }

    private static boolean finite(LoadedModel model) {
        return Finite.all(model.parameters());
    }
}
