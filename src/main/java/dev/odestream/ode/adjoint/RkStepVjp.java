package dev.odestream.ode.adjoint;

import dev.odestream.ode.ParametricOdeSystem;

/**
 * Back-propagation through one explicit Runge-Kutta step: the discrete adjoint of
 * {@code Y_i = y_n + h sum_j a_ij k_j}, {@code k_i = f(t_n + c_i h, Y_i)}, {@code y_{n+1} = y_n + h sum_i b_i k_i}
 * with the step size {@code h} held constant (an adaptive method's accepted sizes count as data, not as functions
 * of the state).
 *
 * <p>Reverse order over the stages: the cotangent of {@code k_i} is {@code h b_i ybar + h sum_{j>i} a_ji Ybar_j},
 * one {@code vjp} at {@code Y_i} turns it into {@code Ybar_i} and a share of {@code dL/dtheta}, and
 * {@code ybar_n = ybar_{n+1} + sum_i Ybar_i}. Shared by checkpointed and direct back-propagation.
 *
 * <p>Allocation-free; not thread-safe (workspace fields).
 */
final class RkStepVjp {

    private final ExplicitStages tableau;
    private final ParametricOdeSystem f;
    private final double[][] stageBar;
    private final double[] kBar;
    private final double[] thetaStage;

    RkStepVjp(ExplicitStages tableau, ParametricOdeSystem f) {
        this.tableau = tableau;
        this.f = f;
        int n = f.dimension();
        this.stageBar = new double[tableau.stages()][n];
        this.kBar = new double[n];
        this.thetaStage = new double[f.parameterCount()];
    }

    /**
     * @param t the step's start time
     * @param h the signed step size
     * @param stageInputs rows {@code base .. base+s-1} hold the stage inputs {@code Y_i} (rows of stages that are
     *                    not {@link ExplicitStages#needed needed} are never read). Not modified.
     * @param base index of stage 0's row
     * @param yBar on entry {@code dL/dy_{n+1}}, on exit {@code dL/dy_n}. Modified.
     * @param thetaBar {@code dL/dtheta}; this step's share is added. Modified.
     * @return the number of {@code vjp} evaluations made
     */
    int backprop(double t, double h, double[][] stageInputs, int base, double[] yBar, double[] thetaBar) {
        int evaluations = 0;
        for (int i = tableau.stages() - 1; i >= 0; i--) {
            if (tableau.needed(i)) {
                stageCotangent(i, h, yBar);
                f.vjp(t + tableau.c(i) * h, stageInputs[base + i], kBar, stageBar[i], thetaStage);
                Vectors.addTo(thetaStage, thetaBar);
                evaluations++;
            }
        }
        for (int i = 0; i < tableau.stages(); i++) {
            if (tableau.needed(i)) {
                Vectors.addTo(stageBar[i], yBar);
            }
        }
        return evaluations;
    }

    /** Fills {@code kBar} with the cotangent of {@code k_i}; later stages' {@code Ybar_j} are already known. */
    private void stageCotangent(int i, double h, double[] yBar) {
        Vectors.scale(h * tableau.b(i), yBar, kBar);
        for (int j = i + 1; j < tableau.stages(); j++) {
            double aji = tableau.a(j, i);
            if (aji != 0.0 && tableau.needed(j)) {
                Vectors.addScaled(h * aji, stageBar[j], kBar);
            }
        }
    }
}
