package dev.odestream.stream;

import dev.odestream.metrics.EngineMetrics;
import dev.odestream.model.checkpoint.ModelSlot;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The per-series processor: folds each valid event into its series' snapshot in the {@code series-state} store and
 * publishes a forecast and an intensity, each naming the model version. An event too old for its series goes to the
 * late sink, with the event's canonical JSON and reason headers. A series whose state is not finite or whose solve
 * fails is re-encoded from its ring or answered by the baseline ({@link SeriesModel}), counted in
 * {@code odestream.series.recovered{how}}; only an unexpected failure beyond that dead-letters the event
 * ({@code model-failure}) and leaves the snapshot unchanged.
 *
 * <p>A series last computed by another model version is re-encoded from its ring when it is next touched
 * ({@link SeriesModel#update}). Each stored snapshot keeps the wall-clock time of its last event and the intensity
 * published with it. When {@link EngineConfig#idleInterval()} is set, an {@link IdleSweep} runs on the wall clock.
 *
 * <p>The processor keeps its task's series count for {@code odestream.series.count}: counted from the store when the
 * task starts (a task starts after its store is restored, which reads every entry anyway), then moved by each series
 * created or expired, and dropped when the task closes.
 */
final class SeriesProcessor implements Processor<String, Event, Object, Object> {

    private static final Logger LOG = LoggerFactory.getLogger(SeriesProcessor.class);

    private final EngineConfig config;
    private final EngineMetrics metrics;
    private final long[] horizonsMs;
    private final CanarySample sample;
    private ProcessorContext<Object, Object> context;
    private KeyValueStore<String, SeriesSnapshot> store;
    private ReadOnlyKeyValueStore<String, byte[]> models;
    private ModelSlot<SeriesModel> slot;
    private String task;
    private AtomicLong series;
    private long issueNfe;

    SeriesProcessor(EngineConfig config, EngineMetrics metrics, CanarySample sample) {
        this.config = config;
        this.metrics = metrics;
        this.sample = sample;
        this.horizonsMs = config.horizonsMs();
    }

    @Override
    public void init(ProcessorContext<Object, Object> context) {
        this.context = context;
        this.store = context.getStateStore(EngineConfig.SERIES_STORE);
        this.models = context.getStateStore(EngineConfig.MODELS_STORE);
        this.slot = config.modelSlot(metrics, true);
        this.task = context.taskId().toString();
        this.series = metrics.seriesOfTask(task);
        series.set(count(store));
        if (config.idleInterval().isPositive()) {
            IdleSweep sweep = new IdleSweep(config, metrics, context, store, () -> slot.current(config.modelRecord(models)), series);
            context.schedule(config.idleInterval(), PunctuationType.WALL_CLOCK_TIME, sweep::run);
        }
    }

    private static long count(KeyValueStore<String, SeriesSnapshot> store) {
        long n = 0;
        try (KeyValueIterator<String, SeriesSnapshot> all = store.all()) {
            for (; all.hasNext(); all.next()) {
                n++;
            }
        }
        return n;
    }

    @Override
    public void close() {
        metrics.seriesTaskClosed(task, series);
    }

    @Override
    public void process(Record<String, Event> record) {
        long start = System.nanoTime();
        SeriesModel model = slot.current(config.modelRecord(models));
        SeriesSnapshot prior = store.get(record.key());
        SeriesModel.Outcome outcome;
        try {
            outcome = model.update(prior, record.value());
        } catch (RuntimeException e) {
            LOG.debug("series {}: model failure", record.key(), e);
            setAside(record, RejectReason.MODEL_FAILURE, e.getClass().getSimpleName() + ": " + e.getMessage(),
                    EngineTopology.DLQ_SINK);
            return;
        }
        long updateNfe = model.lastNfe();
        metrics.solverRejectedSteps(model.lastRejectedSteps());
        switch (outcome) {
            case SeriesModel.Late late -> setAside(record, RejectReason.LATE, late.detail(), EngineTopology.LATE_SINK);
            case SeriesModel.Updated updated -> {
                if (prior == null) {
                    metrics.seriesCreated();
                    series.incrementAndGet();
                } else if (prior.modelVersion() != model.version()) {
                    metrics.reencoded();
                }
                SeriesSnapshot after = updated.snapshot().withSeenAt(context.currentSystemTimeMs());
                SeriesModel.Issue issue = issue(model, record, after);
                recovered(record, issue == null || issue.recovery().compareTo(updated.recovery()) < 0
                        ? updated.recovery() : issue.recovery());
                if (issue != null && issue.intensity().isFinite()) {
                    after = after.withIntensity(lastIntensity(issue.intensity()));
                }
                store.put(record.key(), after);
                sample.offer(record.key(), after);
                long nfe = updateNfe + (issue == null ? 0 : publish(record, issue));
                metrics.accepted(System.nanoTime() - start, nfe, updated.reordered());
            }
        }
    }

    /** @return what the event publishes, or {@code null} if its forecast failed (counted and logged). */
    private SeriesModel.Issue issue(SeriesModel model, Record<String, Event> record, SeriesSnapshot snapshot) {
        try {
            SeriesModel.Issue issue = model.issue(record.key(), snapshot, horizonsMs, record.timestamp());
            issueNfe = model.lastNfe();
            metrics.solverRejectedSteps(model.lastRejectedSteps());
            return issue;
        } catch (RuntimeException e) {
            metrics.forecastFailed();
            LOG.warn("series {}: no forecast after event {}: {}", record.key(), snapshot.events(), e.toString());
            return null;
        }
    }

    /**
     * Counts and logs a series the model failed on that was brought back (nothing for {@code NONE}): once per event,
     * the further of its update's and its forecast's recoveries.
     */
    private void recovered(Record<String, Event> record, SeriesModel.Recovery how) {
        if (how != SeriesModel.Recovery.NONE) {
            metrics.recovered(how.tag());
            LOG.warn("series {}: the model failed on its state; recovered: {}", record.key(), how.tag());
        }
    }

    static SeriesSnapshot.LastIntensity lastIntensity(IntensityRecord r) {
        return new SeriesSnapshot.LastIntensity(r.timeMs(), r.lambda(), r.expectedCount());
    }

    /** @return derivative evaluations of the forecast, 0 if it could not be published. */
    private long publish(Record<String, Event> record, SeriesModel.Issue issue) {
        try {
            context.forward(new Record<>(record.key(), issue.forecast(), record.timestamp()),
                    EngineTopology.FORECASTS_SINK);
            context.forward(new Record<>(record.key(), issue.intensity(), record.timestamp()),
                    EngineTopology.INTENSITIES_SINK);
            metrics.forecastPublished();
            return issueNfe;
        } catch (RuntimeException e) {
            metrics.forecastFailed();
            LOG.warn("series {}: forecast after event {} not published: {}", record.key(),
                    issue.forecast().eventCount(), e.toString());
            return 0;
        }
    }

    private void setAside(Record<String, Event> record, RejectReason reason, String detail, String sink) {
        if (reason == RejectReason.LATE) {
            metrics.late();
        } else {
            metrics.rejected(reason.code());
        }
        byte[] key = record.key().getBytes(StandardCharsets.UTF_8);
        byte[] value = EventJson.write(record.value());
        context.forward(DeadLetters.of(context, record, key, value, reason, detail,
                config.limits().maxDeadLetterBytes()), sink);
    }
}
