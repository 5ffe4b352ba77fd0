package dev.odestream.train;

import dev.odestream.model.BatchedElbo.Recognition;
import dev.odestream.model.BatchedElbo.Stepping;
import dev.odestream.model.BatchedElbo;
import dev.odestream.model.LatentOdeModel;
import dev.odestream.model.Window;
import dev.odestream.model.checkpoint.LoadedModel;
import dev.odestream.nn.Parameters;
import dev.odestream.ode.OdeSolverException;
import dev.odestream.train.Evaluation;
import dev.odestream.train.TrainableModel;
import dev.odestream.train.TrainingStep;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * A {@link LatentOdeModel} as a {@link TrainableModel} whose slice of a minibatch is one batched problem: the same
 * negative ELBO per window as {@link LatentOdeTrainable} (one reparameterisation draw, the same noise for the same
 * window and iteration), computed by {@link BatchedElbo} with one ODE solve for all the slice's series on the union
 * of their time grids, forward and adjoint, instead of one solve per series. The loss agrees with the per-series path
 * to solver tolerance; the gain is speed, since every derivative evaluation is one blocked matrix product over the
 * batch rather than a row at a time, and the solver's per-step work is shared.
 *
 * <p><b>Batching.</b> The trainer hands each worker a slice (a shard); the slice is solved as one batch, cut into
 * chunks of at most {@link Options#maxBatch()} windows. Few large shards (one per thread) suit this path best.
 * Step sizes are chosen for the batch, so a window's loss depends slightly (within the tolerances) on the windows it
 * is batched with; with a fixed shard count a seeded run still repeats bitwise on any number of threads.
 *
 * <p><b>Recognition.</b> {@link Recognition#ODE_RNN} is the model's encoder, what the streaming engine runs, and the
 * default. {@link Recognition#RNN} leaves out the encoder ODE between events: the GRU alone over the observations,
 * like the plain recurrent recognition network of torchdiffeq's {@code latent_ode.py}; it is for comparisons with
 * that code. A model trained so does not suit the engine, whose encoder evolves between events, so its checkpoint is
 * marked as a different model ({@value #RNN_MODEL_NAME}) and {@link LatentOdeTrainable#load} refuses it.
 *
 * <p>Validation is {@link LatentOdeTrainable}'s: RMSE or negative log-likelihood at the posterior mean. Not
 * thread-safe: the trainer runs one {@link #replicate() replica} per worker.
 */
public final class BatchedLatentTrainable implements TrainableModel<Window> {

    /** The checkpoint's model name when the encoder is the plain recurrent one. */
    public static final String RNN_MODEL_NAME = "latent-ode-rnn-recognition";

    /**
     * How the batched path runs.
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
    }

    private final LatentOdeModel model;
    private final LatentOdeTrainable.Validation validation;
    private final long noiseSeed;
    private final double valueScale;
    private final Options options;
    private final BatchedElbo elbo;
    private final double[] epsilon;

    /**
     * @param model the model to train; its parameters are this trainable's. Modified by training.
     * @param validation the validation score
     * @param noiseSeed seeds the reparameterisation noise, as {@link LatentOdeTrainable}'s
     * @param valueScale what the data were divided by, positive; the RMSE is reported multiplied by it
     * @param options the encoder and the largest batch
     */
    public BatchedLatentTrainable(LatentOdeModel model, LatentOdeTrainable.Validation validation, long noiseSeed,
                                  double valueScale, Options options) {
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
            throw new IllegalStateException("the batched modules' layout differs from the model's");
        }
        this.epsilon = new double[options.maxBatch() * model.config().latentDim()];
    }

    /** @return the wrapped model, for forecasts and plots after training. */
    public LatentOdeModel model() {
        return model;
    }

    /** @return the encoder and the largest batch. */
    public Options options() {
        return options;
    }

    @Override
    public Parameters parameters() {
        return model.parameters();
    }

    @Override
    public BatchedLatentTrainable replicate() {
        return new BatchedLatentTrainable(model.copy(), validation, noiseSeed, valueScale, options);
    }

    /**
     * {@inheritDoc}
     *
     * <p>A solve that fails makes the sum NaN instead of ending the run: the trainer then skips the step.
     */
    @Override
    public double lossAndGradient(List<Window> windows, TrainingStep step, double[] gradOut) {
        syncValues();
        int latent = model.config().latentDim();
        double sum = 0.0;
        for (int from = 0; from < windows.size(); from += options.maxBatch()) {
            int count = Math.min(options.maxBatch(), windows.size() - from);
            for (int b = 0; b < count; b++) {
                LatentOdeTrainable.fillNoise(noiseSeed, step.iteration(), windows.get(from + b), epsilon,
                        b * latent, latent);
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
        double sum = 0.0;
        long count = 0;
        for (int from = 0; from < windows.size(); from += options.maxBatch()) {
            int n = Math.min(options.maxBatch(), windows.size() - from);
            try {
                elbo.run(windows, from, n, epsilon, 0.0, null);
            } catch (OdeSolverException e) {
                return new Evaluation(Double.NaN, count + 1);
            }
            boolean rmse = validation == LatentOdeTrainable.Validation.RMSE;
            sum += rmse ? elbo.squaredError() : -elbo.logLikelihood();
            count += rmse ? elbo.scoredValues() : n;
        }
        return new Evaluation(sum, count);
    }

    /** The batched modules hold their own copy of the parameters; the model's are the ones the trainer updates. */
    private void syncValues() {
        double[] values = model.parameters().values();
        System.arraycopy(values, 0, elbo.parameters().values(), 0, values.length);
    }

    @Override
    public double metric(Evaluation total) {
        return validation == LatentOdeTrainable.Validation.RMSE ? valueScale * Math.sqrt(total.mean())
                : total.mean();
    }

    @Override
    public String metricName() {
        return validation == LatentOdeTrainable.Validation.RMSE ? "rmse" : "nll";
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

    /** Derivative evaluations of the batched forward solves and backward passes, encoder and latent. */
    @Override
    public Map<String, Number> counters() {
        return Map.of("nfe.forward", elbo.forwardNfe(), "nfe.backward", elbo.backwardNfe());
    }

    @Override
    public void resetCounters() {
        elbo.resetCounters();
    }
}
