package dev.odestream.ode;

/**
 * The step-size control of one explicit Runge-Kutta solve, apart from the arithmetic on the state: where the solve
 * stands, the first step (estimated, given, or carried from the last solve), the step clipped onto a landing point,
 * acceptance from the error norm, the next step's factor, its limits, and the failures (too many attempts, a step
 * that underflows). {@link OdeSolver} drives it with norms over JVM arrays; the CUDA backend drives it with norms
 * reduced on the device, so both take every decision from the same numbers by the same rules. Allocates nothing.
 *
 * <p>A solve calls {@link #start}, then (unless it ends where it starts) {@link #chooseFirstStep}; per attempt
 * {@link #checkAttempts} and {@link #clip}, then either {@link #acceptable} followed by {@link #reject} or by
 * {@link #advance} and {@link #proposeNext}, or, without error control, {@link #advance} and
 * {@link #proposeNextFixed}; at the end {@link #remember}.
 *
 * <p>Not thread-safe; one per solver.
 */
public final class StepSizeController {

    /** Steps shorter than this fraction of |t| cannot be resolved by the time variable itself. */
    private static final double RELATIVE_STEP_FLOOR = 1e-14;
    /** A step within this factor of a landing point is stretched to land on it rather than leave a sliver. */
    private static final double STRETCH = 1.01;
    /**
     * Multiplies {@code d0 / d1}, the time over which the state moves by its own scaled size, in {@link #boundedSpan}.
     * Chosen on latent forecasts (seeded, trained and strengthened dynamics, horizons 0.25 to 4): 1 is as cautious as
     * Hairer's estimate, 32 and more reject too often under strong dynamics.
     */
    private static final double SPAN_BOUND_FACTOR = 8.0;

    /** What the first-step estimate needs to know of the state, from the solver that holds it. */
    public interface FirstStepProbe {

        /** @return {@code d0}, the scaled RMS norm of the state at the start (scaled by itself) */
        double stateNorm();

        /** @return {@code d1}, the scaled RMS norm of the derivative at the start */
        double derivativeNorm();

        /**
         * Costs one evaluation.
         *
         * @param h0 a small trial step, positive
         * @return {@code d2}, the scaled RMS norm of {@code (f(t + dir h0, y + dir h0 f) - f) / h0}
         */
        double derivativeChangeNorm(double h0);
    }

    private final SolverOptions options;
    /** {@code -1 / (q + 1)} with {@code q} the embedded order. */
    private final double exponent;
    private double t;
    private double tPrev;
    private double tNew;
    private double direction;
    private double hNext;
    private boolean clipped;
    private double hUnclipped;
    private double factor;
    private boolean nonFinite;
    /** Where the last successful solve ended (NaN when none did), its direction and the step it proposed next. */
    private double carriedFrom = Double.NaN;
    private double carriedDirection;
    private double carriedStep;

    /** @param options the method's embedded order, the tolerances' step rules and limits */
    public StepSizeController(SolverOptions options) {
        this.options = options;
        this.exponent = -1.0 / (options.method().errorOrder() + 1);
    }

    /** @return the time reached */
    public double t() {
        return t;
    }

    /** @return the start of the last accepted step (the solve's start before any) */
    public double tPrev() {
        return tPrev;
    }

    /** @return the end of the step being attempted */
    public double tNew() {
        return tNew;
    }

    /** @return +1 forward in time, -1 backward */
    public double direction() {
        return direction;
    }

    /** @return whether the step being attempted was clipped (or stretched) onto its landing point */
    public boolean clipped() {
        return clipped;
    }

    /**
     * The RMS of {@code count} scaled components from their sum of squares: how a norm reduced elsewhere (a device)
     * is finished as {@link OdeSolver}'s loops finish theirs.
     */
    public static double rms(double sumOfSquares, int count) {
        return Math.sqrt(sumOfSquares / count);
    }

    /** Starts a solve at {@code t0} towards {@code tEnd}. */
    public void start(double t0, double tEnd) {
        t = t0;
        tPrev = t0;
        direction = tEnd >= t0 ? 1 : -1;
    }

    /**
     * The first step of a solve that moves: the one the last solve proposed when this one starts where it ended in
     * the same direction and {@link SolverOptions#carryStep()} asks for it; else the span for a fixed-step method,
     * {@link SolverOptions#firstStep()}, or an estimate from the probe.
     *
     * @param tEnd where the solve ends, not its start
     * @param probe the state's norms; asked only for an estimate. Not modified.
     */
    public void chooseFirstStep(double tEnd, FirstStepProbe probe) {
        boolean carried = options.carryStep() && t == carriedFrom && direction == carriedDirection;
        hNext = direction * (carried ? Math.min(carriedStep, options.maxStep()) : initialStep(tEnd, probe));
        carriedFrom = Double.NaN;
    }

    /** Keeps the end and the proposed next step of a successful solve, for {@link SolverOptions#carryStep()}. */
    public void remember(double t0, double tEnd) {
        if (tEnd != t0) {
            carriedFrom = tEnd;
            carriedDirection = direction;
            carriedStep = Math.abs(hNext);
        }
    }

    /**
     * @param attempts the steps attempted so far in this solve
     * @throws MaxStepsExceededException when they reach {@link SolverOptions#maxSteps()}
     */
    public void checkAttempts(int attempts) {
        if (attempts >= options.maxSteps()) {
            throw new MaxStepsExceededException(t, options.maxSteps());
        }
    }

    /**
     * The step to attempt: the proposed (or fixed) one, shortened or stretched by at most 1% to land on
     * {@code landing} when it nearly reaches it. Sets {@link #tNew()} and {@link #clipped()}.
     *
     * @param landing the target or a forced time, not behind {@code t}
     * @return the signed step
     */
    public double clip(double landing) {
        double h = options.fixedStep() > 0 ? direction * options.fixedStep() : hNext;
        hUnclipped = h;
        clipped = Math.abs(landing - t) <= STRETCH * Math.abs(h);
        tNew = clipped ? landing : t + h;
        return clipped ? landing - t : h;
    }

    /**
     * Judges an attempted step by its error norm and keeps the factor for the step after it.
     *
     * @param err the RMS scaled error norm of the step
     * @param finite whether the proposed state is finite
     * @return whether to accept the step ({@link #advance}) or {@link #reject} it
     */
    public boolean acceptable(double err, boolean finite) {
        nonFinite = !finite || !Double.isFinite(err);
        factor = nonFinite ? options.minFactor() : stepFactor(err);
        return !nonFinite && err <= 1;
    }

    /**
     * Shrinks the step after a failed attempt of {@code h}.
     *
     * @throws StepSizeUnderflowException if the next step is too small to resolve
     * @throws NonFiniteStateException instead, when the state went non-finite
     */
    public void reject(double h) {
        hNext = limit(h * factor);
        checkUnderflow(hNext, nonFinite);
    }

    /** Moves the time to the end of the accepted step. */
    public void advance() {
        tPrev = t;
        t = tNew;
    }

    /**
     * After {@link #advance}: the next step from the accepted {@code h} and the factor {@link #acceptable} chose. A
     * step clipped onto its landing point does not shrink what comes next unless the error asks for it.
     *
     * @throws StepSizeUnderflowException if a shrinking step is too small to resolve
     */
    public void proposeNext(double h) {
        propose(h, factor);
    }

    /** After {@link #advance} of a step taken without error control: the same step again. */
    public void proposeNextFixed(double h) {
        propose(h, 1);
    }

    private void propose(double h, double f) {
        double proposed = h * f;
        if (clipped && f >= 1 && Math.abs(hUnclipped) > Math.abs(proposed)) {
            proposed = hUnclipped;
        }
        hNext = limit(proposed);
        if (!clipped && f < 1) {
            checkUnderflow(hNext, false);
        }
    }

    private double stepFactor(double err) {
        double f = err == 0 ? options.maxFactor() : options.safety() * Math.pow(err, exponent);
        return Math.min(options.maxFactor(), Math.max(options.minFactor(), f));
    }

    private void checkUnderflow(double h, boolean failedOnNonFinite) {
        double floor = Math.max(options.minStep(), RELATIVE_STEP_FLOOR * Math.abs(t));
        if (Math.abs(h) < floor || t + h == t) {
            throw failedOnNonFinite ? new NonFiniteStateException(t) : new StepSizeUnderflowException(t, h);
        }
    }

    private double limit(double h) {
        return Math.copySign(Math.min(Math.abs(h), options.maxStep()), direction);
    }

    private double initialStep(double tEnd, FirstStepProbe probe) {
        double span = Math.abs(tEnd - t);
        if (!options.adaptiveSteps()) {
            return span;
        }
        if (options.firstStep() > 0) {
            return Math.min(options.firstStep(), options.maxStep());
        }
        double d0 = probe.stateNorm();
        double d1 = probe.derivativeNorm();
        double estimate = options.spanFirst() ? boundedSpan(span, d0, d1) : estimateFirstStep(span, d0, d1, probe);
        double h = Math.min(estimate, options.maxStep());
        return Double.isFinite(h) && h > 0 ? h : Math.min(1e-6, span);
    }

    /**
     * Hairer, Norsett &amp; Wanner I, II.4: a step whose local error would be about the tolerance, judged from the
     * sizes of y and f and from f's change over one small Euler step. Costs one evaluation.
     */
    private double estimateFirstStep(double span, double d0, double d1, FirstStepProbe probe) {
        double h0 = Math.min(span, (d0 < 1e-5 || d1 < 1e-5) ? 1e-6 : 0.01 * d0 / d1);
        double dMax = Math.max(d1, probe.derivativeChangeNorm(h0));
        double h1 = dMax <= 1e-15 ? Math.max(1e-6, h0 * 1e-3) : Math.pow(0.01 / dMax, -exponent);
        return Math.min(100 * h0, h1);
    }

    /**
     * The span, capped where one explicit step would move the state by more than its own scaled size: {@code d0 / d1}
     * times {@link #SPAN_BOUND_FACTOR}. Costs no evaluation.
     */
    private static double boundedSpan(double span, double d0, double d1) {
        if (d0 < 1e-5 || d1 < 1e-5) {
            return span;
        }
        return Math.min(span, SPAN_BOUND_FACTOR * d0 / d1);
    }
}
