package dev.odestream.ode;

import java.util.Objects;

/**
 * An explicit Runge-Kutta method as data: the Butcher tableau, the embedded error weights and the continuous
 * extension. The one stepper in {@link OdeSolver} runs every tableau.
 *
 * <p>The arrays are shared, not copied: treat them as constants.
 *
 * @param name display name
 * @param order order of the propagated solution {@code b}
 * @param c nodes, length {@code s}; {@code c[0] == 0}
 * @param a coupling coefficients, lower triangular: row {@code i} has {@code i} entries
 * @param b weights of the propagated solution, length {@code s}
 * @param bError {@code b - bHat} of the embedded pair, length {@code s}; {@code null} for fixed-step methods
 * @param dense the method's own continuous extension: {@code b_i(theta) = sum_p dense[i][p] * theta^(p+1)}, all rows
 *     of one length; {@code null} means cubic Hermite interpolation from {@code (y0, f0, y1, f1)}
 * @param fsal whether the last stage is {@code f(t + h, y1)} ("first same as last"), so the next step reuses it
 */
public record Tableau(String name, int order, double[] c, double[][] a, double[] b, double[] bError,
                      double[][] dense, boolean fsal) {

    /** Checks the shapes; throws {@link IllegalArgumentException} naming the first inconsistency. */
    public Tableau {
        Objects.requireNonNull(name, "name");
        int s = c.length;
        require(order >= 1, name + ": order must be >= 1");
        require(s >= 1 && c[0] == 0, name + ": c[0] must be 0");
        require(a.length == s && b.length == s, name + ": a and b need one entry per stage");
        for (int i = 0; i < s; i++) {
            require(a[i].length == i, name + ": row " + i + " of a must have " + i + " entries");
        }
        require(bError == null || bError.length == s, name + ": bError needs one entry per stage");
        require(dense == null || hasRectangularShape(dense, s), name + ": dense needs s rows of one length");
    }

    /** @return the number of stages {@code s}. */
    public int stages() {
        return c.length;
    }

    /** @return whether an embedded error estimate is available. */
    public boolean embedded() {
        return bError != null;
    }

    /** @return the polynomial degree in {@code theta} of the step interpolant (3 for Hermite). */
    public int denseDegree() {
        return dense == null ? 3 : dense[0].length;
    }

    private static boolean hasRectangularShape(double[][] rows, int s) {
        if (rows.length != s || rows[0].length == 0) {
            return false;
        }
        for (double[] row : rows) {
            if (row.length != rows[0].length) {
                return false;
            }
        }
        return true;
    }

    private static void require(boolean condition, String message) {
        if (!condition) {
            throw new IllegalArgumentException(message);
        }
    }
}
