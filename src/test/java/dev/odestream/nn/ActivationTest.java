package dev.odestream.nn;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
}
