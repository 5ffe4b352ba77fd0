package dev.odestream.stream;

import dev.odestream.metrics.EngineMetrics;
import dev.odestream.model.checkpoint.CheckpointEnvelope;
import dev.odestream.model.checkpoint.LoadedModel;
import dev.odestream.model.checkpoint.ModelRejectedException;
import dev.odestream.model.checkpoint.ModelSlot;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the global {@code models} store, the one place where checkpoints are read and judged. A record of the
 * {@code models} topic, raw ODSC or a {@link CheckpointEnvelope} (whose fields must agree with the checkpoint it
 * carries), is stored as it came only if it passes, in order:
 * <ol>
 *   <li>{@link LoadedModel#fromRecord}: it decodes and fits the engine's initial model (its architecture, or with
 *       no model yet its data shape);</li>
 *   <li>{@link ModelHistory}: its version number has not named other parameters before;</li>
 *   <li>{@link ModelCanary}: it runs, finite and without recovery, on a probe series and on a sample of live
 *       series.</li>
 * </ol>
 * A refused checkpoint is counted once ({@code odestream.model.rejections}, tagged {@code invalid},
 * {@code version-reused} or {@code canary}) and the stored one stays, so every thread, stream or query, serves
 * what this processor stored ({@link ModelSlot}).
 *
 * <p><b>A tombstone withdraws the model</b>: the entry is removed and every thread goes back to the engine's initial
 * model (its {@code --checkpoint}, the bundled model, or the baseline), as a restart after the topic is compacted
 * would. The versions seen stay taken.
 *
 * <p>Kafka Streams runs this processor over the topic when it restores the store on a start, so a restarted engine
 * judges the same records in the same order and ends with the same model.
 */
final class ModelStoreUpdater implements Processor<String, byte[], Void, Void> {

    private static final Logger LOG = LoggerFactory.getLogger(ModelStoreUpdater.class);

    private final EngineConfig config;
    private final EngineMetrics metrics;
    private final ModelHistory history;
    private final ModelCanary canary;
    private KeyValueStore<String, byte[]> store;

    ModelStoreUpdater(EngineConfig config, EngineMetrics metrics, ModelHistory history, ModelCanary canary) {
        this.config = config;
        this.metrics = metrics;
        this.history = history;
        this.canary = canary;
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
            LOG.info("model '{}': withdrawn by a tombstone; the engine's initial model, version {}, serves again",
                    record.key(), config.initialModel().version());
            return;
        }
        LoadedModel model;
        try {
            model = LoadedModel.fromRecord(record.key(), record.value(), config.initialModel());
        } catch (ModelRejectedException e) {
            refuse(record.key(), "invalid", e.getMessage());
            return;
        }
        String reused = history.conflict(record.key(), model);
        if (reused != null) {
            refuse(record.key(), "version-reused", reused);
            return;
        }
        if (record.key().equals(config.modelName())) {
            try {
                canary.check(model);
            } catch (ModelRejectedException e) {
                refuse(record.key(), "canary", e.getMessage());
                return;
            }
        }
        history.accepted(record.key(), model);
        store.put(record.key(), record.value());
        LOG.info("model '{}': version {} stored", record.key(), model.version());
    }

    private void refuse(String name, String reason, String detail) {
        metrics.modelRejected(reason);
        LOG.warn("model '{}': checkpoint refused ({}), the stored one stays: {}", name, reason, detail);
    }
}
