package dev.odestream.train;

import dev.odestream.model.BatchedElbo;
import dev.odestream.model.BatchedElbo.Recognition;
import dev.odestream.model.BatchedElbo.Stepping;
import dev.odestream.model.LatentOdeModel;
import dev.odestream.model.Window;
import dev.odestream.model.checkpoint.LoadedModel;
import dev.odestream.nn.Parameters;
import dev.odestream.ode.OdeSolverException;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.TreeMap;

/**
 * A {@link LatentOdeModel} as a {@link TrainableModel} over {@link Window}s: what the generic trainer fits.
 *
 * <h2>Loss</h2>
 * A window's loss is its negative ELBO with one reparameterisation draw and the KL weight {@code beta} of the
 * {@link TrainingStep}; a slice's loss is the sum over its windows, as the trainer wants. {@link BatchedElbo}
 * computes it, with adjoint gradients, for the slice cut into batches of at most {@link Options#maxBatch()} windows,
 * each batch one ODE solve on the union of its windows' grids. A batch of one is the per-series path: a window's loss
 * then does not depend on what it is sliced with. With larger batches the step sizes are chosen for the batch, so a
 * window's loss depends on its batch mates within the solver's tolerance; with a fixed shard count a seeded run still
 * repeats bitwise on any number of threads. Few large shards (one per thread) suit large batches best.
 *
 * <h2>Reparameterisation noise</h2>
 * The noise of a window at an iteration is drawn from a generator seeded by {@code (noiseSeed, iteration,
 * window.hashCode())}. It is therefore a function of the seed, the iteration and the window's content alone: the same
 * whatever shard, thread, batch or backend the window lands on, so a seeded run repeats bitwise. Two windows with
 * equal content get equal noise, which does no harm.
 *
 * <h2>Validation</h2>
 * Both scores use the posterior mean, {@code eps = 0}, so validation is deterministic:
 * <ul>
 *   <li>{@link Validation#RMSE}: the root mean squared error of the decoded target values, over every scored
 *       coordinate, times the value scale: the measure of Chen et al. 2018, Table 2, in data units. Meant for
 *       windows with targets (spirals).</li>
 *   <li>{@link Validation#NEGATIVE_LOG_LIKELIHOOD}: the mean per window of {@code -(gaussian + poisson)}
 *       log-likelihood at the posterior mean, without the KL term; for windows that are only events (the Poisson
 *       toy), where it is the held-out Poisson negative log-likelihood.</li>
 * </ul>
 * Early stopping keeps the parameters with the lowest value.
 *
 * <h2>Recognition</h2>
 * {@link Recognition#ODE_RNN} is the model's encoder, what the streaming engine runs, and the default.
 * {@link Recognition#RNN} leaves out the encoder ODE between events: the GRU alone over the observations, like the
 * plain recurrent recognition network of torchdiffeq's {@code latent_ode.py}, for comparisons with that code. A model
 * trained so does not suit the engine, whose encoder evolves between events, so its checkpoint is marked as a
 * different model ({@value #RNN_MODEL_NAME}) and {@link LoadedModel#load} refuses it.
 *
 * <h2>Hyperparameters</h2>
 * Every field of the {@link dev.odestream.model.ModelConfig}, the model seed (which fixes the forecast noise, so
 * forecasts of a loaded model repeat exactly) and {@value LoadedModel#VALUE_SCALE}, the scale the data were divided
 * by (a model trained on scaled values reads and writes scaled values, so a user must know it).
 * {@link LoadedModel#load} rebuilds a model from them.
 *
 * <p>Not thread-safe: the trainer runs one {@link #replicate() replica} per worker.
 */
public final class LatentOdeTrainable implements TrainableModel<Window> {

    /** The checkpoint's model name when the encoder is the plain recurrent one. */
    public static final String RNN_MODEL_NAME = "latent-ode-rnn-recognition";

    /** How {@link #evaluate} scores a validation window. */
    public enum Validation {
        /** RMSE of the decoded targets at the posterior mean. */
        RMSE,
        /** Mean per-window negative log-likelihood (Gaussian and Poisson terms) at the posterior mean. */
        NEGATIVE_LOG_LIKELIHOOD
    }

    /**
     * How the loss is computed.
     *
     * @param recognition the encoder
     * @param maxBatch the most windows solved as one batch; workspaces are sized for it once
     * @param stepping how the solves choose their steps
     */
    public record Options(Recognition recognition, int maxBatch, Stepping stepping) {

        public Options {
            Objects.requireNonNull(recognition, "recognition");
            Objects.requireNonNull(stepping, "stepping");
            if (maxBatch < 1) {
                throw new IllegalArgumentException("maxBatch must be at least 1, got " + maxBatch);
            }
        }

        /** Options with {@link Stepping#CONTINUOUS} stepping. */
        public Options(Recognition recognition, int maxBatch) {
            this(recognition, maxBatch, Stepping.CONTINUOUS);
        }

        /** The model's ODE-RNN encoder, batches of up to 1000 windows. */
        public static Options defaults() {
            return new Options(Recognition.ODE_RNN, 1000);
        }

        /** The model's ODE-RNN encoder, each window a batch of its own. */
        public static Options perWindow() {
            return new Options(Recognition.ODE_RNN, 1);
        }
    }

    private final LatentOdeModel model;
    private final Validation validation;
    private final long noiseSeed;
    private final double valueScale;
    private final Options options;
    private final BatchedElbo elbo;
    private final double[] epsilon;

    /**
     * @param model the model to train; its parameters are this trainable's. Modified by training.
     * @param validation the validation score
     * @param noiseSeed seeds the reparameterisation noise
     * @param valueScale what the data were divided by to make the windows' values, positive (1 for raw data); the
     *     RMSE is reported multiplied by it, in data units
     * @param options the encoder, the largest batch and the stepping
     */
    public LatentOdeTrainable(LatentOdeModel model, Validation validation, long noiseSeed, double valueScale,
                              Options options) {
        this.model = Objects.requireNonNull(model, "model");
        this.validation = Objects.requireNonNull(validation, "validation");
        this.options = Objects.requireNonNull(options, "options");
        if (!(valueScale > 0) || Double.isInfinite(valueScale)) {
            throw new IllegalArgumentException("valueScale must be positive and finite, got " + valueScale);
        }
        this.noiseSeed = noiseSeed;
        this.valueScale = valueScale;
        this.elbo = new BatchedElbo(model.config(), options.recognition(), options.maxBatch(), options.stepping());
        if (!elbo.parameters().layout().equals(model.parameters().layout())) {
            throw new IllegalStateException("the loss's modules are laid out unlike the model's");
        }
        this.epsilon = new double[options.maxBatch() * model.config().latentDim()];
    }

    /** Each window a batch of its own ({@link Options#perWindow()}), data used as they are (scale 1). */
    public LatentOdeTrainable(LatentOdeModel model, Validation validation, long noiseSeed) {
        this(model, validation, noiseSeed, 1.0, Options.perWindow());
    }

    /** @return the wrapped model, for forecasts and plots after training. */
    public LatentOdeModel model() {
        return model;
    }

    /** @return the encoder, the largest batch and the stepping. */
    public Options options() {
        return options;
    }

    @Override
    public Parameters parameters() {
        return model.parameters();
    }

    @Override
    public LatentOdeTrainable replicate() {
        return new LatentOdeTrainable(model.copy(), validation, noiseSeed, valueScale, options);
    }

    /**
     * {@inheritDoc}
     *
     * <p>A solve that fails (a learned dynamics too stiff for the step limit) makes the sum NaN instead of ending the
     * run: the trainer then skips the step and counts it.
     */
    @Override
    public double lossAndGradient(List<Window> windows, TrainingStep step, double[] gradOut) {
        syncValues();
        int latent = model.config().latentDim();
        double sum = 0.0;
        for (int from = 0; from < windows.size(); from += options.maxBatch()) {
            int count = Math.min(options.maxBatch(), windows.size() - from);
            for (int b = 0; b < count; b++) {
                fillNoise(noiseSeed, step.iteration(), windows.get(from + b), epsilon, b * latent, latent);
            }
            try {
                sum += elbo.run(windows, from, count, epsilon, step.beta(), gradOut);
            } catch (OdeSolverException e) {
                return Double.NaN;
            }
        }
        return sum;
    }

    /** A failed solve makes the score NaN, which never counts as an improvement. */
    @Override
    public Evaluation evaluate(List<Window> windows) {
        syncValues();
        Arrays.fill(epsilon, 0.0);
        boolean rmse = validation == Validation.RMSE;
        double sum = 0.0;
        long count = 0;
        for (int from = 0; from < windows.size(); from += options.maxBatch()) {
            int n = Math.min(options.maxBatch(), windows.size() - from);
            try {
                elbo.run(windows, from, n, epsilon, 0.0, null);
            } catch (OdeSolverException e) {
                return new Evaluation(Double.NaN, count + 1);
            }
            sum += rmse ? elbo.squaredError() : -elbo.logLikelihood();
            count += rmse ? elbo.scoredValues() : n;
        }
        return new Evaluation(sum, count);
    }

    /** The loss's modules hold their own copy of the parameters; the model's are the ones the trainer updates. */
    private void syncValues() {
        double[] values = model.parameters().values();
        System.arraycopy(values, 0, elbo.parameters().values(), 0, values.length);
    }

    /**
     * The reparameterisation noise of a window at an iteration (see the class comment), shared with
     * the CUDA backend so that every backend draws the same numbers for the same window.
     *
     * @param out receives {@code count} standard normals from {@code offset}. Modified.
     */
    public static void fillNoise(long seed, long iteration, Window window, double[] out, int offset, int count) {
        long mixed = mix(mix(seed ^ mix(iteration)) + window.hashCode());
        SplittableRandom rng = new SplittableRandom(mixed);
        for (int i = 0; i < count; i++) {
            out[offset + i] = rng.nextGaussian();
        }
    }

    @Override
    public double metric(Evaluation total) {
        return validation == Validation.RMSE ? valueScale * Math.sqrt(total.mean()) : total.mean();
    }

    @Override
    public String metricName() {
        return validation == Validation.RMSE ? "rmse" : "nll";
    }

    @Override
    public Map<String, String> hyperparameters() {
        Map<String, String> all = new TreeMap<>(LoadedModel.hyperparameters(model.config(), model.seed()));
        all.put(LoadedModel.VALUE_SCALE, Double.toString(valueScale));
        if (options.recognition() == Recognition.RNN) {
            all.put("model", RNN_MODEL_NAME);
        }
        return all;
    }

    /** Derivative evaluations of the forward solves and of the backward (adjoint) passes, encoder and latent. */
    @Override
    public Map<String, Number> counters() {
        return Map.of("nfe.forward", elbo.forwardNfe(), "nfe.backward", elbo.backwardNfe());
    }

    @Override
    public void resetCounters() {
        elbo.resetCounters();
    }

    /** The SplitMix64 finalizer (Steele, Lea, Flood 2014), to spread nearby seeds apart. */
    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }
}
