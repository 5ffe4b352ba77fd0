package dev.odestream.ode;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * The decisions {@link StepSizeController} takes from the numbers a solver hands it, on their own: the JVM solver and
 * the device's both rely on them. The solvers' tests check the steps they lead to.
 */
class StepSizeControllerTest {

    /** A probe of a state with the given norms; counts the evaluations the estimate asks for. */
    private static final class Probe implements StepSizeController.FirstStepProbe {
        final double d0;
        final double d1;
        final double d2;
        int evaluations;

        Probe(double d0, double d1, double d2) {
            this.d0 = d0;
            this.d1 = d1;
            this.d2 = d2;
        }

        @Override
        public double stateNorm() {
            return d0;
        }

        @Override
        public double derivativeNorm() {
            return d1;
        }

        @Override
        public double derivativeChangeNorm(double h0) {
            evaluations++;
            return d2;
        }
    }

    private static SolverOptions.Builder dopri5() {
        return SolverOptions.builder(Method.DOPRI5).safety(0.9).minFactor(0.2).maxFactor(10);
    }

    /** Starts a solve over [0, 100] with a first step of {@code h}. */
    private static StepSizeController started(SolverOptions options, double h) {
        StepSizeController c = new StepSizeController(options.toBuilder().firstStep(h).build());
        c.start(0, 100);
        c.chooseFirstStep(100, null);
        return c;
    }

    @Test
    void shouldAcceptAnErrorNormOfOneAndRejectAnyAbove() {
        StepSizeController c = started(dopri5().build(), 0.1);
        assertTrue(c.acceptable(1.0, true));
        assertFalse(c.acceptable(Math.nextUp(1.0), true));
        assertFalse(c.acceptable(0.5, false));
        assertFalse(c.acceptable(Double.NaN, true));
    }

    @Test
    void shouldScaleTheNextStepBySafetyTimesTheErrorToMinusOneOverTheOrderPlusOneClamped() {
        double[][] errorAndFactor = {{0.5, 0.9 * Math.pow(0.5, -0.2)}, {0.0, 10}, {1e-12, 10}, {1.0, 0.9}};
        for (double[] row : errorAndFactor) {
            StepSizeController c = started(dopri5().build(), 0.1);
            double h = c.clip(100);
            assertTrue(c.acceptable(row[0], true));
            c.advance();
            c.proposeNext(h);
            assertEquals(0.1, c.t());
            assertEquals(0.1 * row[1], c.clip(100), 1e-15, "err " + row[0]);
        }
        StepSizeController c = started(dopri5().build(), 0.1);
        assertFalse(c.acceptable(1e9, true));
        c.reject(c.clip(100));
        assertEquals(0.0, c.t());
        assertEquals(0.1 * 0.2, c.clip(100), 1e-17);
    }

    @Test
    void shouldStretchOntoALandingPointWithinOnePercentAndKeepTheUnclippedStepAfterIt() {
        StepSizeController c = started(dopri5().build(), 1.0);
        assertEquals(1.005, c.clip(1.005));
        assertTrue(c.clipped());
        assertEquals(0.5, c.clip(0.5));
        assertTrue(c.acceptable(0.5, true));
        c.advance();
        c.proposeNext(0.5);
        assertEquals(1.0, c.clip(100), "a step clipped short does not shrink the next one");
        assertTrue(c.acceptable(1.0, true));
        c.advance();
        c.proposeNext(1.0);
        assertEquals(0.9, c.clip(100), 1e-15, "unless the error asks for it");
    }

    @Test
    void shouldCapStepsAtMaxStepAndFailBelowMinStep() {
        StepSizeController c = started(dopri5().maxStep(0.15).minStep(0.05).build(), 0.1);
        double h = c.clip(100);
        assertTrue(c.acceptable(0.0, true));
        c.advance();
        c.proposeNext(h);
        assertEquals(0.15, c.clip(100));
        assertFalse(c.acceptable(1e9, true));
        assertThrows(StepSizeUnderflowException.class, () -> c.reject(0.15));
        StepSizeController d = started(dopri5().minStep(0.05).build(), 0.1);
        assertFalse(d.acceptable(0.1, false));
        assertThrows(NonFiniteStateException.class, () -> d.reject(0.1));
    }

    @Test
    void shouldFailOnceTheAttemptsReachMaxSteps() {
        StepSizeController c = started(dopri5().maxSteps(3).build(), 0.1);
        c.checkAttempts(2);
        assertThrows(MaxStepsExceededException.class, () -> c.checkAttempts(3));
    }

    @Test
    void shouldEstimateTheFirstStepAsHairerNorsettAndWannerFromTheProbe() {
        StepSizeController c = new StepSizeController(dopri5().build());
        Probe probe = new Probe(1.0, 2.0, 4.0);
        c.start(0, -10);
        c.chooseFirstStep(-10, probe);
        double h0 = 0.01 * 1.0 / 2.0;
        double h1 = Math.pow(0.01 / 4.0, 0.2);
        assertEquals(1, probe.evaluations);
        assertEquals(-1.0, c.direction());
        assertEquals(-Math.min(100 * h0, h1), c.clip(-10));
    }

    @Test
    void shouldBoundTheSpanWithoutAnEvaluationWhenSpanFirst() {
        StepSizeController c = new StepSizeController(dopri5().spanFirst(true).build());
        Probe probe = new Probe(1.0, 2.0, 4.0);
        c.start(0, 10);
        c.chooseFirstStep(10, probe);
        assertEquals(0, probe.evaluations);
        assertEquals(8.0 * 1.0 / 2.0, c.clip(10));
    }

    @Test
    void shouldCarryTheProposedStepOnlyIntoASolveThatStartsWhereTheLastEndedInTheSameDirection() {
        SolverOptions options = dopri5().carryStep(true).build();
        StepSizeController c = new StepSizeController(options);
        c.start(0, 1);
        c.chooseFirstStep(1, new Probe(1.0, 2.0, 4.0));
        double h = c.clip(1);
        assertTrue(c.acceptable(0.01, true));
        c.advance();
        c.proposeNext(h);
        double carried = c.clip(100);
        c.remember(0, c.t());

        Probe unused = new Probe(1.0, 2.0, 4.0);
        double end = c.t();
        c.start(end, end + 50);
        c.chooseFirstStep(end + 50, unused);
        assertEquals(carried, c.clip(end + 50));
        assertEquals(0, unused.evaluations);

        c.remember(end, end + 50);
        c.start(end, -50);
        c.chooseFirstStep(-50, unused);
        assertEquals(1, unused.evaluations, "not carried: another start");
    }
}
