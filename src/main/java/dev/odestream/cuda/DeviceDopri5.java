package dev.odestream.cuda;

import dev.odestream.ode.MaxStepsExceededException;
import dev.odestream.ode.Method;
import dev.odestream.ode.NonFiniteStateException;
import dev.odestream.ode.SolverOptions;
import dev.odestream.ode.StepSizeUnderflowException;
import dev.odestream.ode.Tableau;

/**
 * {@link dev.odestream.ode.OdeSolver}'s adaptive dopri5 integration (no forced times), with the state on the device
 * and the step-size control on the host: from {@code t0} to {@code t1}, or through a range of output times answered
 * by the steps' dense output. Every decision the JVM solver takes is taken here from the same numbers: the first-step
 * estimate (three scaled norms and one extra evaluation), or, with {@link SolverOptions#carryStep()}, the step the
 * last solve proposed when this one starts where it ended in the same direction; the stage combinations in passes of
 * four terms, the error norm and the finiteness checks (one two-double read-back per step), acceptance, rejection,
 * stretching onto the end point, the underflow checks, and the interpolant fitted once per step that answers output
 * times. The error norms are sums in another order than the JVM's sequential ones, so step sizes agree to rounding.
 *
 * <p>Buffers are allocated once for the dimension; not thread-safe.
 */
final class DeviceDopri5 implements AutoCloseable {

    private static final double RELATIVE_STEP_FLOOR = 1e-14;
    private static final double STRETCH = 1.01;
    private static final int PASS_TERMS = 4;

    private final Device kernels;
    private final Device driver;
    private final SolverOptions options;
    private final Tableau tableau;
    private final int n;
    private final int controlled;
    private final double exponent;
    private final double rtol;
    private final double atol;
    private final long[] k;
    private final long stageY;
    private final long fNow;
    private final long partials;
    private final long result;
    private final long coefficients;
    private final int degree;
    private final double[] readBack = new double[2];
    private final double[] passWeights = new double[PASS_TERMS];
    private final long[] passStages = new long[PASS_TERMS];
    private long y;
    private long yNew;
    private double t;
    private double direction;
    private double hNext;
    private boolean clipped;
    private double hUnclipped;
    private double tNew;
    private double tPrev;
    private int fittedStep;
    /** Where the last successful solve ended (NaN when none did), its direction and the step it proposed next. */
    private double carriedFrom = Double.NaN;
    private double carriedDirection;
    private double carriedStep;
    private int accepted;
    private int rejected;
    private long evaluations;
    private DeviceSystem f;

    /**
     * @param n the state length
     * @param options dopri5 with scalar tolerances, adaptive; its error components are honoured
     */
    DeviceDopri5(Device kernels, int n, SolverOptions options) {
        if (options.method() != Method.DOPRI5 || options.toleranceLength() != -1 || !options.adaptiveSteps()
                || options.forcedTimes().length > 0) {
            throw new IllegalArgumentException("the device solver runs adaptive dopri5 with scalar tolerances and no"
                    + " forced times, got " + options);
        }
        this.kernels = kernels;
        this.driver = kernels;
        this.options = options;
        this.tableau = options.method().tableau();
        this.n = n;
        this.controlled = options.errorComponents(n);
        this.exponent = -1.0 / (options.method().errorOrder() + 1);
        this.rtol = options.rtol(0);
        this.atol = options.atol(0);
        this.k = new long[tableau.stages()];
        for (int s = 0; s < k.length; s++) {
            k[s] = driver.allocDoubles(n);
        }
        this.stageY = driver.allocDoubles(n);
        this.fNow = driver.allocDoubles(n);
        this.y = driver.allocDoubles(n);
        this.yNew = driver.allocDoubles(n);
        this.partials = driver.allocDoubles(2L * Kernels.blocks(n));
        this.result = driver.allocDoubles(2);
        this.degree = tableau.denseDegree();
        this.coefficients = driver.allocDoubles((long) degree * n);
    }

    /** @return derivative evaluations since construction. */
    long evaluations() {
        return evaluations;
    }

    /**
     * Integrates {@code f} from {@code t0} to {@code t1}.
     *
     * @param y0 device state at {@code t0}. Not modified (unless it is yOut).
     * @param yOut receives the state at {@code t1}; may be {@code y0}. Modified.
     * @throws dev.odestream.ode.OdeSolverException as the JVM solver would
     */
    void integrate(DeviceSystem system, double t0, long y0, double t1, long yOut) {
        checkDimension(system);
        f = system;
        try {
            driver.copy(y0, y, n);
            start(t0, t1);
            while (t != t1) {
                attemptStep(t1);
            }
            remember(t0, t1);
            driver.copy(y, yOut, n);
        } finally {
            f = null;
        }
    }

    /**
     * Integrates {@code f} from {@code t0} through the output times {@code times[from .. to - 1]} in one pass, as
     * {@link dev.odestream.ode.OdeSolver}'s range form does: the steps aim at the last time and each output is the
     * dense output of the step that reaches past it.
     *
     * @param y0 device state at {@code t0}. Not modified.
     * @param times output times, those in {@code [from, to)} strictly monotone away from {@code t0}. Not modified.
     * @param out device rows: output {@code i} is written to {@code out + 8 i stride}. Modified.
     * @param stride doubles from one output row to the next
     * @throws dev.odestream.ode.OdeSolverException as the JVM solver would
     */
    void integrate(DeviceSystem system, double t0, long y0, double[] times, int from, int to, long out, long stride) {
        checkDimension(system);
        f = system;
        double tLast = times[to - 1];
        try {
            driver.copy(y0, y, n);
            start(t0, tLast);
            for (int i = from; i < to; i++) {
                while ((times[i] - t) * direction > 0) {
                    attemptStep(tLast);
                }
                interpolate(times[i], out + 8L * i * stride);
            }
            remember(t0, tLast);
        } finally {
            f = null;
        }
    }

    private void checkDimension(DeviceSystem system) {
        if (system.dimension() != n) {
            throw new IllegalArgumentException("system dimension " + system.dimension() + " != solver's " + n);
        }
    }

    /** Keeps the end and the proposed next step of a successful solve, for {@link SolverOptions#carryStep()}. */
    private void remember(double t0, double tEnd) {
        if (tEnd != t0) {
            carriedFrom = tEnd;
            carriedDirection = direction;
            carriedStep = Math.abs(hNext);
        }
    }

    /**
     * Dense output inside the last accepted step: the step's state and stages are still in place (the loop asks
     * only after an accepted step), and its interpolant is fitted on first use.
     */
    private void interpolate(double tq, long out) {
        if (tq == t) {
            driver.copy(y, out, n);
            return;
        }
        if (fittedStep != accepted) {
            fit(t - tPrev);
            fittedStep = accepted;
        }
        kernels.run("dense_evaluate", n, yNew, coefficients, n, degree, (tq - tPrev) / (t - tPrev), out);
    }

    /** The interpolant's coefficients {@code c_p = sum_s h dense[s][p] k_s}; {@code yNew} holds the step's start. */
    private void fit(double h) {
        double[][] dense = tableau.dense();
        for (int p = 0; p < degree; p++) {
            kernels.run("dense_fit", n, coefficients + 8L * p * n, n, h * dense[0][p], k[0], h * dense[1][p], k[1],
                    h * dense[2][p], k[2], h * dense[3][p], k[3], h * dense[4][p], k[4], h * dense[5][p], k[5],
                    h * dense[6][p], k[6]);
        }
    }

    private void start(double t0, double t1) {
        t = t0;
        tPrev = t0;
        fittedStep = -1;
        accepted = 0;
        rejected = 0;
        direction = t1 >= t0 ? 1 : -1;
        if (t1 != t0) {
            evaluate(t0, y, fNow);
            // The norms share one read-back array: take each value before the next reduction.
            double[] r = norm(y, y, true);
            double d0 = r[0];
            boolean finite = r[1] == 0;
            r = norm(fNow, y, false);
            double d1 = r[0];
            if (!finite || r[1] > 0) {
                throw new NonFiniteStateException(t0);
            }
            boolean carried = options.carryStep() && t0 == carriedFrom && direction == carriedDirection;
            hNext = direction * (carried ? Math.min(carriedStep, options.maxStep()) : initialStep(t1, d0, d1));
            carriedFrom = Double.NaN;
        }
    }

    private double initialStep(double tEnd, double d0, double d1) {
        double span = Math.abs(tEnd - t);
        if (options.firstStep() > 0) {
            return Math.min(options.firstStep(), options.maxStep());
        }
        double h = Math.min(estimateFirstStep(span, d0, d1), options.maxStep());
        return Double.isFinite(h) && h > 0 ? h : Math.min(1e-6, span);
    }

    /** Hairer, Norsett &amp; Wanner's estimate, as the JVM solver's. */
    private double estimateFirstStep(double span, double d0, double d1) {
        double h0 = Math.min(span, (d0 < 1e-5 || d1 < 1e-5) ? 1e-6 : 0.01 * d0 / d1);
        pass(y, stageY, 1, direction * h0, fNow);
        evaluate(t + direction * h0, stageY, k[0]);
        pass(k[0], stageY, 1, -1.0, fNow);
        kernels.run("divide_by", n, stageY, n, h0);
        double dMax = Math.max(d1, norm(stageY, y, false)[0]);
        double h1 = dMax <= 1e-15 ? Math.max(1e-6, h0 * 1e-3) : Math.pow(0.01 / dMax, -exponent);
        return Math.min(100 * h0, h1);
    }

    private void attemptStep(double target) {
        if (accepted + rejected >= options.maxSteps()) {
            throw new MaxStepsExceededException(t, options.maxSteps());
        }
        double h = clipToLanding(target);
        computeStages(h);
        double[] e = errorNorm(h);
        double err = e[0];
        if (!Double.isFinite(err) || e[1] > 0) {
            reject(h, options.minFactor(), true);
        } else if (err > 1) {
            reject(h, stepFactor(err), false);
        } else {
            accept(h, stepFactor(err));
        }
    }

    private void computeStages(double h) {
        driver.copy(fNow, k[0], n);
        double[][] a = tableau.a();
        for (int s = 1; s < k.length; s++) {
            combine(h, a[s], s, stageY);
            evaluate(t + tableau.c()[s] * h, stageY, k[s]);
        }
        combine(h, tableau.b(), k.length, yNew);
    }

    /** The JVM solver's combine: non-zero terms left to right, four per pass. */
    private void combine(double h, double[] w, int count, long out) {
        long from = y;
        int terms = 0;
        for (int j = 0; j < count; j++) {
            double hw = h * w[j];
            if (hw != 0) {
                passWeights[terms] = hw;
                passStages[terms] = k[j];
                terms++;
                if (terms == PASS_TERMS) {
                    launchPass(from, out, terms);
                    from = out;
                    terms = 0;
                }
            }
        }
        if (terms > 0 || from == y) {
            launchPass(from, out, terms);
        }
    }

    private void pass(long from, long out, int terms, double w0, long k0) {
        passWeights[0] = w0;
        passStages[0] = k0;
        launchPass(from, out, terms);
    }

    private void launchPass(long from, long out, int terms) {
        for (int j = terms; j < PASS_TERMS; j++) {
            passWeights[j] = 0.0;
            passStages[j] = from;
        }
        kernels.run("rk_pass", n, from, out, n, terms, passWeights[0], passStages[0], passWeights[1],
                passStages[1], passWeights[2], passStages[2], passWeights[3], passStages[3]);
    }

    /** @return the RMS error norm and the count of non-finite entries of the proposed state */
    private double[] errorNorm(double h) {
        double[] e = tableau.bError();
        kernels.run("error_partials", n, k[0], k[1], k[2], k[3], k[4], k[5], k[6], y, yNew, n, controlled, h, atol,
                rtol, e[0], e[1], e[2], e[3], e[4], e[5], e[6], partials);
        return finish();
    }

    /** @return the RMS scaled norm of {@code v} and its non-finite count (and {@code yScale}'s when asked) */
    private double[] norm(long v, long yScale, boolean countScale) {
        kernels.run("scaled_norm_partials", n, v, yScale, n, controlled, atol, rtol, countScale ? 1 : 0, partials);
        return finish();
    }

    /** @return the RMS over the controlled components and the non-finite count, in a shared array */
    private double[] finish() {
        kernels.runOneBlock("finish_sums", partials, Kernels.blocks(n), result);
        driver.download(result, readBack, 0, 2);
        readBack[0] = Math.sqrt(readBack[0] / controlled);
        return readBack;
    }

    private double stepFactor(double err) {
        double factor = err == 0 ? options.maxFactor() : options.safety() * Math.pow(err, exponent);
        return Math.min(options.maxFactor(), Math.max(options.minFactor(), factor));
    }

    private void accept(double h, double factor) {
        long old = y;
        y = yNew;
        yNew = old;
        tPrev = t;
        t = tNew;
        accepted++;
        driver.copy(k[k.length - 1], fNow, n);
        double proposed = h * factor;
        if (clipped && factor >= 1 && Math.abs(hUnclipped) > Math.abs(proposed)) {
            proposed = hUnclipped;
        }
        hNext = limit(proposed);
        if (!clipped && factor < 1) {
            checkUnderflow(hNext, false);
        }
    }

    private void reject(double h, double factor, boolean nonFinite) {
        rejected++;
        hNext = limit(h * factor);
        checkUnderflow(hNext, nonFinite);
    }

    private void checkUnderflow(double h, boolean nonFinite) {
        double floor = Math.max(options.minStep(), RELATIVE_STEP_FLOOR * Math.abs(t));
        if (Math.abs(h) < floor || t + h == t) {
            throw nonFinite ? new NonFiniteStateException(t) : new StepSizeUnderflowException(t, h);
        }
    }

    private double limit(double h) {
        return Math.copySign(Math.min(Math.abs(h), options.maxStep()), direction);
    }

    private double clipToLanding(double target) {
        double h = hNext;
        hUnclipped = h;
        clipped = Math.abs(target - t) <= STRETCH * Math.abs(h);
        tNew = clipped ? target : t + h;
        return clipped ? target - t : h;
    }

    private void evaluate(double time, long state, long out) {
        f.derivatives(time, state, out);
        evaluations++;
    }

    @Override
    public void close() {
        for (long p : k) {
            driver.free(p);
        }
        for (long p : new long[] {stageY, fNow, y, yNew, partials, result, coefficients}) {
            driver.free(p);
        }
    }
}
