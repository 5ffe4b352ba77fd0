package dev.odestream.ode.adjoint;

import dev.odestream.ode.OdeSystem;

import java.util.Arrays;

/**
 * Explicit Runge-Kutta steps of given sizes that keep what back-propagation needs: each step's start time, size and
 * stage inputs {@code Y_i}. The tape grows (by doubling) only when a segment has more steps than any before it, so
 * after warm-up recording allocates nothing. Memory is {@code steps x stages x dimension} doubles.
 *
 * <p>Not thread-safe.
 */
final class StepTape {

    private final ExplicitStages tableau;
    private final OdeSystem f;
    private final int n;
    private final double[][] k;
    private double[][] stageInputs = new double[0][];
    private double[] stepStart = new double[0];
    private double[] stepSize = new double[0];
    private int steps;
    private long evaluations;

    StepTape(ExplicitStages tableau, OdeSystem f) {
        this.tableau = tableau;
        this.f = f;
        this.n = f.dimension();
        this.k = new double[tableau.stages()][n];
    }

    /** Forgets the recorded steps, keeping the storage. */
    void clear() {
        steps = 0;
    }

    /**
     * Takes one step and records it.
     *
     * @param t the step's start time
     * @param h the signed step size
     * @param y on entry {@code y_n}, on exit {@code y_{n+1}}. Modified.
     */
    void step(double t, double h, double[] y) {
        ensureCapacity(steps + 1);
        int base = steps * tableau.stages();
        for (int i = 0; i < tableau.stages(); i++) {
            if (tableau.needed(i)) {
                stageInput(i, h, y, stageInputs[base + i]);
                f.derivatives(t + tableau.c(i) * h, stageInputs[base + i], k[i]);
                evaluations++;
            }
        }
        for (int i = 0; i < tableau.stages(); i++) {
            if (tableau.b(i) != 0.0) {
                Vectors.addScaled(h * tableau.b(i), k[i], y);
            }
        }
        stepStart[steps] = t;
        stepSize[steps] = h;
        steps++;
    }

    private void stageInput(int i, double h, double[] y, double[] out) {
        System.arraycopy(y, 0, out, 0, n);
        for (int j = 0; j < i; j++) {
            double aij = tableau.a(i, j);
            if (aij != 0.0) {
                Vectors.addScaled(h * aij, k[j], out);
            }
        }
    }

    /**
     * Back-propagates through the recorded steps {@code [from, to)}, last first.
     *
     * @param vjp the per-step back-propagation, built on the same tableau
     * @param yBar on entry the cotangent of step {@code to - 1}'s result, on exit that of step {@code from}'s start.
     *             Modified.
     * @param thetaBar {@code dL/dtheta}, accumulated. Modified.
     * @return the number of {@code vjp} evaluations made
     */
    int backprop(RkStepVjp vjp, int from, int to, double[] yBar, double[] thetaBar) {
        int vjps = 0;
        for (int m = to - 1; m >= from; m--) {
            vjps += vjp.backprop(stepStart[m], stepSize[m], stageInputs, m * tableau.stages(), yBar, thetaBar);
        }
        return vjps;
    }

    /** @return the number of recorded steps. */
    int steps() {
        return steps;
    }

    /** @return derivative evaluations made by {@link #step} since construction. */
    long evaluations() {
        return evaluations;
    }

    private void ensureCapacity(int required) {
        if (required <= stepSize.length) {
            return;
        }
        int capacity = Math.max(required, 2 * stepSize.length);
        int oldRows = stageInputs.length;
        stageInputs = Arrays.copyOf(stageInputs, capacity * tableau.stages());
        for (int r = oldRows; r < stageInputs.length; r++) {
            stageInputs[r] = new double[n];
        }
        stepStart = Arrays.copyOf(stepStart, capacity);
        stepSize = Arrays.copyOf(stepSize, capacity);
    }
}
