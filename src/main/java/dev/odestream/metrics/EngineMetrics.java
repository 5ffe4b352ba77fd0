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
    private final Counter seriesCreated;
    private final Map<String, Counter> rejected = new ConcurrentHashMap<>();
    private final Counter forecasts;
    private final Counter forecastFailures;
    private final Timer updateLatency;
    private final DistributionSummary encoderNfe;
    private final Counter modelSwaps;
    private final Counter modelRejections;
    private final AtomicLong modelVersion = new AtomicLong(-1);

    /** @param registry where the meters go, e.g. a {@code PrometheusMeterRegistry} */
    public EngineMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.in = counter("odestream.events.in", "Input records read from the events topic");
        this.accepted = counter("odestream.events.accepted", "Events folded into a series");
        this.late = counter("odestream.events.late", "Events older than their series allows, sent to events.late");
        this.reordered = counter("odestream.events.reordered", "Out-of-order events folded in by replaying the ring");
        this.reencoded = counter("odestream.series.reencoded", "Series re-encoded from their ring for a new model");
        this.seriesCreated = counter("odestream.series.created", "Series whose first event this instance folded in");
        this.forecasts = counter("odestream.forecasts.out", "Forecast records published");
        this.forecastFailures = counter("odestream.forecast.failures", "Accepted events whose forecast failed");
        this.updateLatency = Timer.builder("odestream.update.latency").description("Per-event update and forecast")
                .publishPercentileHistogram().register(registry);
        this.encoderNfe = DistributionSummary.builder("odestream.update.nfe")
                .description("Derivative evaluations per accepted event (encoder and forecast)").register(registry);
        this.modelSwaps = counter("odestream.model.swaps", "Model versions taken into use after the first, once per"
                + " instance");
        this.modelRejections = counter("odestream.model.rejections", "Model checkpoints refused");
        Gauge.builder("odestream.model.version", modelVersion, AtomicLong::get)
                .description("Model version in use (the last one any task took)").register(registry);
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

    /** Counts one published forecast. */
    public void forecastPublished() {
        forecasts.increment();
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
     * @param swap whether it replaced another one; {@code false} for the initial model of a new task
     */
    public void modelInUse(long version, boolean swap) {
        if (!swap) {
            modelVersion.compareAndSet(-1, version);
        } else if (modelVersion.getAndSet(version) != version) {
            modelSwaps.increment();
        }
    }

    /** Counts a refused checkpoint. */
    public void modelRejected() {
        modelRejections.increment();
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
        return (long) modelRejections.count();
    }

    /** @return model swaps so far. */
    public long modelSwaps() {
        return (long) modelSwaps.count();
    }
}
