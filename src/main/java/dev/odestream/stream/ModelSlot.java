package dev.odestream.stream;

import dev.odestream.metrics.EngineMetrics;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Arrays;

/**
 * The model one stream thread uses, kept in step with the global {@code models} store. On each look-up it compares
 * the stored checkpoint with the last one it saw (a reference check, then the bytes), so a new checkpoint is taken up
 * by the next event. A checkpoint, raw ODSC or a {@link CheckpointEnvelope}, is checked before use
 * ({@link LoadedModel#fromRecord}); if it is refused, or
 * reuses the version number in use with other parameters (a version must name one model), the model in use stays.
 *
 * <p>Not thread-safe: each stream thread, and each query thread, has its own.
 */
public final class ModelSlot {

    private static final Logger LOG = LoggerFactory.getLogger(ModelSlot.class);

    private final EngineConfig config;
    private final EngineMetrics metrics;
    private final boolean reportsModel;
    private SeriesModel current;
    private byte[] lastSeen;

    /**
     * @param config the engine's configuration; the slot starts with its initial model
     * @param metrics where swaps and refusals are counted
     * @param reportsModel whether this slot reports the model in use and swaps (stream threads do; query threads,
     *     which follow the same store, only count refusals)
     */
    public ModelSlot(EngineConfig config, EngineMetrics metrics, boolean reportsModel) {
        this.config = config;
        this.metrics = metrics;
        this.reportsModel = reportsModel;
        this.current = config.seriesModel(config.initialModel());
        if (reportsModel) {
            metrics.modelInUse(current.version(), current.loaded().trainedAtEpochSeconds(), false);
        }
    }

    /**
     * @param models the global store, or {@code null} when the topology has none
     * @return the model to use now
     */
    public SeriesModel current(ReadOnlyKeyValueStore<String, byte[]> models) {
        byte[] bytes = models == null ? null : models.get(config.modelName());
        if (bytes != null && bytes != lastSeen && !Arrays.equals(bytes, lastSeen)) {
            lastSeen = bytes;
            consider(config.modelName(), bytes);
        }
        return current;
    }

    private void consider(String name, byte[] bytes) {
        try {
            LoadedModel candidate = LoadedModel.fromRecord(name, bytes, config.modelConfig());
            if (candidate.equals(current.loaded())) {
                return;
            }
            if (candidate.version() == current.version()) {
                throw new ModelRejectedException("checkpoint reuses version " + candidate.version()
                        + " with other parameters; publish a new version");
            }
            LOG.info("model '{}': version {} replaces version {}", config.modelName(), candidate.version(),
                    current.version());
            current = config.seriesModel(candidate);
            if (reportsModel) {
                metrics.modelInUse(candidate.version(), candidate.trainedAtEpochSeconds(), true);
            }
        } catch (ModelRejectedException e) {
            metrics.modelRejected();
            LOG.warn("model '{}': checkpoint refused, version {} stays in use: {}", config.modelName(),
                    current.version(), e.getMessage());
        }
    }
}
