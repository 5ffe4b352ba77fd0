package dev.odestream.worker;

import dev.odestream.model.ModelConfig;
import dev.odestream.model.checkpoint.LoadedModel;
import dev.odestream.nn.Activation;
import dev.odestream.stream.Event;
import dev.odestream.stream.TimeScale;
import dev.odestream.stream.Topics;
import dev.odestream.train.TrainingSettings;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/** Tiny models and generated series for the worker's tests. */
final class Streams {

    private Streams() {
    }

    /** One value, one event type, latent 2, every hidden layer 6, two forecast samples, loose tolerances. */
    static ModelConfig tinyModel() {
        return new ModelConfig(1, 1, 2, 6, 6, 6, 6, Activation.TANH, 0.1, 2, 1e-4, 1e-6);
    }

    static LoadedModel initial() {
        return LoadedModel.initial(tinyModel(), 3L);
    }

    /** A configuration for tests: small buffer windows (3 + 3), short rounds on two threads. */
    static WorkerConfig config(LoadedModel model) {
        return new WorkerConfig(Topics.defaults(), "default", model, TimeScale.seconds(), false,
                new WorkerConfig.BufferSettings(200, 12, 3, 3),
                new WorkerConfig.TriggerSettings(Duration.ZERO, 0, 0.5, 0.2, 30),
                new TrainingSettings(60, 16, 0.05, 10.0, 2, 8, 7), 0.05, "cpu", dev.odestream.stream.Limits.defaults(),
                EventReader.MAX_FUTURE);
    }

    /**
     * Events of one series around a level: gaps of 0.5 to 1.5 s, values the level plus a little noise.
     *
     * @return {@code count} events starting at {@code startMs}
     */
    static List<Event> level(double level, int count, long startMs, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        List<Event> events = new ArrayList<>(count);
        long t = startMs;
        for (int i = 0; i < count; i++) {
            t += 500 + rng.nextInt(1000);
            events.add(Event.of(t, level + 0.05 * rng.nextGaussian()));
        }
        return events;
    }

    /** Fills a buffer with {@code series} series of {@code count} events at a level. */
    static void fill(TrainingBuffer buffer, int series, double level, int count, long startMs) {
        for (int s = 0; s < series; s++) {
            for (Event e : level(level, count, startMs, 1000L * s + (long) (level * 7919))) {
                buffer.add("s" + s, e);
            }
        }
    }
}
