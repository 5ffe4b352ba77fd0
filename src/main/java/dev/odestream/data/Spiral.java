package dev.odestream.data;

import java.util.Arrays;
import java.util.Objects;

/**
 * One spiral of the data set, split for training: irregular noisy observations inside the window, and the equally
 * spaced points after the window on which a model is scored. Values are 2-d and stored row-major: point {@code i} is
 * {@code (v[2i], v[2i+1])}.
 *
 * <p>Targets come twice: {@link #targetValues()} carry the same observation noise as the inputs (what Table 2 of
 * Chen et al. scores; the noise floor of that RMSE is {@code noiseStd}), and {@link #targetTruth()} are the clean
 * points on the curve (a noise-free score). Accessors return copies; the indexed getters do not allocate.
 *
 * @param index position in the data set; even indices are counter-clockwise.
 * @param curve the clean path, to evaluate the truth anywhere (plots).
 * @param observedTimes sorted distinct observation times inside {@code [0, windowEnd]}.
 * @param observedValues noisy 2-d values at {@link #observedTimes()}, row-major.
 * @param targetTimes the equally spaced times after the window.
 * @param targetValues noisy 2-d values at {@link #targetTimes()}, row-major.
 * @param targetTruth clean 2-d values at {@link #targetTimes()}, row-major.
 */
public record Spiral(int index, SpiralCurve curve, double[] observedTimes, double[] observedValues,
                     double[] targetTimes, double[] targetValues, double[] targetTruth) {

    /** Number of coordinates per point. */
    public static final int DIMENSION = 2;

    /** Copies the arrays and checks their lengths. */
    public Spiral {
        Objects.requireNonNull(curve, "curve");
        observedTimes = observedTimes.clone();
        observedValues = observedValues.clone();
        targetTimes = targetTimes.clone();
        targetValues = targetValues.clone();
        targetTruth = targetTruth.clone();
        if (observedValues.length != DIMENSION * observedTimes.length
                || targetValues.length != DIMENSION * targetTimes.length
                || targetTruth.length != targetValues.length) {
            throw new IllegalArgumentException("values must hold 2 coordinates per time");
        }
    }

    /** @return whether the spiral turns clockwise. */
    public boolean clockwise() {
        return curve.clockwise();
    }

    /** @return the number of irregular observations. */
    public int observedCount() {
        return observedTimes.length;
    }

    /** @return observation time {@code i}. */
    public double observedTime(int i) {
        return observedTimes[i];
    }

    /** @return coordinate {@code dim} of observation {@code i}. */
    public double observedValue(int i, int dim) {
        return observedValues[DIMENSION * i + dim];
    }

    /** @return the number of extrapolation targets. */
    public int targetCount() {
        return targetTimes.length;
    }

    /** @return target time {@code i}. */
    public double targetTime(int i) {
        return targetTimes[i];
    }

    /** @return coordinate {@code dim} of noisy target {@code i}. */
    public double targetValue(int i, int dim) {
        return targetValues[DIMENSION * i + dim];
    }

    /** @return coordinate {@code dim} of clean target {@code i}. */
    public double targetTruthValue(int i, int dim) {
        return targetTruth[DIMENSION * i + dim];
    }

    /**
     * The sum of squared errors of a prediction over both coordinates of every target point.
     *
     * @param predicted predictions at {@link #targetTimes()}, row-major, length {@code 2 * targetCount()}. Not
     *                  modified.
     * @param clean score against the clean {@link #targetTruth()} instead of the noisy {@link #targetValues()}.
     */
    public double extrapolationSquaredError(double[] predicted, boolean clean) {
        double[] reference = clean ? targetTruth : targetValues;
        if (predicted.length != reference.length) {
            throw new IllegalArgumentException("need " + reference.length + " predicted values, got "
                    + predicted.length);
        }
        double sum = 0;
        for (int j = 0; j < reference.length; j++) {
            double error = predicted[j] - reference[j];
            sum += error * error;
        }
        return sum;
    }

    @Override
    public double[] observedTimes() {
        return observedTimes.clone();
    }

    @Override
    public double[] observedValues() {
        return observedValues.clone();
    }

    @Override
    public double[] targetTimes() {
        return targetTimes.clone();
    }

    @Override
    public double[] targetValues() {
        return targetValues.clone();
    }

    @Override
    public double[] targetTruth() {
        return targetTruth.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Spiral s && index == s.index && curve.equals(s.curve)
                && Arrays.equals(observedTimes, s.observedTimes) && Arrays.equals(observedValues, s.observedValues)
                && Arrays.equals(targetTimes, s.targetTimes) && Arrays.equals(targetValues, s.targetValues)
                && Arrays.equals(targetTruth, s.targetTruth);
    }

    @Override
    public int hashCode() {
        return Objects.hash(index, curve, Arrays.hashCode(observedTimes), Arrays.hashCode(observedValues),
                Arrays.hashCode(targetTimes), Arrays.hashCode(targetValues), Arrays.hashCode(targetTruth));
    }

    @Override
    public String toString() {
        return "Spiral[index=" + index + ", clockwise=" + clockwise() + ", observed=" + observedCount()
                + ", targets=" + targetCount() + "]";
    }
}
