package dev.odestream.cuda;

import dev.odestream.ode.Method;
import dev.odestream.ode.NonFiniteStateException;
import dev.odestream.ode.SolverOptions;
import dev.odestream.ode.StagePasses;
import dev.odestream.ode.StepSizeController;
import dev.odestream.ode.Tableau;

/**
 * {@link dev.odestream.ode.OdeSolver}'s adaptive dopri5 integration (no forced times), with the state on the device
 * and the step-size control on the host: from {@code t0} to {@code t1}, or through a range of output times answered
 * by the steps' dense output. The device reduces the norms (the first-step estimate's three, with one extra
 * evaluation, and each step's error norm with its finiteness check: one two-double read-back each), and the JVM
 * solver's {@link StepSizeController} takes every decision from them: the first or carried step, acceptance,
 * rejection, stretching onto the end point, the limits and failures. The stage combinations run in passes of four
 * terms as the JVM solver's, and the interpolant is fitted once per step that answers output times. The error norms
 * are sums in another order than the JVM's sequential ones, so step sizes agree to rounding.
 *
 * <p>Buffers are allocated once for the dimension; not thread-safe.
 */
final class DeviceDopri5 implements AutoCloseable {

    private final Device kernels;
    private final Device driver;
    private final Tableau tableau;
    private final StepSizeController control;
    private final StepSizeController.FirstStepProbe probe = new Probe();
    private final int n;
    private final int controlled;
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
    private final StagePasses passes = new StagePasses();
    private final StagePasses.Runner launch = this::launchStages;
    private final double[] passWeights = new double[StagePasses.TERMS];
    private final long[] passStages = new long[StagePasses.TERMS];
    /** Where {@link #combine} writes. */
    private long passOut;
    private long y;
    private long yNew;
    /** The start's norms of the state and of its derivative, taken for the finiteness check. */
    private double d0;
    private double d1;
    private int fittedStep;
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
        this.tableau = options.method().tableau();
        this.control = new StepSizeController(options);
        this.n = n;
        this.controlled = options.errorComponents(n);
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
            while (control.t() != t1) {
                attemptStep(t1);
            }
            control.remember(t0, t1);
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
                while ((times[i] - control.t()) * control.direction() > 0) {
                    attemptStep(tLast);
                }
                interpolate(times[i], out + 8L * i * stride);
            }
            control.remember(t0, tLast);
        } finally {
            f = null;
        }
    }

    private void checkDimension(DeviceSystem system) {
        if (system.dimension() != n) {
            throw new IllegalArgumentException("system dimension " + system.dimension() + " != solver's " + n);
        }
    }

    /**
     * Dense output inside the last accepted step: the step's state and stages are still in place (the loop asks
     * only after an accepted step), and its interpolant is fitted on first use.
     */
    private void interpolate(double tq, long out) {
        double t = control.t();
        double tPrev = control.tPrev();
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
        control.start(t0, t1);
        fittedStep = -1;
        accepted = 0;
        rejected = 0;
        if (t1 != t0) {
            evaluate(t0, y, fNow);
            // The norms share one read-back array: take each value before the next reduction.
            double[] r = norm(y, y, true);
            d0 = r[0];
            boolean finite = r[1] == 0;
            r = norm(fNow, y, false);
            d1 = r[0];
            if (!finite || r[1] > 0) {
                throw new NonFiniteStateException(t0);
            }
            control.chooseFirstStep(t1, probe);
        }
    }

    /** The first-step estimate's norms: those of the start, and the derivative's change over an Euler step. */
    private final class Probe implements StepSizeController.FirstStepProbe {

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
            double step = control.direction() * h0;
            pass(y, stageY, 1, step, fNow);
            evaluate(control.t() + step, stageY, k[0]);
            pass(k[0], stageY, 1, -1.0, fNow);
            kernels.run("divide_by", n, stageY, n, h0);
            return norm(stageY, y, false)[0];
        }
    }

    private void attemptStep(double target) {
        control.checkAttempts(accepted + rejected);
        double h = control.clip(target);
        computeStages(h);
        double[] e = errorNorm(h);
        if (control.acceptable(e[0], e[1] == 0)) {
            accept(h);
        } else {
            rejected++;
            control.reject(h);
        }
    }

    private void computeStages(double h) {
        driver.copy(fNow, k[0], n);
        double[][] a = tableau.a();
        for (int s = 1; s < k.length; s++) {
            combine(h, a[s], s, stageY);
            evaluate(control.t() + tableau.c()[s] * h, stageY, k[s]);
        }
        combine(h, tableau.b(), k.length, yNew);
    }

    /** The JVM solver's combine: non-zero terms left to right, in {@link StagePasses}. */
    private void combine(double h, double[] w, int count, long out) {
        passOut = out;
        passes.combine(h, w, count, launch);
    }

    private void launchStages(boolean first, int terms) {
        for (int j = 0; j < terms; j++) {
            passWeights[j] = passes.weight(j);
            passStages[j] = k[passes.stage(j)];
        }
        launchPass(first ? y : passOut, passOut, terms);
    }

    private void pass(long from, long out, int terms, double w0, long k0) {
        passWeights[0] = w0;
        passStages[0] = k0;
        launchPass(from, out, terms);
    }

    private void launchPass(long from, long out, int terms) {
        for (int j = terms; j < StagePasses.TERMS; j++) {
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
        readBack[0] = StepSizeController.rms(readBack[0], controlled);
        return readBack;
    }

    private void accept(double h) {
        long old = y;
        y = yNew;
        yNew = old;
        control.advance();
        accepted++;
        driver.copy(k[k.length - 1], fNow, n);
        control.proposeNext(h);
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
