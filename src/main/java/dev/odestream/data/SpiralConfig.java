package dev.odestream.data;

/**
 * Parameters of a bidirectional-spirals data set (Chen et al. 2018, section 5.1). Angles advance at one radian per
 * unit of time, so {@code timeStep} is also the angle between consecutive samples.
 *
 * <p>Defaults ({@link #paper(int)}): 1000 spirals; an observed window of 100 equally spaced steps followed by 100
 * extrapolation steps; {@code r = 0.5 + 0.3 theta}; start angles uniform in {@code [pi, 4 pi]}; step 0.03 rad, so the
 * window covers about half a turn and the extrapolation another half; Gaussian noise of standard deviation 0.1. The
 * paper does not state its noise level. 0.1 is the default of the generator in the authors' example code, and it is
 * consistent with Table 2: a Latent ODE RMSE of 0.1346 against noisy targets would be impossible with much larger
 * noise. Radii then run from about 1.4 to 6, so the noise is a few percent of the signal, as in the paper's figure.
 *
 * @param count number of spirals; half clockwise, half counter-clockwise (even indices counter-clockwise).
 * @param windowSteps equally spaced samples in the observed window.
 * @param extrapolationSteps equally spaced samples after the window, on which a model is scored.
 * @param observedPoints samples drawn without replacement from the window as irregular observations (30, 50, 100).
 * @param timeStep time (and angle) between consecutive samples.
 * @param noiseStd standard deviation of the Gaussian noise added to each coordinate.
 * @param radiusOffset {@code a} in {@code r = a + b theta}.
 * @param radiusGrowth {@code b} in {@code r = a + b theta}.
 * @param minStartAngle smallest angle at the first sample.
 * @param maxStartAngle largest angle at the first sample.
 * @param centerOffset counter-clockwise spirals are centred at {@code (+c, 0)}, clockwise ones at {@code (-c, 0)};
 *                     0 puts both at the origin, so direction must be read from the motion, not the position.
 */
public record SpiralConfig(int count, int windowSteps, int extrapolationSteps, int observedPoints, double timeStep,
                           double noiseStd, double radiusOffset, double radiusGrowth, double minStartAngle,
                           double maxStartAngle, double centerOffset) {

    /** Validates the parameters. */
    public SpiralConfig {
        require(count > 0 && count % 2 == 0, "count must be positive and even, got " + count);
        require(windowSteps >= 2 && extrapolationSteps >= 0, "need at least 2 window steps");
        require(observedPoints >= 1 && observedPoints <= windowSteps,
                "observedPoints must be in [1, windowSteps], got " + observedPoints);
        require(timeStep > 0 && Double.isFinite(timeStep), "timeStep must be positive");
        require(noiseStd >= 0 && Double.isFinite(noiseStd), "noiseStd must be finite and non-negative");
        require(radiusOffset + radiusGrowth * minStartAngle > 0, "radius must be positive at the start angle");
        require(radiusGrowth >= 0 && minStartAngle <= maxStartAngle, "need b >= 0 and minStartAngle <= max");
        require(Double.isFinite(centerOffset) && Double.isFinite(maxStartAngle), "non-finite geometry");
    }

    /** The paper's protocol with {@code observedPoints} irregular observations (30, 50 or 100 in Table 2). */
    public static SpiralConfig paper(int observedPoints) {
        return new SpiralConfig(1000, 100, 100, observedPoints, 0.03, 0.1, 0.5, 0.3, Math.PI, 4 * Math.PI, 0.0);
    }

    /** @return a copy with another spiral count (scale down for fast tests). */
    public SpiralConfig withCount(int newCount) {
        return new SpiralConfig(newCount, windowSteps, extrapolationSteps, observedPoints, timeStep, noiseStd,
                radiusOffset, radiusGrowth, minStartAngle, maxStartAngle, centerOffset);
    }

    /** @return a copy with another number of irregular observations. */
    public SpiralConfig withObservedPoints(int n) {
        return new SpiralConfig(count, windowSteps, extrapolationSteps, n, timeStep, noiseStd, radiusOffset,
                radiusGrowth, minStartAngle, maxStartAngle, centerOffset);
    }

    /**
     * @return a copy with other window and extrapolation lengths; the time step is unchanged and
     *         {@code observedPoints} is capped at the new window.
     */
    public SpiralConfig withSteps(int window, int extrapolation) {
        return new SpiralConfig(count, window, extrapolation, Math.min(observedPoints, window), timeStep, noiseStd,
                radiusOffset, radiusGrowth, minStartAngle, maxStartAngle, centerOffset);
    }

    /** @return a copy with another noise level. */
    public SpiralConfig withNoiseStd(double std) {
        return new SpiralConfig(count, windowSteps, extrapolationSteps, observedPoints, timeStep, std, radiusOffset,
                radiusGrowth, minStartAngle, maxStartAngle, centerOffset);
    }

    /** @return a copy with another centre offset. */
    public SpiralConfig withCenterOffset(double offset) {
        return new SpiralConfig(count, windowSteps, extrapolationSteps, observedPoints, timeStep, noiseStd,
                radiusOffset, radiusGrowth, minStartAngle, maxStartAngle, offset);
    }

    /** @return the time of the last sample in the observed window; observations lie in {@code [0, windowEnd()]}. */
    public double windowEnd() {
        return (windowSteps - 1) * timeStep;
    }

    /** @return the time of sample {@code k}; the window is {@code k < windowSteps}, targets follow it. */
    public double time(int k) {
        return k * timeStep;
    }

    private static void require(boolean condition, String message) {
        if (!condition) {
            throw new IllegalArgumentException(message);
        }
    }
}
