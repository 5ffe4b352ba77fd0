package dev.odestream.nn;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.Arrays;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ActivationTest {

    private static final int N = 40;

    /** Points spread over [-6, 6], kept away from ReLU's kink at 0 where the finite difference is meaningless. */
    private static double[] points(long seed) {
        double[] x = TestData.uniform(new SplittableRandom(seed), N, 6.0);
        for (int i = 0; i < N; i++) {
            if (Math.abs(x[i]) < 0.05) {
                x[i] += 0.1;
            }
        }
        return x;
    }

    @ParameterizedTest
    @EnumSource(Activation.class)
    void shouldBackpropagateLikeCentralDifferences(Activation act) {
        SplittableRandom rng = new SplittableRandom(11);
        double[] x = points(12);
        double[] r = TestData.uniform(rng, N, 1.0);
        double[] y = new double[N];
        double[] dx = new double[N];
        act.forward(x, y, N);
        act.backward(x, y, r, dx, N);
        double[] probe = new double[N];
        GradientCheck.Result res = GradientCheck.DEFAULT.check(z -> {
            act.forward(z, probe, N);
            return TestData.dot(r, probe, N);
        }, x, dx);
        assertTrue(res.maxRelativeError() <= 1e-7, act + ": " + res);
    }

    @ParameterizedTest
    @EnumSource(Activation.class)
    void shouldAgreeBetweenScalarAndArrayForms(Activation act) {
        double[] x = points(13);
        double[] y = new double[N];
        double[] ones = new double[N];
        Arrays.fill(ones, 1.0);
        double[] d = new double[N];
        act.forward(x, y, N);
        act.backward(x, y, ones, d, N);
        for (int i = 0; i < N; i++) {
            assertEquals(act.value(x[i]), y[i], 0.0);
            assertEquals(act.derivative(x[i], y[i]), d[i], 1e-15);
        }
    }

    @Test
    void shouldStaySoftplusAndSigmoidFiniteAndAccurateAtExtremes() {
        assertEquals(700.0, Activation.SOFTPLUS.value(700.0), 0.0);
        assertEquals(Math.exp(-700.0), Activation.SOFTPLUS.value(-700.0), 0.0);
        assertEquals(Math.log(2.0), Activation.SOFTPLUS.value(0.0), 1e-16);
        assertEquals(1.0, Activation.SIGMOID.value(700.0), 0.0);
        assertEquals(Math.exp(-700.0), Activation.SIGMOID.value(-700.0), 0.0);
        // log1p keeps softplus relatively accurate where log(1 + e^x) would round to 0.
        assertEquals(Math.exp(-40.0), Activation.SOFTPLUS.value(-40.0), 1e-16 * Math.exp(-40.0) * 4);
        assertEquals(Activation.SIGMOID.value(-3.0), Activation.SOFTPLUS.derivative(-3.0, 0.0), 1e-16);
    }

    /**
     * Tanh against a 40-digit decimal reference, over magnitudes
     * from 1e-300 (where tanh x = x) through the range where it rounds to 1, in both the scalar and the array form.
     */
    @Test
    void shouldComputeTanhToRelativeAccuracy1e15() {
        SplittableRandom rng = new SplittableRandom(5);
        double[] x = new double[600];
        for (int i = 0; i < x.length; i++) {
            double magnitude = i % 2 == 0 ? rng.nextDouble(0, 22) : Math.pow(10, rng.nextDouble(-300, 1.4));
            x[i] = rng.nextBoolean() ? magnitude : -magnitude;
        }
        double[] y = new double[x.length];
        Activation.TANH.forward(x, y, x.length);
        for (int i = 0; i < x.length; i++) {
            double exact = decimalTanh(x[i]);
            assertEquals(exact, y[i], 1e-15 * Math.abs(exact), "tanh(" + x[i] + ")");
            assertEquals(y[i], Activation.TANH.value(x[i]), 0.0);
        }
    }

    @Test
    void shouldKeepTanhEdgeCases() {
        double[] x = {0.0, -0.0, 19.1, -19.1, 700.0, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, Double.NaN};
        double[] expected = {0.0, -0.0, 1.0, -1.0, 1.0, 1.0, -1.0, Double.NaN};
        double[] y = new double[x.length];
        Activation.TANH.forward(x, y, x.length);
        for (int i = 0; i < x.length; i++) {
            assertEquals(expected[i], y[i], 0.0, "tanh(" + x[i] + ")");
            assertEquals(expected[i], Activation.TANH.value(x[i]), 0.0, "tanh(" + x[i] + ")");
        }
        assertNotEquals(0.0, Activation.TANH.value(Double.MIN_VALUE));
    }

    @Test
    void shouldApplyTanhInPlace() {
        double[] x = points(14);
        double[] y = new double[N];
        Activation.TANH.forward(x, y, N);
        Activation.TANH.forward(x, x, N);
        assertEquals(Arrays.toString(y), Arrays.toString(x));
    }

    /** {@code m / (m + 2)} with {@code m = expm1(2|x|)} summed term by term: every term positive, nothing cancels. */
    private static double decimalTanh(double x) {
        MathContext mc = new MathContext(40);
        BigDecimal u = new BigDecimal(2 * Math.abs(x));
        BigDecimal m = BigDecimal.ZERO;
        BigDecimal term = BigDecimal.ONE;
        for (int k = 1; k <= 2 * u.doubleValue() + 2 || term.compareTo(m.movePointLeft(45)) > 0; k++) {
            term = term.multiply(u, mc).divide(BigDecimal.valueOf(k), mc);
            m = m.add(term, mc);
        }
        return Math.copySign(m.divide(m.add(BigDecimal.TWO), mc).doubleValue(), x);
    }
}
