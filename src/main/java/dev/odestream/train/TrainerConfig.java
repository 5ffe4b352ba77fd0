package dev.odestream.train;

import dev.odestream.nn.AdamSettings;
import java.util.Objects;
import java.util.Optional;

/**
 * Everything that controls a training run. Build one with {@link #builder()}; every setting has a default.
 *
 * @param iterations the most optimizer steps to take
 * @param batchSize windows per minibatch; a training set smaller than this is used whole
 * @param threads worker threads that compute a minibatch's gradient together
 * @param shards slices a minibatch is split into. The result depends on the shard count, never on the thread count
 *               or on timing, because each shard's gradient goes to its own buffer and the buffers are added in shard
 *               order. Fix it to reproduce a run on a machine with another number of processors.
 * @param seed seeds the minibatch shuffling
 * @param optimizer Adam or Adamax
 * @param adam the optimizer's settings; its learning rate is replaced by {@code learningRate} each step
 * @param learningRate learning-rate schedule
 * @param beta KL-weight schedule handed to the model in each {@link TrainingStep}
 * @param clipNorm the largest global gradient norm; larger gradients are scaled down. Infinity turns it off.
 * @param evaluateEvery iterations between validation passes (the last iteration is always evaluated)
 * @param patience validation passes without improvement before training stops; 0 never stops early
 * @param logEvery iterations between progress lines
 * @param checkpoint where to write the final checkpoint, if anywhere
 */
public record TrainerConfig(int iterations, int batchSize, int threads, int shards, long seed,
                            OptimizerKind optimizer, AdamSettings adam, Schedule learningRate, Schedule beta,
                            double clipNorm, int evaluateEvery, int patience, int logEvery,
                            Optional<CheckpointTarget> checkpoint) {

    public TrainerConfig {
        Objects.requireNonNull(optimizer, "optimizer");
        Objects.requireNonNull(adam, "adam");
        Objects.requireNonNull(learningRate, "learningRate");
        Objects.requireNonNull(beta, "beta");
        Objects.requireNonNull(checkpoint, "checkpoint");
        if (iterations < 1 || batchSize < 1 || threads < 1 || shards < 1 || evaluateEvery < 1 || logEvery < 1
                || patience < 0 || !(clipNorm > 0)) {
            throw new IllegalArgumentException("invalid trainer settings " + this);
        }
    }

    /** @return a builder with the defaults listed on its setters. */
    public static Builder builder() {
        return new Builder();
    }

    /** Collects settings; {@link #build()} validates them. */
    public static final class Builder {

        private int iterations = 1000;
        private int batchSize = 50;
        private int threads = Runtime.getRuntime().availableProcessors();
        private int shards;
        private long seed;
        private OptimizerKind optimizer = OptimizerKind.ADAM;
        private AdamSettings adam = AdamSettings.of(0.01);
        private Schedule learningRate;
        private Schedule beta = Schedule.constant(1.0);
        private double clipNorm = Double.POSITIVE_INFINITY;
        private int evaluateEvery = 50;
        private int patience;
        private int logEvery = 50;
        private CheckpointTarget checkpoint;

        private Builder() {
        }

        /** Default 1000. */
        public Builder iterations(int n) {
            this.iterations = n;
            return this;
        }

        /** Default 50. */
        public Builder batchSize(int n) {
            this.batchSize = n;
            return this;
        }

        /** Default: the available processors. */
        public Builder threads(int n) {
            this.threads = n;
            return this;
        }

        /** Default: the thread count. */
        public Builder shards(int n) {
            this.shards = n;
            return this;
        }

        /** Default 0. */
        public Builder seed(long s) {
            this.seed = s;
            return this;
        }

        /** Default {@link OptimizerKind#ADAM}. */
        public Builder optimizer(OptimizerKind kind) {
            this.optimizer = kind;
            return this;
        }

        /** Default {@code AdamSettings.of(0.01)}. */
        public Builder adam(AdamSettings settings) {
            this.adam = settings;
            return this;
        }

        /** Default: constant at the learning rate of the Adam settings. */
        public Builder learningRate(Schedule schedule) {
            this.learningRate = schedule;
            return this;
        }

        /** Default: constant 1. */
        public Builder beta(Schedule schedule) {
            this.beta = schedule;
            return this;
        }

        /** Default: no clipping. */
        public Builder clipNorm(double maxNorm) {
            this.clipNorm = maxNorm;
            return this;
        }

        /** Default 50. */
        public Builder evaluateEvery(int n) {
            this.evaluateEvery = n;
            return this;
        }

        /** Default 0: no early stopping. */
        public Builder patience(int n) {
            this.patience = n;
            return this;
        }

        /** Default 50. */
        public Builder logEvery(int n) {
            this.logEvery = n;
            return this;
        }

        /** Default: none. */
        public Builder checkpoint(CheckpointTarget target) {
            this.checkpoint = target;
            return this;
        }

        /** @return the validated configuration. */
        public TrainerConfig build() {
            Schedule lr = learningRate != null ? learningRate : Schedule.constant(adam.learningRate());
            int s = shards > 0 ? shards : threads;
            return new TrainerConfig(iterations, batchSize, threads, s, seed, optimizer, adam, lr, beta, clipNorm,
                    evaluateEvery, patience, logEvery, Optional.ofNullable(checkpoint));
        }
    }
}
