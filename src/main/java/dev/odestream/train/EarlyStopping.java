package dev.odestream.train;

/**
 * Keeps the parameters with the lowest validation metric seen so far and says when {@code patience} evaluations in
 * a row have not improved on it. A NaN metric never improves.
 */
final class EarlyStopping {

    private final int patience;
    private final double[] bestValues;
    private double bestMetric = Double.POSITIVE_INFINITY;
    private long bestIteration;
    private int sinceBest;

    /** @param patience evaluations without improvement before stopping; 0 never stops */
    EarlyStopping(int patience, int parameterCount) {
        this.patience = patience;
        this.bestValues = new double[parameterCount];
    }

    /**
     * @param values the parameters that scored {@code metric}. Not modified.
     * @return whether this is a new best
     */
    boolean offer(long iteration, double metric, double[] values) {
        if (metric < bestMetric) {
            bestMetric = metric;
            bestIteration = iteration;
            sinceBest = 0;
            System.arraycopy(values, 0, bestValues, 0, bestValues.length);
            return true;
        }
        sinceBest++;
        return false;
    }

    boolean shouldStop() {
        return patience > 0 && sinceBest >= patience;
    }

    /**
     * Copies the best parameters back, if any evaluation produced one.
     *
     * @param values the model's values. Modified.
     */
    void restoreBest(double[] values) {
        if (bestIteration > 0) {
            System.arraycopy(bestValues, 0, values, 0, bestValues.length);
        }
    }

    /** @return the lowest metric; infinity before the first finite one. */
    double bestMetric() {
        return bestMetric;
    }

    /** @return the iteration of the best metric; 0 before the first. */
    long bestIteration() {
        return bestIteration;
    }
}
