package dev.odestream.stream;

import dev.odestream.metrics.EngineMetrics;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;

/**
 * The per-series processor: folds each valid event into its series' snapshot in the {@code series-state} store and
 * publishes a forecast and an intensity, each naming the model version. An event too old for its series goes to the
 * late sink; one the model cannot fold in goes to the dead-letter sink ({@code model-failure}); the snapshot is then
 * unchanged. Both carry the event's canonical JSON with reason headers.
 *
 * <p>A series last computed by another model version is re-encoded from its ring when it is next touched
 * ({@link SeriesModel#update}).
 */
final class SeriesProcessor implements Processor<String, Event, Object, Object> {

    private static final Logger LOG = LoggerFactory.getLogger(SeriesProcessor.class);

    private final EngineConfig config;
    private final EngineMetrics metrics;
    private final long[] horizonsMs;
    private ProcessorContext<Object, Object> context;
    private KeyValueStore<String, SeriesSnapshot> store;
    private ReadOnlyKeyValueStore<String, byte[]> models;
    private ModelSlot slot;

    SeriesProcessor(EngineConfig config, EngineMetrics metrics) {
        this.config = config;
        this.metrics = metrics;
        this.horizonsMs = config.horizonsMs();
    }

    @Override
    public void init(ProcessorContext<Object, Object> context) {
        this.context = context;
        this.store = context.getStateStore(EngineConfig.SERIES_STORE);
        this.models = context.getStateStore(EngineConfig.MODELS_STORE);
        this.slot = new ModelSlot(config, metrics, true);
    }

    @Override
    public void process(Record<String, Event> record) {
        long start = System.nanoTime();
        SeriesModel model = slot.current(models);
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
        switch (outcome) {
            case SeriesModel.Late late -> setAside(record, RejectReason.LATE, late.detail(), EngineTopology.LATE_SINK);
            case SeriesModel.Updated updated -> {
                if (prior == null) {
                    metrics.seriesCreated();
                } else if (prior.modelVersion() != model.version()) {
                    metrics.reencoded();
                }
                store.put(record.key(), updated.snapshot());
                long nfe = model.lastNfe() + publish(model, record, updated.snapshot());
                metrics.accepted(System.nanoTime() - start, nfe, updated.reordered());
            }
        }
    }

    /** @return derivative evaluations of the forecast, 0 if it failed. */
    private long publish(SeriesModel model, Record<String, Event> record, SeriesSnapshot snapshot) {
        try {
            SeriesModel.Issue issue = model.issue(record.key(), snapshot, horizonsMs, record.timestamp());
            long nfe = model.lastNfe();
            context.forward(new Record<>(record.key(), issue.forecast(), record.timestamp()),
                    EngineTopology.FORECASTS_SINK);
            context.forward(new Record<>(record.key(), issue.intensity(), record.timestamp()),
                    EngineTopology.INTENSITIES_SINK);
            metrics.forecastPublished();
            return nfe;
        } catch (RuntimeException e) {
            metrics.forecastFailed();
            LOG.warn("series {}: no forecast after event {}: {}", record.key(), snapshot.events(), e.toString());
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
        context.forward(DeadLetters.of(context, record, key, value, reason, detail), sink);
    }
}
