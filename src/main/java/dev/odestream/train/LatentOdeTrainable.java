package dev.odestream.train;

import dev.odestream.model.ElboGradient;
import dev.odestream.model.ElboTrace;
import dev.odestream.model.LatentOdeModel;
import dev.odestream.model.Window;
import dev.odestream.model.checkpoint.LoadedModel;
import dev.odestream.nn.Parameters;
import dev.odestream.ode.OdeSolverException;
import dev.odestream.train.Evaluation;
import dev.odestream.train.TrainableModel;
import dev.odestream.train.TrainingStep;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.TreeMap;

/**
 * A {@link LatentOdeModel} as a {@link TrainableModel} over {@link Window}s: what the generic trainer fits.
 *
 * <h2>Loss</h2>
 * Each window's loss is its negative ELBO ({@link LatentOdeModel#lossAndGradient(Window, double[], double,
 * double[])}, adjoint gradients) with the KL weight {@code beta} of the {@link TrainingStep} and {@code samples}
 * reparameterisation draws; a slice's loss is the sum over its windows, as the trainer wants. The per-window call is
 * used rather than the model's batch call, which returns a mean.
 *
 * <h2>Reparameterisation noise</h2>
 * The noise of a window at an iteration is drawn from a generator seeded by {@code (noiseSeed, iteration,
 * window.hashCode())}. It is therefore a function of the seed, the iteration and the window's content alone: the same
 * whatever shard or thread the window lands on, so a seeded run repeats bitwise. Two windows with equal content get
 * equal noise, which does no harm.
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
 * <h2>Hyperparameters</h2>
 * Every field of the {@link ModelConfig}, the model seed (which fixes the forecast noise, so forecasts of a loaded
 * model repeat exactly) and {@value LoadedModel#VALUE_SCALE}, the scale the data were divided by (a model trained on scaled
 * values reads and writes scaled values, so a user must know it). {@link LoadedModel#load} rebuilds a model from
 * them.
 *
 * <p>Not thread-safe: the trainer runs one {@link #replicate() replica} per worker.
 */
public final class LatentOdeTrainable implements TrainableModel<Window> {


    /** How {@link #evaluate} scores a validation window. */
    public enum Validation {
        /** RMSE of the decoded targets at the posterior mean. */
        RMSE,
        /** Mean per-window negative log-likelihood (Gaussian and Poisson terms) at the posterior mean. */
        NEGATIVE_LOG_LIKELIHOOD
    }

    private final LatentOdeModel model;
    private final Validation validation;
    private final int samples;
    private final long noiseSeed;
    private final double valueScale;
    private final double[] epsilon;
    private final double[] zero;
    private final ElboTrace trace;
    private long forwardNfe;
    private long backwardNfe;

    /**
     * @param model the model to train; its parameters are this trainable's. Modified by training.
     * @param validation the validation score
     * @param samples reparameterisation draws per window and iteration, in {@code [1, forecastSamples]}
     * @param noiseSeed seeds the reparameterisation noise
     * @param valueScale what the data were divided by to make the windows' values, positive (1 for raw data); the
     *     RMSE is reported multiplied by it, in data units
     */
    public LatentOdeTrainable(LatentOdeModel model, Validation validation, int samples, long noiseSeed,
                              double valueScale) {
        this.model = Objects.requireNonNull(model, "model");
        this.validation = Objects.requireNonNull(validation, "validation");
        int latent = model.config().latentDim();
        if (samples < 1 || samples > model.config().forecastSamples()) {
            throw new IllegalArgumentException("samples must lie in [1, " + model.config().forecastSamples()
                    + "], got " + samples);
        }
        this.samples = samples;
        this.noiseSeed = noiseSeed;
        if (!(valueScale > 0) || Double.isInfinite(valueScale)) {
            throw new IllegalArgumentException("valueScale must be positive and finite, got " + valueScale);
        }
        this.valueScale = valueScale;
        this.epsilon = new double[samples * latent];
        this.zero = new double[latent];
        this.trace = new ElboTrace(model.config());
    }

    /** One draw per window, validation by {@code validation}, data used as they are (scale 1). */
    public LatentOdeTrainable(LatentOdeModel model, Validation validation, long noiseSeed) {
        this(model, validation, 1, noiseSeed, 1.0);
    }

    /** @return the wrapped model, for forecasts and plots after training. */
    public LatentOdeModel model() {
        return model;
    }

    @Override
    public Parameters parameters() {
        return model.parameters();
    }

    @Override
    public LatentOdeTrainable replicate() {
        return new LatentOdeTrainable(model.copy(), validation, samples, noiseSeed, valueScale);
    }

    /**
     * {@inheritDoc}
     *
     * <p>A solve that fails (a learned dynamics too stiff for the step limit) makes the sum NaN instead of ending the
     * run: the trainer then skips the step and counts it.
     */
    @Override
    public double lossAndGradient(List<Window> windows, TrainingStep step, double[] gradOut) {
        double sum = 0.0;
        for (Window w : windows) {
            fillNoise(step.iteration(), w);
            try {
                sum += model.lossAndGradient(w, epsilon, step.beta(), gradOut);
            } catch (OdeSolverException e) {
                return Double.NaN;
            }
            ElboGradient g = model.elboGradient();
            forwardNfe += g.lastForwardNfe();
            backwardNfe += g.lastBackwardNfe();
        }
        return sum;
    }

    /**
     * Fills the noise of one window at one iteration; see the class comment.
     *
     * @param iteration the training iteration
     * @param window the window
     */
    private void fillNoise(long iteration, Window window) {
        fillNoise(noiseSeed, iteration, window, epsilon, 0, epsilon.length);
    }

    /**
     * The reparameterisation noise of a window at an iteration (see the class comment), shared with
     * {@link BatchedLatentTrainable} and the CUDA backend so that every path draws the same numbers for the same
     * window.
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

    /** A failed solve makes the score NaN, which never counts as an improvement. */
    @Override
    public Evaluation evaluate(List<Window> windows) {
        double sum = 0.0;
        long count = 0;
        for (Window w : windows) {
            try {
                model.negativeElbo(w, zero, 0.0, trace);
            } catch (OdeSolverException e) {
                return new Evaluation(Double.NaN, count + 1);
            }
            if (validation == Validation.RMSE) {
                sum += squaredError(w);
                count += scoredValues(w);
            } else {
                sum -= trace.gaussian + trace.poisson;
                count++;
            }
        }
        return new Evaluation(sum, count);
    }

    /** The squared error of the posterior-mean decoding at every scored target value of the last evaluation. */
    private double squaredError(Window w) {
        double sum = 0.0;
        for (int j = 0; j < w.targetCount(); j++) {
            double[] x = w.targetValuesRow(j);
            boolean[] mask = w.targetMaskRow(j);
            for (int d = 0; d < x.length; d++) {
                if (mask == null || mask[d]) {
                    double e = trace.decoded(j, 0, d) - x[d];
                    sum += e * e;
                }
            }
        }
        return sum;
    }

    private static long scoredValues(Window w) {
        long count = 0;
        for (int j = 0; j < w.targetCount(); j++) {
            boolean[] mask = w.targetMaskRow(j);
            for (int d = 0; d < w.targetValuesRow(j).length; d++) {
                count += mask == null || mask[d] ? 1 : 0;
            }
        }
        return count;
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
        return all;
    }

    /** Derivative evaluations of the forward solves and of the backward (adjoint) passes, encoder and latent. */
    @Override
    public Map<String, Number> counters() {
        return Map.of("nfe.forward", forwardNfe, "nfe.backward", backwardNfe);
    }

    @Override
    public void resetCounters() {
        forwardNfe = 0;
        backwardNfe = 0;
    }

    /** The SplitMix64 finalizer (Steele, Lea, Flood 2014), to spread nearby seeds apart. */
    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }
}
