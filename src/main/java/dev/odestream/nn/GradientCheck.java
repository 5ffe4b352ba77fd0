package dev.odestream.nn;

import java.util.function.ToDoubleFunction;

/**
 * Checks an analytic gradient of a scalar function against central finite differences, so that users can verify
 * their own dynamics and losses the same way the layers here are tested.
 *
 * <p>The numeric derivative uses the fourth-order central stencil
 * {@code (f(x-2h) - 8 f(x-h) + 8 f(x+h) - f(x+2h)) / 12h}. Its truncation error is {@code O(h^4)}, so {@code h} can
 * be large ({@code h = relativeStep * max(1, |x_i|)}, default {@code relativeStep = 1e-3}) which keeps the rounding
 * error of {@code f}, amplified by {@code 1/h}, near {@code 1e-13}: small enough for relative tolerances of
 * {@code 1e-7}. A second-order stencil would need {@code h ~ 1e-5} and would leave errors near {@code 1e-10}.
 *
 * <p>The error of component {@code i} is {@code |a - n| / max(|a|, |n|, floor)}: relative for gradients larger than
 * {@code floor}, absolute (scaled by {@code 1/floor}) for those near zero, whose relative error is meaningless.
 * Non-smooth functions (ReLU) can give false alarms when a kink lies within {@code 2h} of the point.
 *
 * @param relativeStep step per component relative to {@code max(1, |x_i|)}
 * @param floor smallest denominator of the relative error
 */
public record GradientCheck(double relativeStep, double floor) {

    /** Step {@code 1e-3 * max(1, |x_i|)} and floor {@code 1e-6}. */
    public static final GradientCheck DEFAULT = new GradientCheck(1e-3, 1e-6);

    /**
     * The worst component of a check.
     *
     * @param maxRelativeError the largest error over all components
     * @param index the component where it occurs, -1 for an empty gradient
     * @param analytic the analytic derivative there
     * @param numeric the finite-difference derivative there
     */
    public record Result(double maxRelativeError, int index, double analytic, double numeric) {
    }

    public GradientCheck {
        if (!(relativeStep > 0) || !(floor > 0)) {
            throw new IllegalArgumentException("relativeStep and floor must be positive");
        }
    }

    /**
     * Compares {@code analytic} with the numeric gradient of {@code f} at {@code x} over every component.
     *
     * @param f the scalar function; it reads {@code x}, which this method perturbs in place and restores
     * @param x the point. Modified during the call, restored exactly on return.
     * @param analytic the claimed gradient, same length as x. Not modified.
     * @return the worst component
     */
    public Result check(ToDoubleFunction<double[]> f, double[] x, double[] analytic) {
        if (analytic.length != x.length) {
            throw new IllegalArgumentException("gradient length " + analytic.length + " != " + x.length);
        }
        Result worst = new Result(0.0, -1, 0.0, 0.0);
        for (int i = 0; i < x.length; i++) {
            double numeric = derivative(f, x, i);
            double error = relativeError(analytic[i], numeric);
            if (error > worst.maxRelativeError() || Double.isNaN(error)) {
                worst = new Result(error, i, analytic[i], numeric);
            }
        }
        return worst;
    }

    /** @return the largest relative error of {@link #check} with the default settings. */
    public static double maxRelativeError(ToDoubleFunction<double[]> f, double[] x, double[] analytic) {
        return DEFAULT.check(f, x, analytic).maxRelativeError();
    }

    /** @return the central-difference derivative of {@code f} along component {@code i}. */
    public double derivative(ToDoubleFunction<double[]> f, double[] x, int i) {
        double x0 = x[i];
        // The step actually taken after rounding, so the quotient divides by what was really added to x_i.
        double h = (x0 + relativeStep * Math.max(1.0, Math.abs(x0))) - x0;
        double fp1 = at(f, x, i, x0 + h);
        double fm1 = at(f, x, i, x0 - h);
        double fp2 = at(f, x, i, x0 + 2 * h);
        double fm2 = at(f, x, i, x0 - 2 * h);
        x[i] = x0;
        return (8.0 * (fp1 - fm1) - (fp2 - fm2)) / (12.0 * h);
    }

    /** @return {@code |a - b| / max(|a|, |b|, floor)}. */
    public double relativeError(double a, double b) {
        return Math.abs(a - b) / Math.max(Math.max(Math.abs(a), Math.abs(b)), floor);
    }

    private static double at(ToDoubleFunction<double[]> f, double[] x, int i, double xi) {
        x[i] = xi;
        return f.applyAsDouble(x);
    }
}
