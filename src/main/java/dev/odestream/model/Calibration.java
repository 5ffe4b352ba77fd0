package dev.odestream.model;

import java.util.Arrays;
import java.util.Map;

/**
 * A post-hoc calibration of a model's forecasts, fitted on held-out data after training and applied by whoever
 * serves the model: each value dimension's forecast standard deviation (on the model's scale, before the transform
 * back to value units) is multiplied by {@code stdScale[d]}, and every intensity and expected count by
 * {@code intensityScale}, so the probability of no event is {@code E_s exp(-intensityScale * Lambda_s)}.
 *
 * @param stdScale one positive, finite factor per value dimension
 * @param intensityScale a positive, finite factor on the intensity
 */
public record Calibration(double[] stdScale, double intensityScale) {

    private static final String STD = DataSpec.PREFIX + "calibration.std.";
    private static final String INTENSITY = DataSpec.PREFIX + "calibration.intensity";

    /** Checks and copies. */
    public Calibration {
        stdScale = stdScale.clone();
        for (double s : stdScale) {
            if (!(s > 0) || Double.isInfinite(s)) {
                throw new IllegalArgumentException("std scales must be positive and finite, got "
                        + Arrays.toString(stdScale));
            }
        }
        if (!(intensityScale > 0) || Double.isInfinite(intensityScale)) {
            throw new IllegalArgumentException("the intensity scale must be positive and finite, got "
                    + intensityScale);
        }
    }

    /** @return no calibration for {@code dim} value dimensions: every factor 1 */
    public static Calibration identity(int dim) {
        double[] ones = new double[dim];
        Arrays.fill(ones, 1.0);
        return new Calibration(ones, 1.0);
    }

    /** @return whether every factor is 1 */
    public boolean isIdentity() {
        return intensityScale == 1.0 && Arrays.stream(stdScale).allMatch(s -> s == 1.0);
    }

    /** @return the factor on dimension {@code d}'s standard deviation */
    public double stdScale(int d) {
        return stdScale[d];
    }

    @Override
    public double[] stdScale() {
        return stdScale.clone();
    }

    /** Adds the {@code data.calibration.*} hyperparameters to {@code h}; nothing for the identity. */
    void put(Map<String, String> h) {
        if (isIdentity()) {
            return;
        }
        for (int d = 0; d < stdScale.length; d++) {
            h.put(STD + d, Double.toString(stdScale[d]));
        }
        h.put(INTENSITY, Double.toString(intensityScale));
    }

    /** @return the calibration a checkpoint's hyperparameters carry; the identity when they carry none */
    static Calibration from(Map<String, String> h, int dim) {
        if (!h.containsKey(INTENSITY)) {
            return identity(dim);
        }
        double[] scale = new double[dim];
        for (int d = 0; d < dim; d++) {
            String v = h.get(STD + d);
            if (v == null) {
                throw new IllegalArgumentException("the calibration lacks '" + STD + d + "'");
            }
            scale[d] = Double.parseDouble(v);
        }
        return new Calibration(scale, Double.parseDouble(h.get(INTENSITY)));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Calibration c && Arrays.equals(stdScale, c.stdScale)
                && Double.compare(intensityScale, c.intensityScale) == 0;
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(stdScale) * 31 + Double.hashCode(intensityScale);
    }

    @Override
    public String toString() {
        return "Calibration[stdScale=" + Arrays.toString(stdScale) + ", intensityScale=" + intensityScale + "]";
    }
}
