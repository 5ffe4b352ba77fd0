package dev.odestream.ode.adjoint;

/** The few dense vector kernels this package needs, on whole arrays or explicit ranges. */
final class Vectors {

    private Vectors() {
    }

    /** {@code y += x}, over the length of {@code x}. */
    static void addTo(double[] x, double[] y) {
        for (int k = 0; k < x.length; k++) {
            y[k] += x[k];
        }
    }

    /** {@code y += alpha x}, over the length of {@code x}. */
    static void addScaled(double alpha, double[] x, double[] y) {
        for (int k = 0; k < x.length; k++) {
            y[k] += alpha * x[k];
        }
    }

    /** {@code out = alpha x}, over the length of {@code x}. */
    static void scale(double alpha, double[] x, double[] out) {
        for (int k = 0; k < x.length; k++) {
            out[k] = alpha * x[k];
        }
    }

    /** @return {@code x . y} over the length of {@code x}. */
    static double dot(double[] x, double[] y) {
        double sum = 0.0;
        for (int k = 0; k < x.length; k++) {
            sum += x[k] * y[k];
        }
        return sum;
    }
}
