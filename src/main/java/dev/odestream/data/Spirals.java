package dev.odestream.data;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * Generates the bidirectional-spirals data set of Chen et al. 2018 (section 5.1, Table 2): 2-d Archimedean spirals,
 * half clockwise and half counter-clockwise, each starting at a random angle, sampled at equally spaced times with
 * Gaussian noise; {@code n} window samples drawn without replacement become the irregular observations, and the
 * samples after the window are the extrapolation targets.
 *
 * <p>Spiral {@code i} depends only on the seed, {@code i} and the geometry: the start angle and noise come from one
 * generator and the choice of observed samples from another, so data sets that differ only in
 * {@code observedPoints} share their curves and noise, and a smaller {@code count} gives a prefix of a larger one.
 */
public final class Spirals {

    private static final long GEOMETRY_STREAM = 0x5350_4952L;
    private static final long SUBSET_STREAM = 0x5355_4253L;

    private Spirals() {
    }

    /** Generates {@code config.count()} spirals. */
    public static SpiralDataset generate(SpiralConfig config, long seed) {
        List<Spiral> spirals = new ArrayList<>(config.count());
        for (int i = 0; i < config.count(); i++) {
            spirals.add(spiral(config, seed, i));
        }
        return new SpiralDataset(config, seed, spirals);
    }

    /** Generates spiral {@code index} alone; equal to element {@code index} of {@link #generate}. */
    public static Spiral spiral(SpiralConfig config, long seed, int index) {
        Random geometry = Seeds.forItem(seed, GEOMETRY_STREAM, index);
        SpiralCurve curve = curve(config, index, geometry);
        int total = config.windowSteps() + config.extrapolationSteps();
        double[] clean = new double[Spiral.DIMENSION * total];
        double[] noisy = new double[clean.length];
        for (int k = 0; k < total; k++) {
            curve.position(config.time(k), clean, Spiral.DIMENSION * k);
        }
        for (int j = 0; j < clean.length; j++) {
            noisy[j] = clean[j] + config.noiseStd() * geometry.nextGaussian();
        }
        int[] observed = chooseObserved(config, Seeds.forItem(seed, SUBSET_STREAM, index));
        return assemble(config, index, curve, observed, clean, noisy);
    }

    private static SpiralCurve curve(SpiralConfig config, int index, Random rng) {
        double start = config.minStartAngle() + (config.maxStartAngle() - config.minStartAngle()) * rng.nextDouble();
        boolean clockwise = index % 2 == 1;
        double centerX = clockwise ? -config.centerOffset() : config.centerOffset();
        return new SpiralCurve(config.radiusOffset(), config.radiusGrowth(), start, clockwise, centerX, 0.0);
    }

    /** The first {@code n} entries of a partial Fisher-Yates shuffle of the window indices, sorted. */
    private static int[] chooseObserved(SpiralConfig config, Random rng) {
        int[] indices = new int[config.windowSteps()];
        Arrays.setAll(indices, k -> k);
        for (int i = 0; i < config.observedPoints(); i++) {
            int j = i + rng.nextInt(indices.length - i);
            int swap = indices[i];
            indices[i] = indices[j];
            indices[j] = swap;
        }
        int[] chosen = Arrays.copyOf(indices, config.observedPoints());
        Arrays.sort(chosen);
        return chosen;
    }

    private static Spiral assemble(SpiralConfig config, int index, SpiralCurve curve, int[] observed,
                                   double[] clean, double[] noisy) {
        int d = Spiral.DIMENSION;
        double[] times = new double[observed.length];
        double[] values = new double[d * observed.length];
        for (int i = 0; i < observed.length; i++) {
            times[i] = config.time(observed[i]);
            System.arraycopy(noisy, d * observed[i], values, d * i, d);
        }
        int window = config.windowSteps();
        double[] targetTimes = new double[config.extrapolationSteps()];
        Arrays.setAll(targetTimes, i -> config.time(window + i));
        double[] targetValues = Arrays.copyOfRange(noisy, d * window, noisy.length);
        double[] targetTruth = Arrays.copyOfRange(clean, d * window, clean.length);
        return new Spiral(index, curve, times, values, targetTimes, targetValues, targetTruth);
    }
}
