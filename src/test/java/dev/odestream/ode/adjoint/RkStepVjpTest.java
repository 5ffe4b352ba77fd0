package dev.odestream.ode.adjoint;

import dev.odestream.ode.Method;
import dev.odestream.ode.ParametricOdeSystem;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Back-propagation through taped steps of every tableau against finite differences of the same steps: with the step
 * sizes fixed the map is smooth, so the two agree to the differences' own accuracy. The sizes change sign once, which
 * a step's algebra allows.
 */
class RkStepVjpTest {

    @ParameterizedTest
    @EnumSource(Method.class)
    void shouldMatchFiniteDifferencesThroughRecordedSteps(Method method) {
        ExplicitStages stages = new ExplicitStages(method.tableau());
        assertTapeGradient(stages, TestSystems.Linear.random(3, 0.4, true, 1), new double[] {0.3, -0.2, 0.25, 0.1});
        assertTapeGradient(stages, TestSystems.CubicSpiral.demo(), new double[] {0.05, -0.1, 0.08});
    }

    @Test
    void shouldSkipOnlyTheStagesThatFeedTheErrorEstimateAlone() {
        ExplicitStages dopri5 = new ExplicitStages(Method.DOPRI5.tableau());
        for (int i = 0; i < 6; i++) {
            assertTrue(dopri5.needed(i), "stage " + i);
        }
        assertFalse(dopri5.needed(6), "the FSAL stage has b = 0 and feeds no other stage");
        ExplicitStages midpoint = new ExplicitStages(Method.MIDPOINT.tableau());
        assertTrue(midpoint.needed(0), "b_0 = 0, but stage 0 feeds stage 1");
    }

    private static void assertTapeGradient(ExplicitStages stages, ParametricOdeSystem f, double[] stepSizes) {
        Random rnd = new Random(7);
        double[] y0 = TestSystems.gaussian(f.dimension(), rnd);
        double[] r = TestSystems.gaussian(f.dimension(), rnd);
        StepTape tape = new StepTape(stages, f);
        double[] y = y0.clone();
        run(tape, stepSizes, y);
        double[] yBar = r.clone();
        double[] thetaBar = new double[f.parameterCount()];
        tape.backprop(new RkStepVjp(stages, f), 0, tape.steps(), yBar, thetaBar);

        double[] theta = parameters(f);
        double[] fdY = FiniteDifferences.gradient(y0, () -> loss(stages, f, stepSizes, y0, r), 1e-3);
        double[] fdTheta = FiniteDifferences.gradient(theta, () -> loss(stages, f, stepSizes, y0, r), 1e-3);
        double errY = TestSystems.relativeError(yBar, fdY);
        double errTheta = TestSystems.relativeError(thetaBar, fdTheta);
        assertTrue(errY < 1e-10, "dL/dy0 relative error " + errY);
        assertTrue(errTheta < 1e-10, "dL/dtheta relative error " + errTheta);
    }

    private static double[] parameters(ParametricOdeSystem f) {
        return f instanceof TestSystems.Linear lin ? lin.theta : ((TestSystems.CubicSpiral) f).theta;
    }

    private static void run(StepTape tape, double[] stepSizes, double[] y) {
        double t = 0.4;
        for (double h : stepSizes) {
            tape.step(t, h, y);
            t += h;
        }
    }

    private static double loss(ExplicitStages stages, ParametricOdeSystem f, double[] stepSizes, double[] y0,
                               double[] r) {
        double[] y = y0.clone();
        run(new StepTape(stages, f), stepSizes, y);
        return Vectors.dot(r, y);
    }
}
