package dev.odestream.ode;

/**
 * One step's interpolant in a common form, {@code y(theta) = y0 + sum_{p=1..P} theta^p c_p}, stored as the flat
 * block {@code [y0, c_1, ..., c_P]} of {@code (P + 1) * n} doubles. Converting once per step lets the solver's output
 * times and {@link Trajectory} share one evaluation routine, whatever the tableau's dense output is.
 */
final class Interpolant {

    private Interpolant() {
    }

    /** @return the doubles one step's block occupies. */
    static int blockSize(Tableau tableau, int n) {
        return (tableau.denseDegree() + 1) * n;
    }

    /**
     * Writes the step's block.
     *
     * @param h the step, signed. Not modified.
     * @param y0 state at the step start. Not modified.
     * @param y1 state at the step end. Not modified.
     * @param k the stages of the step. Not modified.
     * @param f1 {@code f(t0 + h, y1)}, used by Hermite interpolation only. Not modified.
     * @param dest receives the block at {@code offset}. Modified.
     */
    static void fit(Tableau tableau, double h, double[] y0, double[] y1, double[][] k, double[] f1,
                    double[] dest, int offset) {
        int n = y0.length;
        System.arraycopy(y0, 0, dest, offset, n);
        if (tableau.dense() == null) {
            fitHermite(h, y0, y1, k[0], f1, dest, offset + n);
        } else {
            fitDense(tableau.dense(), h, k, n, dest, offset + n);
        }
    }

    private static void fitDense(double[][] dense, double h, double[][] k, int n, double[] dest, int offset) {
        for (int p = 0; p < dense[0].length; p++) {
            int base = offset + p * n;
            java.util.Arrays.fill(dest, base, base + n, 0.0);
            for (int stage = 0; stage < dense.length; stage++) {
                double w = h * dense[stage][p];
                if (w != 0) {
                    double[] ks = k[stage];
                    for (int i = 0; i < n; i++) {
                        dest[base + i] += w * ks[i];
                    }
                }
            }
        }
    }

    /** The cubic matching y and y' at both ends: c1 = h f0, c2 = 3D - 2h f0 - h f1, c3 = h f0 + h f1 - 2D. */
    private static void fitHermite(double h, double[] y0, double[] y1, double[] f0, double[] f1,
                                   double[] dest, int offset) {
        int n = y0.length;
        for (int i = 0; i < n; i++) {
            double d = y1[i] - y0[i];
            double hf0 = h * f0[i];
            double hf1 = h * f1[i];
            dest[offset + i] = hf0;
            dest[offset + n + i] = 3 * d - 2 * hf0 - hf1;
            dest[offset + 2 * n + i] = hf0 + hf1 - 2 * d;
        }
    }

    /**
     * Evaluates a block by Horner's rule.
     *
     * @param block the blocks. Not modified.
     * @param offset where this block starts
     * @param degree {@code P}
     * @param theta the fraction of the step, normally in [0, 1]
     * @param out receives {@code y(theta)}, length {@code n}. Modified.
     */
    static void evaluate(double[] block, int offset, int degree, double theta, double[] out) {
        int n = out.length;
        for (int i = 0; i < n; i++) {
            double acc = 0;
            for (int p = degree; p >= 1; p--) {
                acc = (acc + block[offset + p * n + i]) * theta;
            }
            out[i] = block[offset + i] + acc;
        }
    }
}
