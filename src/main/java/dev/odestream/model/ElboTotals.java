package dev.odestream.model;

/**
 * What a batched negative-ELBO evaluation reports, whichever backend computes it: the summed terms of its last batch
 * and the derivative evaluations of its forward and backward solves since the last reset. {@link BatchedElbo} on the
 * JVM and the CUDA backend's evaluator keep their sums here, so the loss is assembled and the evaluations are
 * counted in one place. Allocates nothing; not thread-safe.
 *
 * <p>One evaluation: {@link #begin}, {@link #forwardDone}, optionally {@link #backwardDone}, then {@link #record}.
 */
public final class ElboTotals {

    private double gaussian;
    private double poisson;
    private double kl;
    private double squaredError;
    private long scoredValues;
    private long forwardNfe;
    private long backwardNfe;
    private long mark;

    /**
     * @param rows the windows of a batch
     * @param maxBatch the most an evaluator takes
     * @throws IllegalArgumentException unless {@code 1 <= rows <= maxBatch}
     */
    public static void checkBatch(int rows, int maxBatch) {
        if (rows < 1 || rows > maxBatch) {
            throw new IllegalArgumentException("batch of " + rows + " outside [1, " + maxBatch + "]");
        }
    }

    /** @param evaluations the evaluator's derivative evaluations so far, before the forward pass */
    public void begin(long evaluations) {
        mark = evaluations;
    }

    /** @param evaluations the evaluator's derivative evaluations so far, after the forward pass */
    public void forwardDone(long evaluations) {
        forwardNfe += evaluations - mark;
        mark = evaluations;
    }

    /** @param evaluations the evaluator's derivative evaluations so far, after the backward pass */
    public void backwardDone(long evaluations) {
        backwardNfe += evaluations - mark;
        mark = evaluations;
    }

    /**
     * Keeps the batch's summed terms.
     *
     * @param gaussian the Gaussian log-likelihood of the scored target values
     * @param poisson the Poisson log-likelihood of the events
     * @param kl the KL divergences of the posteriors from the prior
     * @param squaredError the squared error of the decoded targets
     * @param scoredValues the number of scored target values
     */
    public void record(double gaussian, double poisson, double kl, double squaredError, long scoredValues) {
        this.gaussian = gaussian;
        this.poisson = poisson;
        this.kl = kl;
        this.squaredError = squaredError;
        this.scoredValues = scoredValues;
    }

    /** @return the last batch's summed {@code -(gaussian + poisson) + beta KL} */
    public double negativeElbo(double beta) {
        return -(gaussian + poisson) + beta * kl;
    }

    /** @return the summed Gaussian plus Poisson log-likelihood of the last batch */
    public double logLikelihood() {
        return gaussian + poisson;
    }

    /** @return the summed squared error of the decoded targets of the last batch, over scored values */
    public double squaredError() {
        return squaredError;
    }

    /** @return the number of scored target values in the last batch */
    public long scoredValues() {
        return scoredValues;
    }

    /** @return derivative evaluations of the forward solves since the last reset */
    public long forwardNfe() {
        return forwardNfe;
    }

    /** @return derivative evaluations of the backward passes since the last reset */
    public long backwardNfe() {
        return backwardNfe;
    }

    public void resetCounters() {
        forwardNfe = 0;
        backwardNfe = 0;
    }

    /**
     * @param sigma the observation noise's standard deviation
     * @return {@code log N(x; x, sigma^2) = -log(2 pi) / 2 - log sigma}, the Gaussian term of a value without its
     *     {@code -((x - mean) / sigma)^2 / 2}
     */
    public static double gaussianConstant(double sigma) {
        return -0.5 * Math.log(2 * Math.PI) - Math.log(sigma);
    }
}
