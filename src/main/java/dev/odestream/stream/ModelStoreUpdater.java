package dev.odestream.stream;

import dev.odestream.metrics.EngineMetrics;
import dev.odestream.model.checkpoint.LoadedModel;
import dev.odestream.model.checkpoint.ModelRejectedException;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the global {@code models} store: a checkpoint read from the {@code models} topic, raw ODSC or a
 * {@link CheckpointEnvelope} (whose fields must agree with the checkpoint it carries), is stored as it came only if
 * it passes {@link LoadedModel#fromRecord}, so a bad one never replaces a good one. A tombstone removes the entry; engines
 * then keep the model they use. Stream threads check again before use ({@link ModelSlot}), which also covers a
 * store restored from the topic without this processor.
 */
final class ModelStoreUpdater implements Processor<String, byte[], Void, Void> {

    private static final Logger LOG = LoggerFactory.getLogger(ModelStoreUpdater.class);

    private final EngineConfig config;
    private final EngineMetrics metrics;
    private KeyValueStore<String, byte[]> store;

    ModelStoreUpdater(EngineConfig config, EngineMetrics metrics) {
        this.config = config;
        this.metrics = metrics;
    }

    @Override
    public void init(ProcessorContext<Void, Void> context) {
        this.store = context.getStateStore(EngineConfig.MODELS_STORE);
    }

    @Override
    public void process(Record<String, byte[]> record) {
        if (record.key() == null) {
            LOG.warn("ignoring a models record without a key");
            return;
        }
        if (record.value() == null) {
            store.delete(record.key());
            return;
        }
        try {
            LoadedModel model = LoadedModel.fromRecord(record.key(), record.value(), config.initialModel());
            store.put(record.key(), record.value());
            LOG.info("model '{}': version {} stored", record.key(), model.version());
        } catch (ModelRejectedException e) {
            metrics.modelRejected();
            LOG.warn("model '{}': checkpoint refused, the stored one stays: {}", record.key(), e.getMessage());
        }
    }
}
