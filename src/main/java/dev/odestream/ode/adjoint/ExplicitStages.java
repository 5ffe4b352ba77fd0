package dev.odestream.ode.adjoint;

import dev.odestream.ode.Tableau;

/**
 * The part of an explicit Butcher tableau that replaying a step and back-propagating through it need: nodes
 * {@code c}, the strictly lower-triangular {@code a} and the weights {@code b}. The error weights and the dense-output
 * coefficients play no part in the step's result, and neither does a stage that only feeds the error estimate (the
 * FSAL stage of DOPRI5, say): {@link #needed(int)} marks the stages that reach {@code y_{n+1}}, so replays skip the
 * others.
 */
final class ExplicitStages {

    private final double[] c;
    private final double[][] a;
    private final double[] b;
    private final boolean[] needed;

    /** @param tableau the method; its arrays are copied. */
    ExplicitStages(Tableau tableau) {
        int s = tableau.stages();
        this.c = tableau.c().clone();
        this.b = tableau.b().clone();
        this.a = new double[s][];
        for (int i = 0; i < s; i++) {
            this.a[i] = tableau.a()[i].clone();
        }
        this.needed = markNeeded(this.a, this.b);
    }

    /** A stage is needed when it carries weight in b or feeds a later needed stage. */
    private static boolean[] markNeeded(double[][] a, double[] b) {
        int s = b.length;
        boolean[] needed = new boolean[s];
        for (int i = s - 1; i >= 0; i--) {
            needed[i] = b[i] != 0.0;
            for (int j = i + 1; j < s && !needed[i]; j++) {
                needed[i] = needed[j] && a[j][i] != 0.0;
            }
        }
        return needed;
    }

    int stages() {
        return b.length;
    }

    double c(int i) {
        return c[i];
    }

    double a(int i, int j) {
        return a[i][j];
    }

    double b(int i) {
        return b[i];
    }

    boolean needed(int i) {
        return needed[i];
    }
}
