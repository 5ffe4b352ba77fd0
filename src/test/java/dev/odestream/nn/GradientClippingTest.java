package dev.odestream.nn;

import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

class GradientClippingTest {

    private static double naiveNorm(double[] g) {
        double s = 0;
        for (double x : g) {
            s += x * x;
        }
        return Math.sqrt(s);
    }

    @Test
    void shouldScaleALargeGradientToTheMaximumNormKeepingItsDirection() {
        double[] g = TestData.uniform(new SplittableRandom(5), 50, 10.0);
        double[] original = g.clone();
        double before = naiveNorm(g);
        assertEquals(before, GradientClipping.clipByGlobalNorm(g, 1.5), 1e-12 * before);
        assertEquals(1.5, naiveNorm(g), 1e-14);
        for (int i = 0; i < g.length; i++) {
            assertEquals(original[i] * 1.5 / before, g[i], 1e-15);
        }
    }

    @Test
    void shouldLeaveASmallGradientUntouched() {
        double[] g = {0.3, -0.4};
        assertEquals(0.5, GradientClipping.clipByGlobalNorm(g, 1.0), 1e-16);
        assertArrayEquals(new double[] {0.3, -0.4}, g, 0.0);
    }

    @Test
    void shouldNeitherOverflowNorUnderflow() {
        assertEquals(5e200, GradientClipping.globalNorm(new double[] {3e200, 4e200}), 1e186);
        assertEquals(5e-200, GradientClipping.globalNorm(new double[] {3e-200, -4e-200}), 1e-214);
        double[] g = {3e200, 4e200};
        GradientClipping.clipByGlobalNorm(g, 1.0);
        assertArrayEquals(new double[] {0.6, 0.8}, g, 1e-15);
    }

    @Test
    void shouldLeaveANonFiniteGradientForTheCallerToSkip() {
        double[] g = {1.0, Double.NaN};
        assertEquals(Double.NaN, GradientClipping.clipByGlobalNorm(g, 1.0));
        assertEquals(1.0, g[0]);
        double[] h = {1.0, Double.POSITIVE_INFINITY};
        assertEquals(Double.POSITIVE_INFINITY, GradientClipping.clipByGlobalNorm(h, 1.0));
        assertEquals(1.0, h[0]);
    }
}
