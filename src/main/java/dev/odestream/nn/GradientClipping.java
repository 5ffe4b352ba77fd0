package dev.odestream.nn;

/** Gradient clipping over a model's flat gradient array. Allocation-free. */
public final class GradientClipping {

    private GradientClipping() {
    }

    /**
     * Scales {@code grads} so that its Euclidean norm is at most {@code maxNorm}, keeping its direction. A gradient
     * already within the bound is left untouched, as is one whose norm is not finite (the caller should skip that
     * step; the returned norm tells it so).
     *
     * @param grads the gradient. Modified.
     * @param maxNorm the bound, positive
     * @return the norm before clipping
     */
    public static double clipByGlobalNorm(double[] grads, double maxNorm) {
        if (!(maxNorm > 0)) {
            throw new IllegalArgumentException("maxNorm must be positive: " + maxNorm);
        }
        double norm = globalNorm(grads);
        if (norm > maxNorm && norm < Double.POSITIVE_INFINITY) {
            double scale = maxNorm / norm;
            for (int i = 0; i < grads.length; i++) {
                grads[i] *= scale;
            }
        }
        return norm;
    }

    /**
     * Euclidean norm, scaled by the largest magnitude first so that it neither overflows for huge components nor
     * underflows for tiny ones.
     *
     * @param grads Not modified.
     * @return the norm; NaN or infinite if a component is
     */
    public static double globalNorm(double[] grads) {
        double largest = 0.0;
        for (double g : grads) {
            largest = Math.max(largest, Math.abs(g));
        }
        if (largest == 0.0 || !Double.isFinite(largest)) {
            return largest;
        }
        double sum = 0.0;
        for (double g : grads) {
            double s = g / largest;
            sum += s * s;
        }
        return largest * Math.sqrt(sum);
    }
}
