package dev.odestream.train;

import dev.odestream.model.ModelConfig;
import dev.odestream.model.Window;
import dev.odestream.model.checkpoint.LoadedModel;

import java.util.List;
import java.util.Optional;

/**
 * Where training runs. The unit of work is a training session, not a gradient: a session holds the parameters and
 * the optimizer state where the backend computes (a device backend uploads them once and keeps them resident), and
 * each call takes whole optimizer steps there (forward solves, adjoint backward solves, clipping, the update), so
 * nothing crosses to the host but the windows going in and the statistics and final parameters coming out.
 *
 * <p>{@link CpuBackend} is the reference, multi-threaded across each minibatch.
 */
public interface TrainingBackend extends AutoCloseable {

    /** @return the backend's name, the tag of {@code odestream.worker.backend}, e.g. {@code cpu}. */
    String name();

    /**
     * Says whether this backend can train models of a configuration. {@link FallbackBackend} asks before each call
     * and sends what a backend refuses to another.
     *
     * @return why it cannot, or empty when it can (the default)
     */
    default Optional<String> refusal(ModelConfig config) {
        return Optional.empty();
    }

    /**
     * Opens a session warm-started from a model: its parameters, and a fresh optimizer state.
     *
     * @param start the model to start from; not changed
     * @param settings the steps per call, minibatch size, learning rate, clipping and seed
     */
    Session open(LoadedModel start, TrainingSettings settings);

    /**
     * Scores a model on held-out windows at the posterior mean.
     *
     * @param model the model; not changed
     * @param windows the held-out windows, non-empty
     */
    HeldOutScore score(LoadedModel model, List<Window> windows);

    /** Releases the backend's threads or device. */
    @Override
    void close();

    /** One model being trained on the backend. Not thread-safe. */
    interface Session extends AutoCloseable {

        /**
         * Takes {@code settings.iterations()} optimizer steps on minibatches drawn from {@code windows}; a later
         * call continues with the same optimizer state.
         *
         * @param windows training windows, non-empty. Not modified.
         */
        RoundStats train(List<Window> windows);

        /** @return the current parameters, copied to the host. */
        double[] parameters();

        /** Releases what the session holds on the backend. */
        @Override
        void close();
    }

    /**
     * Held-out scores of one model.
     *
     * @param nll mean per-window negative log-likelihood (Gaussian and Poisson terms, no KL)
     * @param rmse root mean squared error of the decoded target values; NaN when the windows hold no values
     */
    record HeldOutScore(double nll, double rmse) {
    }

    /**
     * What one {@link Session#train} call did.
     *
     * @param steps optimizer steps taken
     * @param skippedSteps steps skipped because the loss or gradient was not finite
     * @param loss mean minibatch loss (negative ELBO per window) over the call
     * @param secondsPerStep wall time per step
     * @param samplesPerSecond windows per second through forward and backward passes
     * @param forwardNfe derivative evaluations of the forward solves
     * @param backwardNfe derivative evaluations of the adjoint solves
     */
    record RoundStats(long steps, long skippedSteps, double loss, double secondsPerStep, double samplesPerSecond,
                      long forwardNfe, long backwardNfe) {
    }
}
