package dev.odestream.evaluate;

/** The scores of a Gaussian forecast {@code N(mean, std^2)} against an observed value. */
public final class Gaussian {

    /** {@code z} bounds of the central 50%, 90% and 95% intervals: {@code Phi^-1((1 + p) / 2)}. */
    static final double[] CENTRAL_Z = {0.6744897501960817, 1.6448536269514722, 1.959963984540054};
    /** The levels of {@link #CENTRAL_Z}. */
    static final double[] CENTRAL_LEVEL = {0.5, 0.9, 0.95};

    private static final double LOG_2PI = Math.log(2 * Math.PI);
    private static final double INV_SQRT_PI = 1 / Math.sqrt(Math.PI);

    private Gaussian() {
    }

    /** @return the negative log density. */
    static double nll(double x, double mean, double std) {
        double z = (x - mean) / std;
        return 0.5 * (LOG_2PI + z * z) + Math.log(std);
    }

    /**
     * @return the continuous ranked probability score, in the value's units (Gneiting and Raftery 2007, eq. 21):
     *     {@code std * (z (2 Phi(z) - 1) + 2 phi(z) - 1 / sqrt(pi))}
     */
    static double crps(double x, double mean, double std) {
        double z = (x - mean) / std;
        return std * (z * (2 * cdf(z) - 1) + 2 * pdf(z) - INV_SQRT_PI);
    }

    static double pdf(double z) {
        return Math.exp(-0.5 * z * z) / Math.sqrt(2 * Math.PI);
    }

    /** @return the standard normal distribution function at {@code z} */
    public static double cdf(double z) {
        return 0.5 * erfc(-z / Math.sqrt(2));
    }

    /** @return the complementary error function, to a relative error below 1.2e-7 (Numerical Recipes' erfcc). */
    static double erfc(double x) {
        double z = Math.abs(x);
        double t = 1 / (1 + 0.5 * z);
        double poly = -1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418 + t * (-0.18628806
                + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277))))))));
        double r = t * Math.exp(-z * z + poly);
        return x >= 0 ? r : 2 - r;
    }
}
