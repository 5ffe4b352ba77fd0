package dev.odestream.train;

import dev.odestream.model.BatchedElbo;
import dev.odestream.model.Window;
import dev.odestream.model.checkpoint.DataRange;
import dev.odestream.model.checkpoint.LoadedModel;
import dev.odestream.nn.AdamSettings;
import dev.odestream.train.LatentOdeTrainable;
import dev.odestream.train.Progress;
import dev.odestream.train.Trainer;
import dev.odestream.train.TrainerConfig;
import dev.odestream.train.TrainingResult;

import java.time.Instant;
import java.util.List;

/**
 * The reference backend: the generic {@link Trainer} on the JVM, which splits each minibatch over {@code threads}
 * workers and adds their gradients in a fixed order, so a round repeats bit for bit from its seed. Sessions keep their
 * trainer, hence their Adam moments, between calls.
 */
public final class CpuBackend implements TrainingBackend {

    private static final DataRange UNUSED = new DataRange(Instant.EPOCH, Instant.EPOCH, 0);

    /** Shards per minibatch: a seed gives the same round on up to this many threads. */
    static final int SHARDS = 2;

    private final int threads;

    /** @param threads worker threads per minibatch and per scoring pass */
    public CpuBackend(int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be at least 1, got " + threads);
        }
        this.threads = threads;
    }

    @Override
    public String name() {
        return "cpu";
    }

    @Override
    public Session open(LoadedModel start, TrainingSettings settings) {
        // The batched path: each shard of a minibatch is one solve on its union grid, the same arithmetic the CUDA
        // backend runs on a device. Scoring below is a batch of one per window, so the gate judges every backend alike.
        LatentOdeTrainable trainable = new LatentOdeTrainable(start.instantiate(),
                LatentOdeTrainable.Validation.NEGATIVE_LOG_LIKELIHOOD, settings.seed(), 1.0,
                new LatentOdeTrainable.Options(BatchedElbo.Recognition.ODE_RNN, settings.batchSize()));
        TrainerConfig config = TrainerConfig.builder().iterations(settings.iterations())
                .batchSize(settings.batchSize()).threads(threads).shards(SHARDS).seed(settings.seed())
                .adam(AdamSettings.of(settings.learningRate())).clipNorm(settings.clipNorm())
                .evaluateEvery(settings.iterations()).logEvery(settings.iterations()).build();
        return new CpuSession(trainable, new Trainer<>(trainable, config, line -> { }), settings.batchSize());
    }

    @Override
    public HeldOutScore score(LoadedModel model, List<Window> windows) {
        return new HeldOutScore(validate(model, windows, LatentOdeTrainable.Validation.NEGATIVE_LOG_LIKELIHOOD),
                validate(model, windows, LatentOdeTrainable.Validation.RMSE));
    }

    private double validate(LoadedModel model, List<Window> windows, LatentOdeTrainable.Validation validation) {
        LatentOdeTrainable trainable = new LatentOdeTrainable(model.instantiate(), validation, 0);
        TrainerConfig config = TrainerConfig.builder().iterations(1).threads(threads).build();
        try (Trainer<Window> trainer = new Trainer<>(trainable, config, line -> { })) {
            return trainer.validate(windows);
        }
    }

    @Override
    public void close() {
        // Sessions own their threads; the backend holds nothing between them.
    }

    private record CpuSession(LatentOdeTrainable trainable, Trainer<Window> trainer, int batchSize)
            implements Session {

        @Override
        public RoundStats train(List<Window> windows) {
            TrainingResult r = trainer.train(windows, List.of(), UNUSED);
            double forward = 0;
            double backward = 0;
            long previous = 0;
            for (Progress p : r.progress()) {
                forward += p.counters().getOrDefault("nfe.forward", 0.0) * (p.iteration() - previous);
                backward += p.counters().getOrDefault("nfe.backward", 0.0) * (p.iteration() - previous);
                previous = p.iteration();
            }
            double perStep = r.seconds() / Math.max(1, r.iterations());
            double samples = (double) Math.min(batchSize, windows.size()) * r.iterations();
            return new RoundStats(r.iterations(), r.skippedSteps(), r.finalLoss(), perStep, samples / r.seconds(),
                    Math.round(forward), Math.round(backward));
        }

        @Override
        public double[] parameters() {
            return trainable.parameters().values().clone();
        }

        @Override
        public void close() {
            trainer.close();
        }
    }
}
