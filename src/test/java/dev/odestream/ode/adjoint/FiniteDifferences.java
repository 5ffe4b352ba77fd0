package dev.odestream.ode.adjoint;

import java.util.function.DoubleSupplier;

/** Fourth-order central differences, the reference every gradient here is checked against. */
final class FiniteDifferences {

    private FiniteDifferences() {
    }

    /**
     * {@code dL/dx_k ~ (-L(x+2e) + 8L(x+e) - 8L(x-e) + L(x-2e)) / 12e}, truncation error {@code O(e^4)}, with
     * {@code e = step * max(1, |x_k|)}.
     *
     * @param x the point; each entry is perturbed in place and restored. Modified.
     * @param loss evaluates {@code L} at the current {@code x}
     */
    static double[] gradient(double[] x, DoubleSupplier loss, double step) {
        return gradient(x, 0, x.length, loss, step);
    }

    /** As {@link #gradient(double[], DoubleSupplier, double)}, over the entries {@code [from, from + count)}. */
    static double[] gradient(double[] x, int from, int count, DoubleSupplier loss, double step) {
        double[] grad = new double[count];
        for (int g = 0; g < count; g++) {
            int k = from + g;
            double saved = x[k];
            double e = step * Math.max(1.0, Math.abs(saved));
            double up2 = at(x, k, saved + 2 * e, loss);
            double up = at(x, k, saved + e, loss);
            double down = at(x, k, saved - e, loss);
            double down2 = at(x, k, saved - 2 * e, loss);
            x[k] = saved;
            grad[g] = (-up2 + 8 * up - 8 * down + down2) / (12 * e);
        }
        return grad;
    }

    private static double at(double[] x, int k, double value, DoubleSupplier loss) {
        x[k] = value;
        return loss.getAsDouble();
    }
}
