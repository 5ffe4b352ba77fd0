package dev.odestream.stream;

import dev.odestream.metrics.EngineMetrics;
import dev.odestream.model.ModelConfig;
import dev.odestream.model.checkpoint.LoadedModel;
import dev.odestream.model.checkpoint.ModelSlot;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * What the engine's topology needs to know, immutable. Kafka client and Streams settings are not here; they pass
 * through to Kafka unchanged.
 *
 * @param topics topic names
 * @param initialModel the model used until the {@code models} topic supplies a valid checkpoint
 * @param modelName the key on the {@code models} topic this engine follows
 * @param ringCapacity recent events kept per series, for out-of-order replay and re-encoding on a model change
 * @param grace how far before a series' last event an event is still folded in (by replay); older is late
 * @param maxFuture how far after the wall clock an event time may lie
 * @param horizons forecast horizons after each event, increasing, positive
 * @param timeScale how event times map to model time
 * @param eventTimeFromRecord take event time from the record timestamp instead of the {@code time} field
 * @param idleInterval how often, by the wall clock, each series processor sweeps its store, and how long a series
 *     must have gone without an event to get an intensity record at the sweep's time; zero turns the sweep off
 * @param ttl how long a series may go without an event before a sweep deletes it; zero keeps series for ever.
 *     Needs a sweep: a positive {@code ttl} must exceed a positive {@code idleInterval}
 * @param limits bounds on a series id's length, on the earliest event time and on a dead letter's size
 */
public record EngineConfig(Topics topics, LoadedModel initialModel, String modelName, int ringCapacity,
                           Duration grace, Duration maxFuture, List<Duration> horizons, TimeScale timeScale,
                           boolean eventTimeFromRecord, Duration idleInterval, Duration ttl, Limits limits) {

    /** The store of per-series snapshots. */
    public static final String SERIES_STORE = "series-state";
    /** The global store of validated model checkpoints. */
    public static final String MODELS_STORE = "models";

    /** Checks every field. */
    public EngineConfig {
        Objects.requireNonNull(topics, "topics");
        Objects.requireNonNull(initialModel, "initialModel");
        Objects.requireNonNull(timeScale, "timeScale");
        Objects.requireNonNull(limits, "limits");
        if (modelName == null || modelName.isEmpty()) {
            throw new IllegalArgumentException("modelName must not be empty");
        }
        if (ringCapacity < 1 || ringCapacity > 65_535) {
            throw new IllegalArgumentException("ringCapacity must lie in [1, 65535], got " + ringCapacity);
        }
        if (grace.isNegative() || !maxFuture.isPositive()) {
            throw new IllegalArgumentException("need grace >= 0 and maxFuture > 0, got " + grace + ", " + maxFuture);
        }
        checkIdle(idleInterval, ttl);
        horizons = List.copyOf(horizons);
        if (horizons.isEmpty()) {
            throw new IllegalArgumentException("need at least one forecast horizon");
        }
        for (int i = 0; i < horizons.size(); i++) {
            if (!horizons.get(i).isPositive() || (i > 0 && horizons.get(i).compareTo(horizons.get(i - 1)) <= 0)) {
                throw new IllegalArgumentException("horizons must be positive and increasing, got " + horizons);
            }
        }
    }

    /** A configuration without the idle sweep, with the default {@link Limits}. */
    public EngineConfig(Topics topics, LoadedModel initialModel, String modelName, int ringCapacity, Duration grace,
                        Duration maxFuture, List<Duration> horizons, TimeScale timeScale, boolean eventTimeFromRecord) {
        this(topics, initialModel, modelName, ringCapacity, grace, maxFuture, horizons, timeScale,
                eventTimeFromRecord, Duration.ZERO, Duration.ZERO, Limits.defaults());
    }

    private static void checkIdle(Duration idleInterval, Duration ttl) {
        if (idleInterval.isNegative() || ttl.isNegative()) {
            throw new IllegalArgumentException("idle interval and TTL must not be negative, got " + idleInterval
                    + ", " + ttl);
        }
        if (ttl.isPositive() && (idleInterval.isZero() || ttl.compareTo(idleInterval) <= 0)) {
            throw new IllegalArgumentException("a TTL (" + ttl + ") needs the idle sweep that enforces it: an idle"
                    + " interval that is positive and shorter than the TTL, got " + idleInterval);
        }
    }

    /**
     * Defaults around a model: the default topics, model name {@code default}, a 32-event ring, 10 s grace, 1 h
     * into the future at most, horizons 1 s, 5 s and 15 s, one model time unit per second, event time from the field,
     * no idle sweep, the default {@link Limits}.
     */
    public static EngineConfig defaults(LoadedModel model) {
        return new EngineConfig(Topics.defaults(), model, "default", 32, Duration.ofSeconds(10), Duration.ofHours(1),
                List.of(Duration.ofSeconds(1), Duration.ofSeconds(5), Duration.ofSeconds(15)), TimeScale.seconds(),
                false);
    }

    /** @return the model's architecture. */
    public ModelConfig modelConfig() {
        return initialModel.config();
    }

    /** @return the horizons in milliseconds. */
    public long[] horizonsMs() {
        return horizons.stream().mapToLong(Duration::toMillis).toArray();
    }

    /**
     * @param metrics where swaps are counted; refusals are counted once, where checkpoints are read
     *     ({@link ModelStoreUpdater}), not by each thread
     * @param reportsModel whether the slot reports the model in use and swaps (stream threads do; query threads,
     *     which follow the same store, do not)
     * @return a slot for one thread, serving {@link #initialModel()} until the {@code models} store has a valid one
     */
    public ModelSlot<SeriesModel> modelSlot(EngineMetrics metrics, boolean reportsModel) {
        return new ModelSlot<>(modelName, initialModel, this::seriesModel, new ModelSlot.Listener() {
            @Override
            public void inUse(LoadedModel model, boolean swap) {
                if (reportsModel) {
                    metrics.modelInUse(model.version(), model.trainedAtEpochSeconds(), swap);
                }
            }

            @Override
            public void refused(String reason) {
                // Logged by the slot; the store holds only checkpoints its updater accepted and counted.
            }
        });
    }

    /** @return this engine's checkpoint record in the global {@code models} store; null if none or no store */
    public byte[] modelRecord(ReadOnlyKeyValueStore<String, byte[]> models) {
        return models == null ? null : models.get(modelName);
    }

    /** @return a {@link SeriesModel} of a model version with this configuration, for one thread. */
    public SeriesModel seriesModel(LoadedModel model) {
        return new SeriesModel(model, timeScale, ringCapacity, grace.toMillis(), Math.max(horizons.size() + 1, 64));
    }

    /** @return this configuration with another ring capacity. */
    public EngineConfig withRingCapacity(int capacity) {
        return new EngineConfig(topics, initialModel, modelName, capacity, grace, maxFuture, horizons, timeScale,
                eventTimeFromRecord, idleInterval, ttl, limits);
    }

    /** @return this configuration with another grace. */
    public EngineConfig withGrace(Duration newGrace) {
        return new EngineConfig(topics, initialModel, modelName, ringCapacity, newGrace, maxFuture, horizons,
                timeScale, eventTimeFromRecord, idleInterval, ttl, limits);
    }

    /** @return this configuration with other topic names. */
    public EngineConfig withTopics(Topics newTopics) {
        return new EngineConfig(newTopics, initialModel, modelName, ringCapacity, grace, maxFuture, horizons,
                timeScale, eventTimeFromRecord, idleInterval, ttl, limits);
    }

    /** @return this configuration with another idle sweep: its interval and the TTL, zero for off. */
    public EngineConfig withIdle(Duration newIdleInterval, Duration newTtl) {
        return new EngineConfig(topics, initialModel, modelName, ringCapacity, grace, maxFuture, horizons, timeScale,
                eventTimeFromRecord, newIdleInterval, newTtl, limits);
    }

    /** @return this configuration with other limits. */
    public EngineConfig withLimits(Limits newLimits) {
        return new EngineConfig(topics, initialModel, modelName, ringCapacity, grace, maxFuture, horizons, timeScale,
                eventTimeFromRecord, idleInterval, ttl, newLimits);
    }

    /** @return this configuration with another bound on how far after the wall clock an event time may lie. */
    public EngineConfig withMaxFuture(Duration newMaxFuture) {
        return new EngineConfig(topics, initialModel, modelName, ringCapacity, grace, newMaxFuture, horizons,
                timeScale, eventTimeFromRecord, idleInterval, ttl, limits);
    }
}
