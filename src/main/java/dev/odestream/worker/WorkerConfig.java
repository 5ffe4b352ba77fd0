package dev.odestream.worker;

import dev.odestream.model.checkpoint.LoadedModel;
import dev.odestream.stream.Limits;
import dev.odestream.stream.TimeScale;
import dev.odestream.stream.Topics;
import dev.odestream.train.TrainingSettings;

import java.time.Duration;
import java.util.Objects;

/**
 * Everything that controls the trainer worker, immutable. Kafka client settings are not here; they pass through.
 *
 * @param topics topic names, the engine's
 * @param modelName the key on the {@code models} topic the worker reads and publishes
 * @param initialModel the model in use until the {@code models} topic holds a valid checkpoint; it fixes the
 *     architecture every checkpoint must have
 * @param timeScale how event times map to model time, the engine's
 * @param eventTimeFromRecord take event time from the record timestamp, as the engine may
 * @param buffer the bounds of the training buffer and the window shape
 * @param triggers when to train
 * @param training how to train one round
 * @param rmseMargin how much worse (relative) a candidate's held-out RMSE may be than the current model's
 * @param backend {@code auto}, {@code cpu} or {@code cuda}
 * @param limits the engine's bounds on series ids and event times, so that the worker reads what the engine takes
 * @param maxFuture how far after the wall clock an event time may lie, the engine's
 */
public record WorkerConfig(Topics topics, String modelName, LoadedModel initialModel, TimeScale timeScale,
                           boolean eventTimeFromRecord, BufferSettings buffer, TriggerSettings triggers,
                           TrainingSettings training, double rmseMargin, String backend, Limits limits,
                           Duration maxFuture) {

    /** Checks every field. */
    public WorkerConfig {
        Objects.requireNonNull(topics, "topics");
        Objects.requireNonNull(initialModel, "initialModel");
        Objects.requireNonNull(timeScale, "timeScale");
        Objects.requireNonNull(buffer, "buffer");
        Objects.requireNonNull(triggers, "triggers");
        Objects.requireNonNull(training, "training");
        Objects.requireNonNull(backend, "backend");
        Objects.requireNonNull(limits, "limits");
        if (!maxFuture.isPositive()) {
            throw new IllegalArgumentException("maxFuture must be positive, got " + maxFuture);
        }
        if (modelName == null || modelName.isEmpty()) {
            throw new IllegalArgumentException("modelName must not be empty");
        }
        if (!(rmseMargin >= 0) || Double.isInfinite(rmseMargin)) {
            throw new IllegalArgumentException("rmseMargin must be finite and non-negative, got " + rmseMargin);
        }
    }

    /**
     * Defaults around a model: the default topics, model name {@code default}, one model time unit per second,
     * {@link BufferSettings#defaults()}, {@link TriggerSettings#defaults()}, {@link TrainingSettings#defaults()},
     * a 5 % RMSE margin, backend {@code auto}, and the engine's default limits and future bound.
     */
    public static WorkerConfig defaults(LoadedModel model) {
        return new WorkerConfig(Topics.defaults(), "default", model, TimeScale.seconds(), false,
                BufferSettings.defaults(), TriggerSettings.defaults(), TrainingSettings.defaults(), 0.05, "auto",
                Limits.defaults(), EventReader.MAX_FUTURE);
    }

    /** @return this configuration with the engine's limits and future bound. */
    public WorkerConfig withLimits(Limits newLimits, Duration newMaxFuture) {
        return new WorkerConfig(topics, modelName, initialModel, timeScale, eventTimeFromRecord, buffer, triggers,
                training, rmseMargin, backend, newLimits, newMaxFuture);
    }

    /** @return this configuration with other buffer settings. */
    public WorkerConfig withBuffer(BufferSettings settings) {
        return new WorkerConfig(topics, modelName, initialModel, timeScale, eventTimeFromRecord, settings, triggers,
                training, rmseMargin, backend, limits, maxFuture);
    }

    /** @return this configuration with other triggers. */
    public WorkerConfig withTriggers(TriggerSettings settings) {
        return new WorkerConfig(topics, modelName, initialModel, timeScale, eventTimeFromRecord, buffer, settings,
                training, rmseMargin, backend, limits, maxFuture);
    }

    /** @return this configuration with other training settings. */
    public WorkerConfig withTraining(TrainingSettings settings) {
        return new WorkerConfig(topics, modelName, initialModel, timeScale, eventTimeFromRecord, buffer, triggers,
                settings, rmseMargin, backend, limits, maxFuture);
    }

    /**
     * The memory bound of the buffer and how it is cut into windows.
     *
     * @param maxSeries series kept; the least recently updated one leaves first
     * @param maxEventsPerSeries recent events kept per series
     * @param contextEvents events a window's encoder reads
     * @param targetEvents events after {@code tau} a window scores
     */
    public record BufferSettings(int maxSeries, int maxEventsPerSeries, int contextEvents, int targetEvents) {

        /** Checks that a series can hold at least one window. */
        public BufferSettings {
            if (maxSeries < 1 || contextEvents < 1 || targetEvents < 1
                    || maxEventsPerSeries < contextEvents + targetEvents) {
                throw new IllegalArgumentException("need maxSeries >= 1, contextEvents >= 1, targetEvents >= 1"
                        + " and maxEventsPerSeries >= contextEvents + targetEvents, got " + this);
            }
        }

        /** 10 000 series, 64 events each, windows of 16 context and 8 target events. */
        public static BufferSettings defaults() {
            return new BufferSettings(10_000, 64, 16, 8);
        }

        /** @return events one window spans. */
        public int windowEvents() {
            return contextEvents + targetEvents;
        }
    }

    /**
     * When a training round starts.
     *
     * @param every time between scheduled rounds; zero turns the timer off
     * @param everyEvents new events between scheduled rounds; 0 turns the count off
     * @param driftThreshold live error above {@code (1 + threshold)} times the reference error is drift
     * @param ewmaWeight weight of the newest event in the live error's moving average, in {@code (0, 1]}
     * @param warmupEvents events scored under a new model before its reference error is settled (see
     *     {@link LiveError}), and the fewest new events between two drift-triggered rounds
     */
    public record TriggerSettings(Duration every, long everyEvents, double driftThreshold, double ewmaWeight,
                                  int warmupEvents) {

        /** Checks the ranges. */
        public TriggerSettings {
            Objects.requireNonNull(every, "every");
            if (every.isNegative() || everyEvents < 0 || !(driftThreshold > 0) || !(ewmaWeight > 0)
                    || ewmaWeight > 1 || warmupEvents < 1) {
                throw new IllegalArgumentException("need every >= 0, everyEvents >= 0, driftThreshold > 0,"
                        + " ewmaWeight in (0, 1] and warmupEvents >= 1, got " + this);
            }
        }

        /** Every 10 minutes or 50 000 events; drift at 50 % above the reference, EWMA weight 0.01, 500 warm-up. */
        public static TriggerSettings defaults() {
            return new TriggerSettings(Duration.ofMinutes(10), 50_000, 0.5, 0.01, 500);
        }
    }
}
