package dev.odestream.train;

import dev.odestream.nn.Parameters;
import java.util.List;
import java.util.Map;

/**
 * A model the {@link Trainer} can fit: a loss over training windows of type {@code W} with its gradient with respect
 * to one flat {@link Parameters} vector, and a validation score.
 *
 * <h2>Threading: replicas</h2>
 * Layers keep workspaces, so one instance must never run on two threads at once. The trainer therefore asks the model
 * it is given (the <em>master</em>) for one {@link #replicate() replica} per worker. A replica has the same
 * architecture and its own {@link Parameters} and workspaces. Before each step the trainer copies the master's values
 * into every replica's {@code parameters().values()}; during the step the values are read-only and each replica runs
 * on one worker thread at a time, so the model needs no locking. The trainer hands work to workers through an
 * executor, which orders these copies before the replica's calls.
 *
 * <h2>Losses are sums</h2>
 * {@link #lossAndGradient} returns the <em>sum</em> of per-window losses over its slice and adds the gradient of that
 * sum. The trainer splits a minibatch into slices, adds the slices' results in slice order and divides by the batch
 * size, so a minibatch's loss is the mean per-window loss whatever the split. How a window's own loss is normalised
 * (per point, per coordinate) is the model's choice.
 *
 * @param <W> a training window: what one item of a data set is (a spiral, a window of events)
 */
public interface TrainableModel<W> {

    /** @return the flat parameters; the trainer's optimizer updates this instance's values. */
    Parameters parameters();

    /**
     * @return a new model with the same architecture and its own {@link Parameters} (same layout) and workspaces,
     *         holding a copy of this model's current values
     */
    TrainableModel<W> replicate();

    /**
     * The summed loss of a slice of a minibatch and its gradient.
     *
     * @param windows the slice, non-empty. Not modified.
     * @param step the iteration and KL weight this gradient is for
     * @param gradOut gradient target, length {@code parameters().size()}; the gradient of the returned sum is
     *                <em>added</em> to it (the trainer zeroes it first). Modified.
     * @return the sum over {@code windows} of each window's loss
     */
    double lossAndGradient(List<W> windows, TrainingStep step, double[] gradOut);

    /**
     * Scores a slice of the validation set without touching gradients.
     *
     * @param windows the slice, non-empty. Not modified.
     * @return the additive partial score of the slice; see {@link #metric(Evaluation)}
     */
    Evaluation evaluate(List<W> windows);

    /**
     * Turns the total of every slice's {@link #evaluate} into the validation metric. Lower is better: early stopping
     * keeps the parameters with the lowest value. The default is the mean; an RMSE takes its square root.
     */
    default double metric(Evaluation total) {
        return total.mean();
    }

    /** @return a short name for {@link #metric}, e.g. {@code "rmse"}; used in progress lines and checkpoints. */
    default String metricName() {
        return "loss";
    }

    /**
     * @return the architecture as written into checkpoints, which a loading model compares with its own; nothing
     *         about training belongs here
     */
    Map<String, String> hyperparameters();

    /**
     * Extension point for progress lines: counts the model keeps since the last {@link #resetCounters()}, for example
     * the number of function evaluations of the forward and adjoint solves ({@code "nfe.forward"},
     * {@code "nfe.backward"}). The trainer sums them over replicas and prints them per iteration.
     *
     * @return counter values by name; empty by default
     */
    default Map<String, Number> counters() {
        return Map.of();
    }

    /** Sets the {@link #counters()} back to zero. */
    default void resetCounters() {
    }
}
