package dev.odestream.data;

import java.util.List;
import java.util.Objects;

/**
 * A generated set of spirals with the configuration and seed that reproduce it.
 *
 * @param config the protocol.
 * @param seed the seed; the same config and seed give equal spirals.
 * @param spirals the spirals, alternating counter-clockwise (even index) and clockwise (odd index).
 */
public record SpiralDataset(SpiralConfig config, long seed, List<Spiral> spirals) {

    /** Copies the list. */
    public SpiralDataset {
        Objects.requireNonNull(config, "config");
        spirals = List.copyOf(spirals);
    }

    /**
     * Splits into training and held-out spirals by position. Because directions alternate, both parts are balanced
     * to within one spiral.
     *
     * @param trainCount spirals in the training part, in {@code [0, size]}.
     */
    public Split split(int trainCount) {
        if (trainCount < 0 || trainCount > spirals.size()) {
            throw new IllegalArgumentException("trainCount " + trainCount + " outside [0, " + spirals.size() + "]");
        }
        return new Split(spirals.subList(0, trainCount), spirals.subList(trainCount, spirals.size()));
    }

    /**
     * The extrapolation RMSE of Table 2: the root of the mean squared error over every coordinate of every target
     * point of every spiral (the paper does not define it further; this is the per-coordinate convention).
     *
     * @param spirals the scored spirals. Not modified.
     * @param predictions one row-major prediction per spiral, at its target times. Not modified.
     * @param clean score against the clean truth instead of the noisy targets.
     */
    public static double rmse(List<Spiral> spirals, List<double[]> predictions, boolean clean) {
        if (spirals.size() != predictions.size() || spirals.isEmpty()) {
            throw new IllegalArgumentException("need one prediction per spiral and at least one spiral");
        }
        double sum = 0;
        long count = 0;
        for (int i = 0; i < spirals.size(); i++) {
            sum += spirals.get(i).extrapolationSquaredError(predictions.get(i), clean);
            count += (long) Spiral.DIMENSION * spirals.get(i).targetCount();
        }
        return Math.sqrt(sum / count);
    }

    /**
     * Training and held-out spirals.
     *
     * @param train spirals to fit on.
     * @param test spirals to score on.
     */
    public record Split(List<Spiral> train, List<Spiral> test) {

        /** Copies the lists. */
        public Split {
            train = List.copyOf(train);
            test = List.copyOf(test);
        }
    }
}
