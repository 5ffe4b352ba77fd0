package dev.odestream.nn;

import dev.odestream.ode.Method;
import dev.odestream.ode.OdeSolver;
import dev.odestream.ode.SolverOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.Arrays;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BoundedDynamicsTest {

    private static final int LATENT = 3;
    private static final int BATCH = 4;
    private static final double TOLERANCE = 1e-7;

    private final Parameters params = new Parameters();
    private BoundedDynamics f;
    private double[] y;
    private double[] a;

    private void setUp(Activation act, long seed, double scale) {
        new Linear(params, "encoder", 2, 2, 1); // so that the dynamics' range starts past index 0
        f = new BoundedDynamics(params, "f", LATENT, new int[] {7, 5}, act, BATCH);
        new Linear(params, "decoder", 3, 2, 1);
        SplittableRandom rng = new SplittableRandom(seed);
        TestData.fillUniform(params.values(), rng, scale);
        y = TestData.uniform(rng, f.dimension(), 1.5);
        a = TestData.uniform(rng, f.dimension(), 1.0);
    }

    private double projectedDerivative(double[] state) {
        double[] yDot = new double[f.dimension()];
        f.derivatives(0.0, state, yDot);
        return TestData.dot(a, yDot, yDot.length);
    }

    @ParameterizedTest
    @EnumSource(value = Activation.class, names = {"TANH", "SOFTPLUS"})
    void shouldGiveStateVjpMatchingCentralDifferences(Activation act) {
        setUp(act, 7, 0.8);
        double[] aDfDy = new double[f.dimension()];
        double[] aDfDTheta = new double[f.parameterCount()];
        assertEquals(0.0, f.vjp(0.3, y, a, aDfDy, aDfDTheta));
        GradientCheck.Result res = GradientCheck.DEFAULT.check(this::projectedDerivative, y, aDfDy);
        assertTrue(res.maxRelativeError() <= TOLERANCE, act + " a^T df/dy " + res);
    }

    @ParameterizedTest
    @EnumSource(value = Activation.class, names = {"TANH", "SOFTPLUS"})
    void shouldGiveParameterVjpMatchingCentralDifferencesRateIncluded(Activation act) {
        setUp(act, 8, 0.8);
        double[] aDfDy = new double[f.dimension()];
        double[] aDfDTheta = new double[f.parameterCount()];
        f.vjp(0.0, y, a, aDfDy, aDfDTheta);
        double[] analytic = new double[params.size()];
        f.parameterRange().addInto(aDfDTheta, analytic);
        GradientCheck.Result res = GradientCheck.DEFAULT.check(
                theta -> projectedDerivative(y), params.values(), analytic);
        assertTrue(res.maxRelativeError() <= TOLERANCE, act + " a^T df/dtheta " + res);
        for (int i = f.rateBlock().offset(); i < f.rateBlock().end(); i++) {
            assertTrue(analytic[i] != 0.0, "the rate's gradient is part of the check");
        }
        assertEquals(f.rateBlock().end(), f.parameterRange().end(), "the rate closes the dynamics' range");
    }

    @Test
    void shouldGiveTheSameFromDerivativesAndVjpAsFromSeparateCallsAndOverwrite() {
        setUp(Activation.TANH, 10, 0.8);
        int n = f.dimension();
        double[] yDot = new double[n];
        double[] dy = new double[n];
        double[] dt = new double[f.parameterCount()];
        f.derivatives(0.0, y, yDot);
        f.vjp(0.0, y, a, dy, dt);
        double[] yDot2 = new double[n];
        double[] dy2 = new double[n];
        double[] dt2 = new double[f.parameterCount()];
        Arrays.fill(dy2, Double.NaN);
        Arrays.fill(dt2, Double.NaN);
        f.derivatives(0.0, TestData.uniform(new SplittableRandom(1), n, 1.0), new double[n]);
        assertEquals(0.0, f.derivativesAndVjp(0.0, y, a, yDot2, dy2, dt2));
        assertArrayEquals(yDot, yDot2, 0.0);
        assertArrayEquals(dy, dy2, 0.0);
        assertArrayEquals(dt, dt2, 0.0);
    }

    @Test
    void shouldPullEveryComponentOutsideTheUnitBoxInwardsAtItsRate() {
        setUp(Activation.TANH, 11, 3.0);
        Arrays.fill(params.values(), f.rateBlock().offset(), f.rateBlock().end(), 0.0);
        double[] h = {2.0, -2.0, 1.0, -1.0, 5.0, -7.0, 1.5, 0.0, 3.0, -1.2, 0.3, 9.0};
        double[] yDot = new double[h.length];
        f.derivatives(0.0, h, yDot);
        double[] target = new double[h.length];
        f.mlp().forward(h, target, BATCH);
        for (int i = 0; i < h.length; i++) {
            assertEquals(0.5 * (target[i] - h[i]), yDot[i], 1e-15);
            if (Math.abs(h[i]) >= 1.0) {
                assertTrue(h[i] * yDot[i] < 0, "component " + i + " = " + h[i] + " moves outwards: " + yDot[i]);
            }
        }
    }

    @Test
    void shouldStartEveryRateSlow() {
        setUp(Activation.TANH, 13, 0.8);
        BoundedDynamics.initialiseRates(params);
        for (int i = f.rateBlock().offset(); i < f.rateBlock().end(); i++) {
            assertEquals(BoundedDynamics.INITIAL_RATE_LOGIT, params.values()[i]);
        }
        assertEquals(0.1192, 1.0 / (1.0 + Math.exp(-BoundedDynamics.INITIAL_RATE_LOGIT)), 1e-4);
        assertTrue(params.values()[f.rateBlock().offset() - 1] != BoundedDynamics.INITIAL_RATE_LOGIT,
                "other blocks untouched");
    }

    /** Large random weights (N(0, 3^2)) and gaps up to 10^3 units: the flow stays in max(|h(0)|, 1). */
    @Test
    void shouldKeepTheStateBoundedOverAnyGapWithLargeWeights() {
        setUp(Activation.TANH, 12, 0.8);
        SplittableRandom rng = new SplittableRandom(5);
        for (int i = f.parameterRange().offset(); i < f.parameterRange().end(); i++) {
            params.values()[i] = 3.0 * rng.nextGaussian();
        }
        double[] h0 = TestData.uniform(rng, f.dimension(), 4.0);
        double bound = 1.0;
        for (double v : h0) {
            bound = Math.max(bound, Math.abs(v));
        }
        OdeSolver solver = new OdeSolver(f.dimension(), SolverOptions.of(Method.DOPRI5, 1e-6, 1e-8));
        double[] h = h0.clone();
        for (double gap : new double[] {1e-3, 1.0, 10.0, 100.0, 1e3}) {
            System.arraycopy(h0, 0, h, 0, h.length);
            solver.integrate(f, 0.0, h, gap, h);
            for (double v : h) {
                assertTrue(Double.isFinite(v) && Math.abs(v) <= bound * (1 + 1e-6), "|h| = " + v + " after " + gap);
            }
        }
    }
}
