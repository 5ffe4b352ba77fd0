package dev.odestream.ode;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.hipparchus.ode.ODEState;
import org.hipparchus.ode.OrdinaryDifferentialEquation;
import org.hipparchus.ode.nonstiff.DormandPrince54Integrator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Step-size control: what may and may not change the steps taken. */
class StepControlTest {

    @ParameterizedTest
    @EnumSource(value = Method.class, names = {"BOSH3", "DOPRI5", "TSIT5", "DOPRI8"})
    void shouldTakeTheSameStepsWithOrWithoutOutputTimes(Method method) {
        TestProblem problem = new TestProblem.Kepler();
        OdeSolver solver = new OdeSolver(4, SolverOptions.of(method, 1e-7, 1e-7));
        double[] end = new double[4];
        solver.integrate(problem, 0, problem.exact(0), problem.t1(), end);
        SolveStatistics plain = solver.stats().snapshot();

        double[] times = new double[97];
        for (int i = 0; i < times.length; i++) {
            times[i] = problem.t1() * i / (times.length - 1);
        }
        double[][] out = new double[times.length][4];
        solver.integrate(problem, 0, problem.exact(0), times, out);

        assertEquals(plain, solver.stats().snapshot());
        assertArrayEquals(end, out[times.length - 1], 0.0);
        assertArrayEquals(problem.exact(0), out[0], 0.0);
    }

    @Test
    void shouldLeaveExcludedComponentsOutOfStepControl() {
        OdeSystem controlled = new TestProblem.SineForced();
        OdeSystem withWildTail = new OdeSystem() {
            @Override
            public int dimension() {
                return 2;
            }

            @Override
            public void derivatives(double t, double[] y, double[] yDot) {
                yDot[0] = -y[0] + Math.sin(t);
                yDot[1] = 1000 * Math.sin(100 * t) * y[0];
            }
        };
        SolverOptions options = SolverOptions.of(Method.DOPRI5, 1e-8, 1e-8);
        OdeSolver alone = new OdeSolver(1, options);
        double[] y = new double[1];
        alone.integrate(controlled, 0, new double[] {1}, 5, y);

        OdeSolver seminorm = new OdeSolver(2, options.toBuilder().errorExcludedFrom(1).build());
        double[] y2 = new double[2];
        seminorm.integrate(withWildTail, 0, new double[] {1, 0}, 5, y2);
        OdeSolver fullNorm = new OdeSolver(2, options);
        fullNorm.integrate(withWildTail, 0, new double[] {1, 0}, 5, new double[2]);

        assertEquals(alone.stats().accepted(), seminorm.stats().accepted());
        assertEquals(alone.stats().rejected(), seminorm.stats().rejected());
        assertEquals(y[0], y2[0], 0.0);
        assertTrue(fullNorm.stats().accepted() > 3 * seminorm.stats().accepted(), "the tail does drive a full norm");
    }

    @Test
    void shouldWeighComponentsByTheirOwnAbsoluteTolerance() {
        OdeSystem twins = new OdeSystem() {
            @Override
            public int dimension() {
                return 2;
            }

            @Override
            public void derivatives(double t, double[] y, double[] yDot) {
                yDot[0] = -y[0] + Math.sin(t);
                yDot[1] = -y[1] + Math.sin(t);
            }
        };
        double[] y0 = {1, 1};
        SolveStatistics tightFirst = run(twins, y0, SolverOptions.builder(Method.DOPRI5).rtol(0)
                .atol(new double[] {1e-11, 1e-3}).build());
        SolveStatistics tightSecond = run(twins, y0, SolverOptions.builder(Method.DOPRI5).rtol(0)
                .atol(new double[] {1e-3, 1e-11}).build());
        SolveStatistics loose = run(twins, y0, SolverOptions.builder(Method.DOPRI5).rtol(0).atol(1e-3).build());
        SolveStatistics looseVector = run(twins, y0, SolverOptions.builder(Method.DOPRI5).rtol(0)
                .atol(new double[] {1e-3, 1e-3}).build());

        assertEquals(tightFirst, tightSecond, "identical twins: which one is tight must not matter");
        assertEquals(loose, looseVector, "a vector of equal entries is the scalar");
        assertTrue(tightFirst.accepted() > 5 * loose.accepted(), "one tight component drives the steps");
    }

    @Test
    void shouldRespectMaxStepAndFirstStep() {
        TestProblem problem = new TestProblem.ExponentialDecay();
        Trajectory trajectory = new OdeSolver(3, SolverOptions.builder(Method.DOPRI5).maxStep(0.05).firstStep(1e-3)
                .build()).solve(problem, 0, problem.exact(0), 2, null);
        assertEquals(1e-3, trajectory.time(1) - trajectory.time(0), 1e-18);
        for (int i = 0; i < trajectory.steps(); i++) {
            assertTrue(trajectory.time(i + 1) - trajectory.time(i) <= 0.05 * (1 + 1e-12));
        }
    }

    @Test
    void shouldShortenOnlyTheLastFixedStep() {
        TestProblem problem = new TestProblem.SineForced();
        Trajectory trajectory = new OdeSolver(1, SolverOptions.builder(Method.RK4).fixedStep(0.3).build())
                .solve(problem, 0, problem.exact(0), 1, null);
        assertEquals(4, trajectory.steps());
        assertEquals(0.9, trajectory.time(3), 1e-15);
        assertEquals(1.0, trajectory.time(4), 0.0);
    }

    /**
     * Sanity check that the controller is the standard one: Hipparchus' Dormand-Prince 5(4), same tolerances, same
     * safety and factor limits, same RMS norm. Initial step heuristics differ slightly, hence the 15% margin.
     */
    @Test
    void shouldSpendAboutAsManyEvaluationsAsHipparchusDormandPrince() {
        TestProblem problem = new TestProblem.Kepler();
        OdeSolver solver = new OdeSolver(4, SolverOptions.of(Method.DOPRI5, 1e-6, 1e-6));
        solver.integrate(problem, 0, problem.exact(0), problem.t1(), new double[4]);

        DormandPrince54Integrator reference = new DormandPrince54Integrator(1e-12, 1e3, 1e-6, 1e-6);
        OrdinaryDifferentialEquation equation = new OrdinaryDifferentialEquation() {
            @Override
            public int getDimension() {
                return 4;
            }

            @Override
            public double[] computeDerivatives(double t, double[] y) {
                double[] yDot = new double[4];
                problem.derivatives(t, y, yDot);
                return yDot;
            }
        };
        reference.integrate(equation, new ODEState(0, problem.exact(0)), problem.t1());
        long ours = solver.stats().nfe();
        long theirs = reference.getEvaluations();
        assertEquals(theirs, ours, 0.15 * theirs, "ours " + ours + " vs Hipparchus " + theirs);
        assertNotEquals(0, ours);
    }

    private static SolveStatistics run(OdeSystem system, double[] y0, SolverOptions options) {
        OdeSolver solver = new OdeSolver(system.dimension(), options);
        solver.integrate(system, 0, y0, 10, new double[system.dimension()]);
        return solver.stats().snapshot();
    }
}
