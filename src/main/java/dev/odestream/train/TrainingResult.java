package dev.odestream.train;

import dev.odestream.model.checkpoint.Checkpoint;
import java.util.List;
import java.util.Objects;

/**
 * What a training run did. The model's parameters are left at the best validated values (the last values when
 * there is no validation set), which are also the checkpoint's.
 *
 * @param iterations optimizer steps taken
 * @param stoppedEarly whether early stopping ended the run before the iteration limit
 * @param bestIteration the iteration whose parameters were kept; the last iteration without a validation set
 * @param metricName the model's validation metric
 * @param bestMetric the validation metric of the kept parameters; NaN without a validation set
 * @param finalLoss the mean minibatch loss over the last progress interval
 * @param skippedSteps steps skipped because the loss or the gradient was not finite
 * @param seconds wall time of the whole run
 * @param progress every progress line, in order
 * @param checkpoint the kept parameters as a checkpoint
 */
public record TrainingResult(long iterations, boolean stoppedEarly, long bestIteration, String metricName,
                             double bestMetric, double finalLoss, long skippedSteps, double seconds,
                             List<Progress> progress, Checkpoint checkpoint) {

    public TrainingResult {
        Objects.requireNonNull(checkpoint, "checkpoint");
        progress = List.copyOf(progress);
    }
}
