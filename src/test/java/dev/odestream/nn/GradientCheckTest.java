package dev.odestream.nn;

import org.junit.jupiter.api.Test;

import java.util.function.ToDoubleFunction;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class GradientCheckTest {

    /** f(x) = sin(x0) x1^3 + exp(-x2) x0, with gradient written out by hand. */
    private static final ToDoubleFunction<double[]> F =
            x -> Math.sin(x[0]) * x[1] * x[1] * x[1] + Math.exp(-x[2]) * x[0];

    private static double[] gradient(double[] x) {
        return new double[] {
            Math.cos(x[0]) * x[1] * x[1] * x[1] + Math.exp(-x[2]),
            3 * Math.sin(x[0]) * x[1] * x[1],
            -Math.exp(-x[2]) * x[0]};
    }

    @Test
    void shouldAcceptACorrectGradientAndRestoreThePoint() {
        double[] x = {0.7, -1.3, 2.5};
        double[] copy = x.clone();
        double error = GradientCheck.maxRelativeError(F, x, gradient(x));
        assertTrue(error < 1e-9, "error " + error);
        assertArrayEquals(copy, x, 0.0);
    }

    @Test
    void shouldFlagAWrongComponentAndNameIt() {
        double[] x = {0.7, -1.3, 2.5};
        double[] wrong = gradient(x);
        wrong[1] *= 1 + 1e-6;
        GradientCheck.Result res = GradientCheck.DEFAULT.check(F, x, wrong);
        assertEquals(1, res.index());
        assertEquals(1e-6, res.maxRelativeError(), 1e-8);
    }

    @Test
    void shouldScaleTheStepWithLargeArguments() {
        ToDoubleFunction<double[]> cube = x -> x[0] * x[0] * x[0];
        double[] x = {1e4};
        assertTrue(GradientCheck.maxRelativeError(cube, x, new double[] {3e8}) < 1e-12);
    }

    @Test
    void shouldMeasureSmallGradientsAgainstTheFloor() {
        GradientCheck check = new GradientCheck(1e-3, 1e-4);
        assertEquals(1e-8 / 1e-4, check.relativeError(1e-8, 0.0), 1e-18);
        assertEquals(0.5, check.relativeError(2.0, 1.0), 0.0);
    }
}
