package dev.odestream.nn;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.Arrays;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MlpDynamicsTest {

    private static final int LATENT = 3;
    private static final int BATCH = 4;
    private static final double TOLERANCE = 1e-7;

    private final Parameters params = new Parameters();
    private MlpDynamics f;
    private double[] y;
    private double[] a;

    private void setUp(Activation act, long seed) {
        new Linear(params, "encoder", 2, 2, 1); // so that the dynamics' range starts past index 0
        f = new MlpDynamics(params, "f", LATENT, new int[] {7, 5}, act, BATCH);
        new Linear(params, "decoder", 3, 2, 1);
        SplittableRandom rng = new SplittableRandom(seed);
        TestData.fillUniform(params.values(), rng, 0.8);
        y = TestData.uniform(rng, f.dimension(), 1.5);
        a = TestData.uniform(rng, f.dimension(), 1.0);
    }

    private double projectedDerivative(double[] state) {
        double[] yDot = new double[f.dimension()];
        f.derivatives(0.0, state, yDot);
        return TestData.dot(a, yDot, yDot.length);
    }

    @ParameterizedTest
    @EnumSource(value = Activation.class, names = {"TANH", "SOFTPLUS", "ELU", "SIGMOID"})
    void shouldGiveStateVjpMatchingCentralDifferences(Activation act) {
        setUp(act, 7);
        double[] aDfDy = new double[f.dimension()];
        double[] aDfDTheta = new double[f.parameterCount()];
        assertEquals(0.0, f.vjp(0.3, y, a, aDfDy, aDfDTheta));
        GradientCheck.Result res = GradientCheck.DEFAULT.check(this::projectedDerivative, y, aDfDy);
        assertTrue(res.maxRelativeError() <= TOLERANCE, act + " a^T df/dy " + res);
    }

    @ParameterizedTest
    @EnumSource(value = Activation.class, names = {"TANH", "SOFTPLUS", "ELU", "SIGMOID"})
    void shouldGiveParameterVjpMatchingCentralDifferences(Activation act) {
        setUp(act, 8);
        double[] aDfDy = new double[f.dimension()];
        double[] aDfDTheta = new double[f.parameterCount()];
        f.vjp(0.0, y, a, aDfDy, aDfDTheta);
        double[] analytic = new double[params.size()];
        f.parameterRange().addInto(aDfDTheta, analytic);
        GradientCheck.Result res = GradientCheck.DEFAULT.check(
                theta -> projectedDerivative(y), params.values(), analytic);
        assertTrue(res.maxRelativeError() <= TOLERANCE, act + " a^T df/dtheta " + res);
    }

    @Test
    void shouldOverwriteRatherThanAccumulate() {
        setUp(Activation.TANH, 9);
        double[] dy1 = new double[f.dimension()];
        double[] dt1 = new double[f.parameterCount()];
        f.vjp(0.0, y, a, dy1, dt1);
        double[] dy2 = new double[f.dimension()];
        double[] dt2 = new double[f.parameterCount()];
        Arrays.fill(dy2, Double.NaN);
        Arrays.fill(dt2, Double.NaN);
        f.vjp(0.0, y, a, dy2, dt2);
        assertArrayEquals(dy1, dy2, 0.0);
        assertArrayEquals(dt1, dt2, 0.0);
        for (double g : params.gradients()) {
            assertEquals(0.0, g, "vjp must not touch the model's gradients");
        }
    }

    @Test
    void shouldGiveTheSameFromDerivativesAndVjpAsFromSeparateCalls() {
        setUp(Activation.SOFTPLUS, 10);
        int n = f.dimension();
        double[] yDot = new double[n];
        double[] dy = new double[n];
        double[] dt = new double[f.parameterCount()];
        f.derivatives(0.0, y, yDot);
        f.vjp(0.0, y, a, dy, dt);
        double[] yDot2 = new double[n];
        double[] dy2 = new double[n];
        double[] dt2 = new double[f.parameterCount()];
        // A stale forward pass at another state must not leak into the combined call.
        f.derivatives(0.0, TestData.uniform(new SplittableRandom(1), n, 1.0), new double[n]);
        assertEquals(0.0, f.derivativesAndVjp(0.0, y, a, yDot2, dy2, dt2));
        assertArrayEquals(yDot, yDot2, 0.0);
        assertArrayEquals(dy, dy2, 0.0);
        assertArrayEquals(dt, dt2, 0.0);
    }

    @Test
    void shouldSumParameterVjpOverRowsAndShrinkWithTheBatch() {
        setUp(Activation.TANH, 11);
        double[] total = new double[f.parameterCount()];
        f.vjp(0.0, y, a, new double[f.dimension()], total);
        double[] sum = new double[f.parameterCount()];
        double[] one = new double[f.parameterCount()];
        f.setBatch(1);
        assertEquals(LATENT, f.dimension());
        for (int b = 0; b < BATCH; b++) {
            double[] yb = Arrays.copyOfRange(y, b * LATENT, (b + 1) * LATENT);
            double[] ab = Arrays.copyOfRange(a, b * LATENT, (b + 1) * LATENT);
            f.vjp(0.0, yb, ab, new double[LATENT], one);
            for (int i = 0; i < sum.length; i++) {
                sum[i] += one[i];
            }
        }
        assertArrayEquals(total, sum, 1e-13);
    }

    @Test
    void shouldApplyTheMlpRowWise() {
        setUp(Activation.TANH, 12);
        double[] yDot = new double[f.dimension()];
        f.derivatives(0.0, y, yDot);
        double[] expected = new double[f.dimension()];
        f.mlp().forward(y, expected, BATCH);
        assertArrayEquals(expected, yDot, 0.0);
        assertEquals(BATCH * LATENT, f.dimension());
        assertThrows(IllegalArgumentException.class, () -> f.setBatch(BATCH + 1));
    }
}
