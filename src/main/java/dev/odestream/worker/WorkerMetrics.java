package dev.odestream.worker;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The worker's meters ({@code odestream.worker.*}), registered once on a Micrometer registry: its own Prometheus
 * registry when it runs as a process, the engine's when the demo runs it in-process. Gauges read volatile levels the
 * worker's thread sets; scrapes may come from any thread.
 */
public final class WorkerMetrics {

    private final MeterRegistry registry;
    private final Map<String, Level> levels = new ConcurrentHashMap<>();
    private final Counter promotions;
    private final Map<Gate.Refusal, Counter> rejections = new ConcurrentHashMap<>();
    private final Counter forwardNfe;
    private final Counter backwardNfe;
    private final Counter eventsIn;
    private final Map<String, Counter> skipped = new ConcurrentHashMap<>();
    private final Map<Trigger, Counter> trainings = new ConcurrentHashMap<>();

    /** A gauge's value, set by the worker thread. */
    private static final class Level {
        private volatile double value = Double.NaN;
    }

    /**
     * @param registry where the meters go
     * @param backend the backend's name, the tag of {@code odestream.worker.backend}
     */
    public WorkerMetrics(MeterRegistry registry, String backend) {
        this.registry = registry;
        gauge("odestream.worker.training.loss", "Mean minibatch loss of the last training round");
        for (String model : new String[] {"current", "candidate"}) {
            gauge("odestream.worker.heldout.nll", "Held-out negative log-likelihood at the last round", "model",
                    model);
            gauge("odestream.worker.heldout.rmse", "Held-out forecast RMSE at the last round", "model", model);
        }
        gauge("odestream.worker.iteration.seconds", "Seconds per optimizer step in the last round");
        gauge("odestream.worker.samples.per.second", "Windows per second through training in the last round");
        gauge("odestream.worker.live.error", "Smoothed one-step-ahead forecast RMSE of the model in use", "kind",
                "rmse");
        gauge("odestream.worker.live.error", "Smoothed event negative log-likelihood of the model in use", "kind",
                "nll");
        gauge("odestream.worker.buffer.windows", "Complete windows in the training buffer");
        gauge("odestream.worker.model.version", "Model version the worker follows");
        Gauge.builder("odestream.worker.backend", () -> 1).description("The training backend in use")
                .tag("backend", backend).register(registry);
        this.promotions = counter("odestream.worker.promotions", "Candidates published to the models topic");
        for (Gate.Refusal r : Gate.Refusal.values()) {
            rejections.put(r, Counter.builder("odestream.worker.rejections").tag("reason", r.tag())
                    .description("Candidates the gate refused, by the first rule they failed").register(registry));
        }
        this.forwardNfe = Counter.builder("odestream.worker.nfe").tag("direction", "forward")
                .description("Derivative evaluations of training's forward solves").register(registry);
        this.backwardNfe = Counter.builder("odestream.worker.nfe").tag("direction", "backward")
                .description("Derivative evaluations of training's adjoint solves").register(registry);
        this.eventsIn = counter("odestream.worker.events.in", "Records read from the events topic");
        for (Trigger t : Trigger.values()) {
            trainings.put(t, Counter.builder("odestream.worker.trainings").tag("trigger", t.tag())
                    .description("Training rounds run").register(registry));
        }
    }

    /** @return metrics on a private in-memory registry, for tests. */
    public static WorkerMetrics inMemory() {
        return new WorkerMetrics(new SimpleMeterRegistry(), "cpu");
    }

    private void gauge(String name, String description, String... tags) {
        Level level = new Level();
        levels.put(key(name, tags), level);
        Gauge.builder(name, level, l -> l.value).description(description).tags(tags).register(registry);
    }

    private static String key(String name, String... tags) {
        return name + String.join(",", tags);
    }

    private void set(double value, String name, String... tags) {
        levels.get(key(name, tags)).value = value;
    }

    private Counter counter(String name, String description) {
        return Counter.builder(name).description(description).register(registry);
    }

    /** @return the registry the meters live on. */
    public MeterRegistry registry() {
        return registry;
    }

    /** Counts one record read. */
    public void eventIn() {
        eventsIn.increment();
    }

    /** Counts a record skipped as invalid, by the engine's reject reason code. */
    public void skipped(String reason) {
        skipped.computeIfAbsent(reason, r -> Counter.builder("odestream.worker.events.skipped").tag("reason", r)
                .description("Records the worker skipped as invalid (the engine dead-letters them)")
                .register(registry)).increment();
    }

    /** @return records skipped as invalid, over every reason. */
    public long skippedCount() {
        return (long) skipped.values().stream().mapToDouble(Counter::count).sum();
    }

    /** @return records read. */
    public long eventsIn() {
        return (long) eventsIn.count();
    }

    /** Sets the live error gauges. */
    public void liveError(double rmse, double nll) {
        set(rmse, "odestream.worker.live.error", "kind", "rmse");
        set(nll, "odestream.worker.live.error", "kind", "nll");
    }

    /** Sets the buffer gauge. */
    public void bufferWindows(long windows) {
        set(windows, "odestream.worker.buffer.windows");
    }

    /** Sets the model version followed. */
    public void modelVersion(long version) {
        set(version, "odestream.worker.model.version");
    }

    /** Records a finished round: its trigger, statistics, scores and outcome. */
    public void round(TrainingRound.Result r) {
        trainings.get(r.trigger()).increment();
        set(r.stats().loss(), "odestream.worker.training.loss");
        set(r.stats().secondsPerStep(), "odestream.worker.iteration.seconds");
        set(r.stats().samplesPerSecond(), "odestream.worker.samples.per.second");
        forwardNfe.increment(r.stats().forwardNfe());
        backwardNfe.increment(r.stats().backwardNfe());
        set(r.current().nll(), "odestream.worker.heldout.nll", "model", "current");
        set(r.current().rmse(), "odestream.worker.heldout.rmse", "model", "current");
        set(r.candidate().nll(), "odestream.worker.heldout.nll", "model", "candidate");
        set(r.candidate().rmse(), "odestream.worker.heldout.rmse", "model", "candidate");
        (r.accepted() ? promotions : rejections.get(r.verdict().refusal())).increment();
    }

    /** @return candidates published. */
    public long promotions() {
        return (long) promotions.count();
    }

    /** @return candidates refused, for any reason. */
    public long rejections() {
        return (long) rejections.values().stream().mapToDouble(Counter::count).sum();
    }

    /** @return candidates refused for one reason. */
    public long rejections(Gate.Refusal reason) {
        return (long) rejections.get(reason).count();
    }

    /** @return rounds run for a trigger. */
    public long trainings(Trigger trigger) {
        return (long) trainings.get(trigger).count();
    }
}
