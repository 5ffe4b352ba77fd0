package dev.odestream.nn;

import org.junit.jupiter.api.Test;

import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Adam and Adamax against the update rules of Kingma and Ba 2015, worked by hand, and on a quadratic. */
class OptimizerTest {

    private static final double LR = 0.1;
    private static final double B1 = 0.9;
    private static final double B2 = 0.999;
    private static final double EPS = 1e-8;

    @Test
    void shouldTakeAdamsFirstTwoStepsAsThePaperPrescribes() {
        Adam adam = new Adam(2, AdamSettings.of(LR));
        double[] theta = {1.0, -2.0};
        adam.step(theta, new double[] {0.5, -4.0});
        // Step 1: m = 0.1 g, v = 0.001 g^2, so m_hat = g and v_hat = g^2: a step of LR * sign(g).
        assertEquals(1.0 - LR * 0.5 / (0.5 + EPS), theta[0], 1e-15);
        assertEquals(-2.0 + LR * 4.0 / (4.0 + EPS), theta[1], 1e-15);
        double[] afterOne = theta.clone();
        adam.step(theta, new double[] {-1.0, 2.0});
        // Step 2, component 0: m = 0.9*0.05 + 0.1*(-1) = -0.055; v = 0.999*0.00025 + 0.001*1 = 0.00124975.
        double mHat = -0.055 / (1 - 0.81);
        double vHat = 0.00124975 / (1 - 0.998001);
        assertEquals(afterOne[0] - LR * mHat / (Math.sqrt(vHat) + EPS), theta[0], 1e-14);
        // Component 1: m = 0.9*(-0.4) + 0.1*2 = -0.16; v = 0.999*0.016 + 0.001*4 = 0.019984.
        mHat = -0.16 / 0.19;
        vHat = 0.019984 / 0.001999;
        assertEquals(afterOne[1] - LR * mHat / (Math.sqrt(vHat) + EPS), theta[1], 1e-14);
        assertEquals(2, adam.steps());
    }

    @Test
    void shouldTakeAdamaxsFirstTwoStepsAsThePaperPrescribes() {
        Adamax adamax = new Adamax(2, AdamSettings.of(LR).withEpsilon(0.0));
        double[] theta = {1.0, -2.0};
        adamax.step(theta, new double[] {0.5, -4.0});
        // Step 1: m = 0.1 g, u = |g|; alpha / (1 - 0.9) * m / u = LR * sign(g).
        assertEquals(0.9, theta[0], 1e-15);
        assertEquals(-1.9, theta[1], 1e-15);
        adamax.step(theta, new double[] {-1.0, 2.0});
        // Component 0: m = -0.055, u = max(0.999*0.5, 1) = 1. Component 1: m = -0.16, u = max(3.996, 2) = 3.996.
        assertEquals(0.9 - LR / 0.19 * (-0.055 / 1.0), theta[0], 1e-15);
        assertEquals(-1.9 - LR / 0.19 * (-0.16 / 3.996), theta[1], 1e-15);
    }

    @Test
    void shouldConvergeOnAnIllConditionedQuadratic() {
        assertConverges(n -> new Adam(n, AdamSettings.of(0.05)));
        assertConverges(n -> new Adamax(n, AdamSettings.of(0.05)));
    }

    /** Minimises {@code sum_i a_i (theta_i - c_i)^2 / 2}, curvatures spanning four decades, with a decaying rate. */
    private static void assertConverges(Function<Integer, Optimizer> factory) {
        double[] a = {0.01, 1.0, 10.0, 100.0};
        double[] c = {2.0, -1.0, 0.5, 3.0};
        double[] theta = new double[4];
        double[] g = new double[4];
        Optimizer opt = factory.apply(4);
        for (int step = 0; step < 3000; step++) {
            for (int i = 0; i < 4; i++) {
                g[i] = a[i] * (theta[i] - c[i]);
            }
            opt.step(theta, g);
            if (step % 500 == 499) {
                opt.setLearningRate(opt.learningRate() * 0.3);
            }
        }
        for (int i = 0; i < 4; i++) {
            assertEquals(c[i], theta[i], 1e-3, opt.getClass().getSimpleName() + " component " + i);
        }
    }

    @Test
    void shouldDecayWeightsWithoutGradient() {
        for (Optimizer opt : new Optimizer[] {
                new Adam(1, AdamSettings.of(0.1).withWeightDecay(0.5)),
                new Adamax(1, AdamSettings.of(0.1).withWeightDecay(0.5))}) {
            double[] theta = {2.0};
            opt.step(theta, new double[] {0.0});
            opt.step(theta, new double[] {0.0});
            assertEquals(2.0 * 0.95 * 0.95, theta[0], 1e-15, opt.getClass().getSimpleName());
        }
    }

    @Test
    void shouldStartAfreshAfterReset() {
        Adam used = new Adam(2, AdamSettings.of(LR));
        double[] scratch = {0.0, 0.0};
        used.step(scratch, new double[] {3.0, -1.0});
        used.reset();
        assertEquals(0, used.steps());
        double[] a = {1.0, 1.0};
        double[] b = {1.0, 1.0};
        used.step(a, new double[] {0.2, 0.7});
        new Adam(2, AdamSettings.of(LR)).step(b, new double[] {0.2, 0.7});
        assertArrayEquals(b, a, 0.0);
    }

    @Test
    void shouldMoveAgainstTheGradientEvenWithLargeMagnitudes() {
        Adam adam = new Adam(1, AdamSettings.of(LR));
        double[] theta = {0.0};
        adam.step(theta, new double[] {1e150});
        assertTrue(Double.isFinite(theta[0]) && theta[0] < 0, "theta " + theta[0]);
    }
}
