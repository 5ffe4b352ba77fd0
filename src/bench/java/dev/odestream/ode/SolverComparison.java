package dev.odestream.ode;

import dev.odestream.bench.Table;

import java.util.Arrays;
import org.hipparchus.ode.ODEState;
import org.hipparchus.ode.ODEStateAndDerivative;
import org.hipparchus.ode.OrdinaryDifferentialEquation;
import org.hipparchus.ode.nonstiff.DormandPrince54Integrator;

/**
 * Our dopri5 against Hipparchus' {@code DormandPrince54Integrator}, side by side in one run: the same problems (the
 * solver tests' exact-solution problems), the same tolerances ({@code rtol = atol}), the same error norm. The two are
 * timed alternately, repetition by repetition, so machine noise falls on both; the table gives medians and their
 * ratio, the function evaluations, and the error at the final time against the exact solution.
 *
 * <p>Lives in this package to reuse the package-private {@code TestProblem}s of the solver tests.
 */
public final class SolverComparison {

    private static final double[] TOLERANCES = {1e-3, 1e-6, 1e-9};
    private static final int WARMUP = 3000;
    private static final int REPETITIONS = 1500;

    private SolverComparison() {
    }

    /** Prints the comparison table. */
    public static void run() {
        Table table = new Table("problem", "tol", "ours µs", "Hipparchus µs", "time ratio", "ours NFE",
                "Hipparchus NFE", "NFE ratio", "ours error", "Hipparchus error");
        for (TestProblem problem : TestProblem.all()) {
            for (double tol : TOLERANCES) {
                table.row(compare(problem, tol));
            }
        }
        table.print("dopri5 against Hipparchus DormandPrince54Integrator (median of " + REPETITIONS
                + " alternating solves, rtol = atol = tol)");
    }

    private static Object[] compare(TestProblem problem, double tol) {
        Ours ours = new Ours(problem, tol);
        Theirs theirs = new Theirs(problem, tol);
        for (int i = 0; i < WARMUP; i++) {
            ours.solve();
            theirs.solve();
        }
        long[] a = new long[REPETITIONS];
        long[] b = new long[REPETITIONS];
        for (int i = 0; i < REPETITIONS; i++) {
            boolean oursFirst = (i & 1) == 0;
            if (oursFirst) {
                a[i] = ours.timed();
            }
            b[i] = theirs.timed();
            if (!oursFirst) {
                a[i] = ours.timed();
            }
        }
        double ta = median(a) / 1e3;
        double tb = median(b) / 1e3;
        double[] exact = problem.exact(problem.t1());
        return new Object[] {problem, Table.sci(tol), Table.fmt(ta, 1), Table.fmt(tb, 1), Table.fmt(ta / tb, 2),
                ours.nfe, theirs.nfe, Table.fmt((double) ours.nfe / theirs.nfe, 2),
                Table.sci(maxError(ours.y, exact)), Table.sci(maxError(theirs.y, exact))};
    }

    private static double median(long[] v) {
        long[] s = v.clone();
        Arrays.sort(s);
        return s[s.length / 2];
    }

    private static double maxError(double[] y, double[] exact) {
        double e = 0;
        for (int i = 0; i < y.length; i++) {
            e = Math.max(e, Math.abs(y[i] - exact[i]));
        }
        return e;
    }

    private abstract static class Contender {
        final TestProblem problem;
        final double[] y0;
        double[] y;
        long nfe;

        Contender(TestProblem problem) {
            this.problem = problem;
            this.y0 = problem.exact(problem.t0());
        }

        abstract void solve();

        long timed() {
            long start = System.nanoTime();
            solve();
            return System.nanoTime() - start;
        }
    }

    private static final class Ours extends Contender {
        private final OdeSolver solver;

        Ours(TestProblem problem, double tol) {
            super(problem);
            solver = new OdeSolver(problem.dimension(), SolverOptions.of(Method.DOPRI5, tol, tol));
            y = new double[problem.dimension()];
        }

        @Override
        void solve() {
            solver.integrate(problem, problem.t0(), y0, problem.t1(), y);
            nfe = solver.stats().nfe();
        }
    }

    private static final class Theirs extends Contender {
        private final DormandPrince54Integrator integrator;
        private final OrdinaryDifferentialEquation equation;

        Theirs(TestProblem problem, double tol) {
            super(problem);
            integrator = new DormandPrince54Integrator(0.0, problem.t1() - problem.t0(), tol, tol);
            equation = new OrdinaryDifferentialEquation() {
                @Override
                public int getDimension() {
                    return problem.dimension();
                }

                @Override
                public double[] computeDerivatives(double t, double[] y) {
                    double[] yDot = new double[y.length];
                    problem.derivatives(t, y, yDot);
                    return yDot;
                }
            };
        }

        @Override
        void solve() {
            ODEStateAndDerivative end = integrator.integrate(equation, new ODEState(problem.t0(), y0), problem.t1());
            y = end.getPrimaryState();
            nfe = integrator.getEvaluations();
        }
    }
}
