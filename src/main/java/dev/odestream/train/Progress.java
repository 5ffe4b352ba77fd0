package dev.odestream.train;

import java.util.Collections;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * One progress line of a training run.
 *
 * @param iteration the last iteration it covers
 * @param loss the mean minibatch loss over the iterations since the previous line
 * @param metricName the model's validation metric
 * @param validation the latest validation metric; NaN before the first evaluation or without a validation set
 * @param secondsPerIteration wall time of the optimizer steps since the previous line, per step (validation passes
 *                            are not counted)
 * @param learningRate the learning rate at {@code iteration}
 * @param beta the KL weight at {@code iteration}
 * @param counters the model's {@link TrainableModel#counters()} summed over workers, per iteration since the previous
 *                 line, counting the training steps only (validation passes are left out); iterates in name order
 */
public record Progress(long iteration, double loss, String metricName, double validation,
                       double secondsPerIteration, double learningRate, double beta, Map<String, Double> counters) {

    public Progress {
        counters = Collections.unmodifiableSortedMap(new TreeMap<>(counters));
    }

    /** @return the line as printed, e.g. {@code it 100 loss 0.123456 val.rmse 0.234567 s/it 0.0123 ...}. */
    public String format() {
        StringBuilder line = new StringBuilder(String.format(Locale.ROOT,
                "it %6d  loss %.6f  val.%s %.6f  s/it %.4f  lr %.3g  beta %.3f",
                iteration, loss, metricName, validation, secondsPerIteration, learningRate, beta));
        counters.forEach((name, value) -> line.append(String.format(Locale.ROOT, "  %s/it %.1f", name, value)));
        return line.toString();
    }
}
