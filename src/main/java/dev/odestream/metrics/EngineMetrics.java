package dev.odestream.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The engine's own meters, registered once on a Micrometer registry and shared by every stream thread (meters are
 * thread-safe). Counters on the path of every event are looked up at construction; a rejection looks its reason's
 * counter up in a map. This package knows nothing of Kafka or of the stream package: reasons are their wire codes.
 *
 * <p>Accounting: every input record is counted in {@code odestream.events.in} and then in exactly one of
 * {@code odestream.events.accepted}, {@code odestream.events.rejected} (tagged by reason) or
 * {@code odestream.events.late}.
 */
public final class EngineMetrics {

    private final MeterRegistry registry;
    private final Counter in;
    private final Counter accepted;
    private final Counter late;
    private final Counter reordered;
    private final Counter reencoded;
    private final Map<String, Counter> recovered = new ConcurrentHashMap<>();
    private final Counter seriesCreated;
    private final Map<String, Counter> rejected = new ConcurrentHashMap<>();
    private final Counter forecasts;
    private final Counter solverRejectedSteps;
    private final Counter forecastFailures;
    private final Timer updateLatency;
    private final DistributionSummary encoderNfe;
    private final Counter modelSwaps;
    private final Map<String, Counter> modelRejections = new ConcurrentHashMap<>();
    /**
     * Why a checkpoint is refused, the {@code reason} tag of {@code odestream.model.rejections}: it does not decode or
     * fit ({@code invalid}), it reuses a version number with other parameters ({@code version-reused}), or the canary
     * run failed ({@code canary}).
     */
    public static final java.util.List<String> MODEL_REJECTION_REASONS = java.util.List.of("invalid",
            "version-reused", "canary");
    private final AtomicLong modelVersion = new AtomicLong(-1);
    private final AtomicLong modelCreatedSeconds = new AtomicLong();
    private final Counter seriesExpired;
    private final Counter idleIntensities;
    private final Map<String, AtomicLong> seriesByTask = new ConcurrentHashMap<>();
    private final Map<String, Counter> topicQueries = new ConcurrentHashMap<>();

    /** @param registry where the meters go, e.g. a {@code PrometheusMeterRegistry} */
    public EngineMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.in = counter("odestream.events.in", "Input records read from the events topic");
        this.accepted = counter("odestream.events.accepted", "Events folded into a series");
        this.late = counter("odestream.events.late", "Events older than their series allows, sent to events.late");
        this.reordered = counter("odestream.events.reordered", "Out-of-order events folded in by replaying the ring");
        this.reencoded = counter("odestream.series.reencoded", "Series re-encoded from their ring for a new model");
        for (String how : new String[] {"reencoded", "baseline"}) {
            recovered.put(how, Counter.builder("odestream.series.recovered").tag("how", how)
                    .description("Series whose state went non-finite or whose solve failed, brought back by"
                            + " re-encoding the ring or answered from the baseline").register(registry));
        }
        this.seriesCreated = counter("odestream.series.new", "Series whose first event this instance folded in");
        this.forecasts = counter("odestream.forecasts.out", "Forecast records published");
        this.solverRejectedSteps = counter("odestream.solver.rejected.steps", "Solver steps rejected by the error"
                + " control and retried smaller, in per-event updates and forecasts");
        this.forecastFailures = counter("odestream.forecast.failures", "Accepted events whose forecast failed");
        this.updateLatency = Timer.builder("odestream.update.latency").description("Per-event update and forecast")
                .publishPercentileHistogram().register(registry);
        this.encoderNfe = DistributionSummary.builder("odestream.update.nfe")
                .description("Derivative evaluations per accepted event (encoder and forecast)").register(registry);
        this.modelSwaps = counter("odestream.model.swaps", "Model versions taken into use after the first, once per"
                + " instance");
        for (String reason : MODEL_REJECTION_REASONS) {
            modelRejections.put(reason, Counter.builder("odestream.model.rejections").tag("reason", reason)
                    .description("Model checkpoints refused, once per checkpoint record").register(registry));
        }
        Gauge.builder("odestream.model.version", modelVersion, AtomicLong::get)
                .description("Model version in use (the last one any task took)").register(registry);
        Gauge.builder("odestream.model.created.seconds", modelCreatedSeconds, AtomicLong::get)
                .description("Epoch seconds at which the model in use was trained; 0 for the untrained initial model")
                .register(registry);
        this.seriesExpired = counter("odestream.series.expired", "Series deleted after going without events past"
                + " the TTL");
        this.idleIntensities = counter("odestream.intensities.idle", "Intensity records published for idle series");
        // Counted per stream task, each task by its own processor: the tasks move between instances on a rebalance,
        // and a task's count leaves with it (see seriesOfTask).
        Gauge.builder("odestream.series.count", seriesByTask, EngineMetrics::sum)
                .description("Series in this instance's series-state stores (active tasks)").register(registry);
    }

    private static double sum(Map<String, AtomicLong> counts) {
        return counts.values().stream().mapToLong(AtomicLong::get).sum();
    }

    /** @return metrics on a private in-memory registry, for tests and tools. */
    public static EngineMetrics inMemory() {
        return new EngineMetrics(new SimpleMeterRegistry());
    }

    private Counter counter(String name, String description) {
        return Counter.builder(name).description(description).register(registry);
    }

    /** @return the registry the meters live on. */
    public MeterRegistry registry() {
        return registry;
    }

    /** Counts one input record. */
    public void eventIn() {
        in.increment();
    }

    /**
     * Counts one record sent to the dead-letter queue.
     *
     * @param reason the reason's wire code, such as {@code "malformed-json"}
     */
    public void rejected(String reason) {
        rejected.computeIfAbsent(reason, r -> Counter.builder("odestream.events.rejected").tag("reason", r)
                .description("Input records sent to events.dlq").register(registry)).increment();
    }

    /** Counts one record sent to {@code events.late}. */
    public void late() {
        late.increment();
    }

    /**
     * Counts one accepted event.
     *
     * @param nanos time spent on the update and the forecast
     * @param nfe derivative evaluations spent
     * @param reordered whether it came out of order and the ring was replayed to place it
     */
    public void accepted(long nanos, long nfe, boolean reordered) {
        accepted.increment();
        updateLatency.record(nanos, TimeUnit.NANOSECONDS);
        encoderNfe.record(nfe);
        if (reordered) {
            this.reordered.increment();
        }
    }

    /** Counts a series seen for the first time. */
    public void seriesCreated() {
        seriesCreated.increment();
    }

    /** @return series created by this instance so far. */
    public long seriesCreatedCount() {
        return (long) seriesCreated.count();
    }

    /** Counts a series re-encoded for a new model. */
    public void reencoded() {
        reencoded.increment();
    }

    /**
     * Counts a broken series brought back.
     *
     * @param how {@code reencoded} (from its ring) or {@code baseline} (the model failed on the ring too)
     */
    public void recovered(String how) {
        recovered.get(how).increment();
    }

    /** @return broken series brought back one way, {@code reencoded} or {@code baseline} */
    public long recoveredCount(String how) {
        return (long) recovered.get(how).count();
    }

    /** Counts one published forecast. */
    public void forecastPublished() {
        forecasts.increment();
    }

    /** Counts solver steps rejected by the error control. */
    public void solverRejectedSteps(long steps) {
        if (steps > 0) {
            solverRejectedSteps.increment(steps);
        }
    }

    /** @return solver steps rejected so far. */
    public double solverRejectedSteps() {
        return solverRejectedSteps.count();
    }

    /** Counts an accepted event whose forecast could not be computed or published. */
    public void forecastFailed() {
        forecastFailures.increment();
    }

    /**
     * Records that a stream task took a model version into use. Every task of the instance has its own model, so a
     * swap counts once, when the first task takes the new version; and a task created later (after a rebalance)
     * starts with the initial model without turning the gauge back.
     *
     * @param version the version
     * @param trainedEpochSeconds when it was trained, from the checkpoint's metadata; 0 for an untrained model
     * @param swap whether it replaced another one; {@code false} for the initial model of a new task
     */
    public synchronized void modelInUse(long version, long trainedEpochSeconds, boolean swap) {
        if (!swap) {
            if (modelVersion.compareAndSet(-1, version)) {
                modelCreatedSeconds.set(trainedEpochSeconds);
            }
        } else if (modelVersion.getAndSet(version) != version) {
            modelSwaps.increment();
            modelCreatedSeconds.set(trainedEpochSeconds);
        }
    }

    /** @return epoch seconds at which the model in use was trained, 0 if untrained. */
    public long modelCreatedSeconds() {
        return modelCreatedSeconds.get();
    }

    /**
     * The series count of one stream task, which its processor keeps: set from the task's store when the task
     * starts, then moved by each series created or expired. A task that is closed (moved away in a rebalance, or
     * the instance stopping) is dropped with {@link #seriesTaskClosed}, so the gauge sums only the tasks this
     * instance runs. A count kept for the whole instance instead would keep the series of tasks that have left.
     *
     * @param task the task id
     * @return its counter, starting at 0
     */
    public AtomicLong seriesOfTask(String task) {
        AtomicLong count = new AtomicLong();
        seriesByTask.put(task, count);
        return count;
    }

    /**
     * Drops a closed task's series count, if it is still the one registered for that task.
     *
     * @param task the task id
     * @param count the counter {@link #seriesOfTask} returned
     */
    public void seriesTaskClosed(String task, AtomicLong count) {
        seriesByTask.remove(task, count);
    }

    /** @return series in this instance's stores, summed over its tasks. */
    public long seriesCount() {
        return (long) sum(seriesByTask);
    }

    /** @param series series deleted past the TTL */
    public void seriesExpired(long series) {
        seriesExpired.increment(series);
    }

    /** @return series deleted past the TTL so far. */
    public long seriesExpiredCount() {
        return (long) seriesExpired.count();
    }

    /** Counts one intensity record published for an idle series. */
    public void idleIntensity() {
        idleIntensities.increment();
    }

    /** @return intensity records published for idle series so far. */
    public long idleIntensities() {
        return (long) idleIntensities.count();
    }

    /**
     * Counts one forecast request read from the request topic.
     *
     * @param status how it was answered: {@code ok}, {@code not_found}, {@code bad_request}, {@code error}, or
     *     {@code dead_letter} when it could not be answered at all
     */
    public void topicQuery(String status) {
        topicQueries.computeIfAbsent(status, s -> Counter.builder("odestream.queries.topic").tag("status", s)
                .description("Forecast requests read from the request topic, by outcome").register(registry))
                .increment();
    }

    /** @return forecast requests with that outcome so far. */
    public long topicQueries(String status) {
        Counter counter = topicQueries.get(status);
        return counter == null ? 0 : (long) counter.count();
    }

    /**
     * Counts a refused checkpoint.
     *
     * @param reason one of {@link #MODEL_REJECTION_REASONS}
     * @throws IllegalArgumentException for another reason, so that the tag stays bounded
     */
    public void modelRejected(String reason) {
        Counter counter = modelRejections.get(reason);
        if (counter == null) {
            throw new IllegalArgumentException("unknown model rejection reason '" + reason + "'");
        }
        counter.increment();
    }

    /** @return input records counted so far. */
    public long eventsIn() {
        return (long) in.count();
    }

    /** @return accepted events so far. */
    public long eventsAccepted() {
        return (long) accepted.count();
    }

    /** @return late events so far. */
    public long eventsLate() {
        return (long) late.count();
    }

    /** @return events that were folded in out of order. */
    public long eventsReordered() {
        return (long) reordered.count();
    }

    /** @return records sent to the dead-letter queue for that reason (wire code) so far. */
    public long eventsRejected(String reason) {
        Counter counter = rejected.get(reason);
        return counter == null ? 0 : (long) counter.count();
    }

    /** @return records sent to the dead-letter queue for any reason so far. */
    public long eventsRejected() {
        return rejected.values().stream().mapToLong(c -> (long) c.count()).sum();
    }

    /** @return refused checkpoints so far. */
    public long modelRejections() {
        return modelRejections.values().stream().mapToLong(c -> (long) c.count()).sum();
    }

    /** @return checkpoints refused for that reason so far. */
    public long modelRejections(String reason) {
        Counter counter = modelRejections.get(reason);
        return counter == null ? 0 : (long) counter.count();
    }

    /** @return model swaps so far. */
    public long modelSwaps() {
        return (long) modelSwaps.count();
    }
}
