package dev.odestream.model;

import java.util.Arrays;

/**
 * How one dimension of a user's values maps to the model's scale, and back: {@code y = (f(x) - location) / scale}
 * with {@code f} the identity or the natural log. The model learns and forecasts {@code y}; what a user sees is
 * mapped back to value units.
 *
 * <p>Fitted like a scikit-learn {@code RobustScaler} on the training part of the data only: the location is the
 * median and the scale the median absolute deviation times 1.4826 (the standard deviation for Gaussian data), so a
 * few wild values do not set the scale. When half the values or more are equal (MAD 0), the scale falls back to the
 * interquartile range over 1.349, then to the standard deviation, then to 1.
 *
 * <p>Back to value units: with the identity the forecast mean and standard deviation scale back linearly. With the
 * log, a Gaussian {@code N(m, s^2)} on the log scale is a log-normal in value units, whose mean is
 * {@code exp(m + s^2/2)} and standard deviation {@code mean * sqrt(exp(s^2) - 1)}; interval ends map through
 * {@code exp} exactly.
 *
 * @param location subtracted after {@code f}, finite
 * @param scale divided by, positive and finite
 * @param log whether {@code f} is the natural log (for positive, right-skewed values)
 */
public record ValueTransform(double location, double scale, boolean log) {

    /** The identity: values reach the model as they are. */
    public static final ValueTransform IDENTITY = new ValueTransform(0.0, 1.0, false);

    private static final double MAD_TO_STD = 1.4826;
    private static final double IQR_TO_STD = 1.349;

    /** Checks the parameters. */
    public ValueTransform {
        if (!Double.isFinite(location) || !(scale > 0) || !Double.isFinite(scale)) {
            throw new IllegalArgumentException("need a finite location and a positive finite scale, got "
                    + location + ", " + scale);
        }
    }

    /**
     * Fits the transform to values (the training part of one dimension).
     *
     * @param values the observed values, finite; not modified
     * @param log whether to take logs first; every value must then be positive
     * @throws IllegalArgumentException if there are no values, or {@code log} and a value is not positive
     */
    public static ValueTransform fit(double[] values, boolean log) {
        if (values.length == 0) {
            throw new IllegalArgumentException("no values to fit a transform to");
        }
        double[] y = new double[values.length];
        for (int i = 0; i < values.length; i++) {
            if (log && !(values[i] > 0)) {
                throw new IllegalArgumentException("a log transform needs positive values, got " + values[i]);
            }
            y[i] = log ? Math.log(values[i]) : values[i];
        }
        Arrays.sort(y);
        double median = quantile(y, 0.5);
        return new ValueTransform(median, robustScale(y, median), log);
    }

    /**
     * Chooses the log for positive values that are right-skewed: every value positive, and the skewness of the logs
     * smaller in size than that of the values by at least half, with the values' skewness above 1. Lab values,
     * delays and counts usually qualify; temperatures and signed changes do not.
     */
    public static boolean prefersLog(double[] values) {
        for (double v : values) {
            if (!(v > 0)) {
                return false;
            }
        }
        double[] logs = Arrays.stream(values).map(Math::log).toArray();
        double raw = skewness(values);
        return raw > 1 && Math.abs(skewness(logs)) < 0.5 * raw;
    }

    /** @return {@code x} on the model's scale. */
    public double toModel(double x) {
        return ((log ? Math.log(x) : x) - location) / scale;
    }

    /** @return a model-scale value (an interval end, a sample) in value units. */
    public double toValue(double y) {
        double z = y * scale + location;
        return log ? Math.exp(z) : z;
    }

    /** @return the value-unit mean of a Gaussian forecast {@code N(mean, std^2)} on the model's scale. */
    public double meanToValue(double mean, double std) {
        if (!log) {
            return toValue(mean);
        }
        double s = std * scale;
        return Math.exp(mean * scale + location + 0.5 * s * s);
    }

    /** @return the value-unit standard deviation of a Gaussian forecast {@code N(mean, std^2)} on the model scale. */
    public double stdToValue(double mean, double std) {
        if (!log) {
            return std * scale;
        }
        double s = std * scale;
        return meanToValue(mean, std) * Math.sqrt(Math.expm1(s * s));
    }

    private static double robustScale(double[] sorted, double median) {
        double[] deviations = new double[sorted.length];
        for (int i = 0; i < sorted.length; i++) {
            deviations[i] = Math.abs(sorted[i] - median);
        }
        Arrays.sort(deviations);
        double[] candidates = {MAD_TO_STD * quantile(deviations, 0.5),
                (quantile(sorted, 0.75) - quantile(sorted, 0.25)) / IQR_TO_STD, std(sorted)};
        for (double c : candidates) {
            if (c > 0 && Double.isFinite(c)) {
                return c;
            }
        }
        return 1.0;
    }

    /** Linear interpolation between order statistics (R's type 7, NumPy's default). */
    private static double quantile(double[] sorted, double p) {
        double h = (sorted.length - 1) * p;
        int lo = (int) Math.floor(h);
        int hi = Math.min(lo + 1, sorted.length - 1);
        return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
    }

    private static double std(double[] x) {
        double mean = Arrays.stream(x).average().orElse(0);
        double ss = 0;
        for (double v : x) {
            ss += (v - mean) * (v - mean);
        }
        return x.length < 2 ? 0 : Math.sqrt(ss / (x.length - 1));
    }

    private static double skewness(double[] x) {
        double mean = Arrays.stream(x).average().orElse(0);
        double m2 = 0;
        double m3 = 0;
        for (double v : x) {
            double d = v - mean;
            m2 += d * d;
            m3 += d * d * d;
        }
        m2 /= x.length;
        m3 /= x.length;
        return m2 == 0 ? 0 : m3 / Math.pow(m2, 1.5);
    }
}
