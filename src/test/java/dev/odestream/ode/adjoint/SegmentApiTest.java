package dev.odestream.ode.adjoint;

import dev.odestream.ode.Method;
import dev.odestream.ode.OdeSolver;
import dev.odestream.ode.SolverOptions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The segment API as an ODE-RNN uses it: two ODE segments joined by a nonlinear jump {@code v = tanh(W u)} (standing
 * in for a GRU update), with losses on both sides of the jump; back-propagation runs through the jump between the two
 * adjoint segments.
 */
class SegmentApiTest {

    private static final SolverOptions OPTIONS = SolverOptions.of(Method.DOPRI5, 1e-12, 1e-12);
    private static final double T0 = 0.0;
    private static final double T1 = 0.8;
    private static final double T2 = 1.7;

    @ParameterizedTest
    @EnumSource(AdjointSolver.Mode.class)
    void shouldBackpropagateThroughAJumpBetweenSegments(AdjointSolver.Mode mode) {
        GradientProblem p = GradientProblem.mlp();
        int n = p.f().dimension();
        double[] w = TestSystems.gaussian(n * n, new Random(21));
        double[] r1 = p.r()[1];
        double[] r2 = p.r()[2];
        AdjointSolver solver = new AdjointSolver(p.f(), OPTIONS, OPTIONS, mode);

        double[] u = new double[n];
        double[] v = new double[n];
        double[] y2 = new double[n];
        solver.forwardSegment(T0, p.y0(), T1, u);
        jump(w, u, v);
        solver.forwardSegment(T1, v, T2, y2);

        double[] a = r2.clone();
        double[] dLdTheta = new double[p.f().parameterCount()];
        solver.backwardSegment(T2, y2, T1, v, a, dLdTheta);
        double[] dLdu = jumpBackward(w, v, a);
        Vectors.addTo(r1, dLdu);
        solver.backwardSegment(T1, u, T0, p.y0(), dLdu, dLdTheta);

        double[] fdY = FiniteDifferences.gradient(p.y0(), () -> loss(p, w, r1, r2), 1e-4);
        double[] fdTheta = FiniteDifferences.gradient(p.theta(), p.thetaOffset(), p.f().parameterCount(),
                () -> loss(p, w, r1, r2), 1e-4);
        double errorY = TestSystems.relativeError(dLdu, fdY);
        double errorTheta = TestSystems.relativeError(dLdTheta, fdTheta);
        assertAll(
                () -> assertTrue(errorY <= 1e-6, "dL/dy0 relative error " + errorY),
                () -> assertTrue(errorTheta <= 1e-6, "dL/dtheta relative error " + errorTheta));
    }

    private static double loss(GradientProblem p, double[] w, double[] r1, double[] r2) {
        int n = p.f().dimension();
        OdeSolver solver = new OdeSolver(n, OPTIONS);
        double[] u = new double[n];
        double[] v = new double[n];
        solver.integrate(p.f(), T0, p.y0(), T1, u);
        jump(w, u, v);
        solver.integrate(p.f(), T1, v, T2, v);
        return Vectors.dot(r1, u) + Vectors.dot(r2, v);
    }

    /** {@code v = tanh(W u)}. */
    private static void jump(double[] w, double[] u, double[] v) {
        int n = u.length;
        for (int i = 0; i < n; i++) {
            double sum = 0.0;
            for (int j = 0; j < n; j++) {
                sum += w[i * n + j] * u[j];
            }
            v[i] = Math.tanh(sum);
        }
    }

    /** @return {@code dL/du = W^T (dL/dv * (1 - v^2))}. */
    private static double[] jumpBackward(double[] w, double[] v, double[] dLdv) {
        int n = v.length;
        double[] dLdu = new double[n];
        for (int i = 0; i < n; i++) {
            double g = dLdv[i] * (1 - v[i] * v[i]);
            for (int j = 0; j < n; j++) {
                dLdu[j] += w[i * n + j] * g;
            }
        }
        return dLdu;
    }
}
