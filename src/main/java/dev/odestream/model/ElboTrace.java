package dev.odestream.model;

import java.util.Arrays;

/**
 * Everything one window's loss evaluation computed, kept for inspection and for a backward pass: the posterior, the
 * initial samples, the time grid and the latent states on it, the decoded targets, the log-intensities at the events
 * and the cumulative intensities at the end. Reusable: buffers grow to the largest window seen and are overwritten by
 * the next evaluation into the same trace. Not thread-safe.
 */
public final class ElboTrace {

    private final ModelConfig config;
    private final int latentDim;
    private final int hidden;
    private final int dim;
    private final int types;
    private final int stateSize;
    /** Solver output rows per sample count, whose length the solver requires to be exactly {@code m (L + K)}. */
    private final RowBuffers[] paths;
    final double[] muLogVar;
    double[] evolved = new double[0];
    double[] updated = new double[0];
    double[] z0 = new double[0];
    double[] grid = new double[0];
    int[] targetIndex = new int[0];
    int[] eventIndex = new int[0];
    double[] decoded = new double[0];
    double[] eventLogIntensity = new double[0];
    double[] finalCumulative = new double[0];
    int samples;
    int contexts;
    int gridSize;
    int targets;
    int events;
    public double gaussian;
    public double poisson;
    double kl;
    double beta;
    long nfe;

    /** @param config the model's configuration; sizes the buffers for up to {@code forecastSamples} samples */
    public ElboTrace(ModelConfig config) {
        this.config = config;
        this.latentDim = config.latentDim();
        this.hidden = config.encoderHidden();
        this.dim = config.observationDim();
        this.types = config.eventTypes();
        this.stateSize = config.latentStateSize();
        this.paths = new RowBuffers[config.forecastSamples() + 1];
        this.muLogVar = new double[2 * latentDim];
    }

    /** Sizes the buffers for a window; grows only. */
    void prepare(int sampleCount, int contextCount, int targetCount, int eventCount) {
        samples = sampleCount;
        contexts = contextCount;
        evolved = grow(evolved, contextCount * hidden);
        updated = grow(updated, contextCount * hidden);
        targets = targetCount;
        events = eventCount;
        z0 = grow(z0, sampleCount * latentDim);
        targetIndex = grow(targetIndex, targetCount);
        eventIndex = grow(eventIndex, eventCount);
        grid = grow(grid, targetCount + eventCount + 1);
        decoded = grow(decoded, targetCount * sampleCount * dim);
        eventLogIntensity = grow(eventLogIntensity, eventCount * sampleCount);
        finalCumulative = grow(finalCumulative, sampleCount * types);
    }

    /** @return the output rows for the current sample count. */
    RowBuffers path() {
        if (paths[samples] == null) {
            paths[samples] = new RowBuffers(samples * stateSize);
        }
        return paths[samples];
    }

    /** @return the configuration this trace is sized for. */
    public ModelConfig config() {
        return config;
    }

    /** @return the number of context events the encoder folded in. */
    public int contextCount() {
        return contexts;
    }

    /**
     * @return a copy of the encoder state at context event {@code i} after the ODE over the gap and before the GRU
     *     (for the first event, the initial zero state)
     */
    public double[] hiddenBeforeEvent(int i) {
        return Arrays.copyOfRange(evolved, i * hidden, (i + 1) * hidden);
    }

    /** @return a copy of the encoder state right after the GRU at context event {@code i}. */
    public double[] hiddenAfterEvent(int i) {
        return Arrays.copyOfRange(updated, i * hidden, (i + 1) * hidden);
    }

    /** @return the terms of the last evaluation. */
    public ElboTerms terms() {
        return new ElboTerms(gaussian, poisson, kl, beta);
    }

    /** @return the negative ELBO of the last evaluation. */
    public double negativeElbo() {
        return -(gaussian + poisson) + beta * kl;
    }

    /** @return the posterior mean {@code mu} (a copy). */
    public double[] mu() {
        return Arrays.copyOfRange(muLogVar, 0, latentDim);
    }

    /** @return the posterior {@code log sigma^2} (a copy). */
    public double[] logVar() {
        return Arrays.copyOfRange(muLogVar, latentDim, 2 * latentDim);
    }

    /** @return the number of reparameterised samples. */
    public int samples() {
        return samples;
    }

    /** @return component {@code l} of sample {@code s} of {@code z(tau)}. */
    public double initialLatent(int s, int l) {
        return z0[s * latentDim + l];
    }

    /** @return the number of grid times: the distinct target and event times and the end. */
    public int gridSize() {
        return gridSize;
    }

    /** @return grid time {@code g}, increasing in {@code g}. */
    public double gridTime(int g) {
        return grid[g];
    }

    /**
     * @return a copy of the solver state at grid time {@code g}: {@code [z (samples x L), Lambda (samples x K)]},
     *     the layout of {@link LatentSystem}.
     */
    public double[] state(int g) {
        return path().rows(gridSize)[g].clone();
    }

    /** @return the grid index of target observation {@code j}. */
    public int targetGridIndex(int j) {
        return targetIndex[j];
    }

    /** @return the grid index of target event {@code e}. */
    public int eventGridIndex(int e) {
        return eventIndex[e];
    }

    /** @return the decoded value {@code g(z_s(t_j))_d}. */
    public double decoded(int j, int s, int d) {
        return decoded[(j * samples + s) * dim + d];
    }

    /** @return the decoded value at target {@code j}, dimension {@code d}, averaged over the samples. */
    public double decodedMean(int j, int d) {
        double sum = 0.0;
        for (int s = 0; s < samples; s++) {
            sum += decoded(j, s, d);
        }
        return sum / samples;
    }

    /** @return {@code log lambda_k(z_s(t_e))} for event {@code e} of type {@code k}. */
    public double logIntensityAtEvent(int e, int s) {
        return eventLogIntensity[e * samples + s];
    }

    /** @return {@code Lambda_k(T)} of sample {@code s}. */
    public double cumulativeAtEnd(int s, int k) {
        return finalCumulative[s * types + k];
    }

    /** @return derivative evaluations of the encoder and latent solves together. */
    public long nfe() {
        return nfe;
    }

    private static double[] grow(double[] a, int n) {
        return a.length >= n ? a : new double[n];
    }

    private static int[] grow(int[] a, int n) {
        return a.length >= n ? a : new int[n];
    }
}
