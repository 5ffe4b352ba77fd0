package dev.odestream.ode.adjoint;

import dev.odestream.ode.OdeSolver;
import dev.odestream.ode.ParametricOdeSystem;
import dev.odestream.ode.SolverOptions;
import dev.odestream.nn.Activation;
import dev.odestream.nn.Initializers;
import dev.odestream.nn.MlpDynamics;
import dev.odestream.nn.Parameters;

import java.util.Random;

/**
 * A gradient test case: dynamics, the live array holding its parameters ({@code theta[thetaOffset ..]} is parameter
 * 0), output times, {@code y0}, and the loss {@code L = sum_i r_i . y(t_i)}, so {@code dL/dy(t_i) = r_i}.
 */
record GradientProblem(String name, ParametricOdeSystem f, double[] theta, int thetaOffset, double[] times,
                       double[] y0, double[][] r) {

    @Override
    public String toString() {
        return name;
    }

    /** (i) {@code y' = A y + sin(t) w}, n = 3, five uneven output times. */
    static GradientProblem linear() {
        TestSystems.Linear f = TestSystems.Linear.random(3, 0.5, true, 11);
        return of("linear", f, f.theta, 0, new double[] {0.0, 0.3, 0.9, 1.4, 2.0}, 12);
    }

    /** (i) backward in time: the same system from t = 1.5 down to t = -0.5. */
    static GradientProblem linearBackwardInTime() {
        TestSystems.Linear f = TestSystems.Linear.random(3, 0.5, true, 11);
        return of("linear, time decreasing", f, f.theta, 0, new double[] {1.5, 1.0, 0.2, -0.5}, 13);
    }

    /** (ii) an MLP {@code 2 -> 8 (tanh) -> 2}, batch of 2 series, six output times. */
    static GradientProblem mlp() {
        Parameters params = new Parameters();
        MlpDynamics f = new MlpDynamics(params, "dynamics", 2, new int[] {8}, Activation.TANH, 2);
        Initializers.glorotWeightsZeroBiases(params, 5);
        Random rnd = new Random(6);
        for (int k = 0; k < params.size(); k++) {
            params.values()[k] += 0.1 * rnd.nextGaussian();
        }
        int offset = f.parameterRange().offset();
        return of("mlp", f, params.values(), offset, new double[] {0.0, 0.4, 0.7, 1.5, 2.2, 3.0}, 14);
    }

    /** (iii) the cubic spiral {@code y' = (y^3) A}, {@code A = [[-0.1, 2], [-2, -0.1]]}, from {@code y0 = (2, 0)}. */
    static GradientProblem cubicSpiral() {
        TestSystems.CubicSpiral f = TestSystems.CubicSpiral.demo();
        GradientProblem p = of("cubic spiral", f, f.theta, 0, new double[] {0.0, 0.5, 1.0, 2.0, 3.5, 5.0}, 15);
        p.y0()[0] = 2.0;
        p.y0()[1] = 0.0;
        return p;
    }

    private static GradientProblem of(String name, ParametricOdeSystem f, double[] theta, int offset,
                                      double[] times, long seed) {
        Random rnd = new Random(seed);
        double[] y0 = TestSystems.gaussian(f.dimension(), rnd);
        double[][] r = new double[times.length][];
        for (int i = 0; i < times.length; i++) {
            r[i] = TestSystems.gaussian(f.dimension(), rnd);
        }
        return new GradientProblem(name, f, theta, offset, times, y0, r);
    }

    /** @return {@code L} from a forward solve restarted at every output time, as the adjoint's forward pass does. */
    double loss(SolverOptions options) {
        OdeSolver solver = new OdeSolver(f.dimension(), options);
        double[] y = y0.clone();
        double sum = Vectors.dot(r[0], y);
        for (int i = 1; i < times.length; i++) {
            solver.integrate(f, times[i - 1], y, times[i], y);
            sum += Vectors.dot(r[i], y);
        }
        return sum;
    }

    /** @return {@code [dL/dy0, dL/dtheta, dL/dtimes]} by fourth-order central differences of {@link #loss}. */
    double[][] finiteDifferences(SolverOptions options, double step) {
        return new double[][] {
            FiniteDifferences.gradient(y0, () -> loss(options), step),
            FiniteDifferences.gradient(theta, thetaOffset, f.parameterCount(), () -> loss(options), step),
            FiniteDifferences.gradient(times, () -> loss(options), step)};
    }
}
