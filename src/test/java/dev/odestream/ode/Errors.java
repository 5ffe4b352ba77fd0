package dev.odestream.ode;

/** Error measures shared by the solver tests. */
final class Errors {

    private Errors() {
    }

    /** @return max_i |a_i - b_i| / (1 + |b_i|): the error in units of a mixed tolerance rtol = atol. */
    static double scaled(double[] actual, double[] exact) {
        double worst = 0;
        for (int i = 0; i < actual.length; i++) {
            worst = Math.max(worst, Math.abs(actual[i] - exact[i]) / (1 + Math.abs(exact[i])));
        }
        return Double.isNaN(worst) ? Double.POSITIVE_INFINITY : worst;
    }

    /** @return log2 of the error ratio between a step and its half: the observed order of convergence. */
    static double order(double errorAtH, double errorAtHalf) {
        return Math.log(errorAtH / errorAtHalf) / Math.log(2);
    }
}
