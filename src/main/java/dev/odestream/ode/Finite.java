package dev.odestream.ode;

/**
 * Whether arrays of numbers are finite: the one check behind the solver's non-finite state, checkpoint validation
 * and the JSON writers, which cannot carry {@code NaN} or infinities.
 */
public final class Finite {

    private Finite() {
    }

    /** @return whether every entry of {@code values} is finite. */
    public static boolean all(double[] values) {
        return firstNonFinite(values) < 0;
    }

    /** @return the index of the first entry of {@code values} that is not finite, or {@code -1} if there is none. */
    public static int firstNonFinite(double[] values) {
        for (int i = 0; i < values.length; i++) {
            if (!Double.isFinite(values[i])) {
                return i;
            }
        }
        return -1;
    }
}
