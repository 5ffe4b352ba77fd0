package dev.odestream.ode;

/**
 * The one explicit Runge-Kutta stepper: any {@link Tableau}, with embedded error control, FSAL reuse, forced step
 * boundaries and dense output. All workspaces are allocated in the constructor; {@link #integrate} allocates nothing.
 *
 * <p>Time may run forward or backward. Step control: the RMS norm of the embedded error, scaled per component by
 * {@code atol_i + rtol_i * max(|y0_i|, |y1_i|)} over the components in the norm; a step is accepted when the norm is at
 * most 1, and the next step is {@code h * clamp(safety * err^(-1/(q+1)), minFactor, maxFactor)} with {@code q} the
 * embedded order ({@link StepSizeController} takes these decisions). Output times are answered by dense interpolation
 * and never shorten a step.
 *
 * <p>An instance is not thread-safe; give each thread its own.
 */
public final class OdeSolver {


    private final int n;
    private final SolverOptions options;
    private final Tableau tableau;
    private final int stages;
    private final int errorComponents;
    private final StepSizeController control;
    private final StepSizeController.FirstStepProbe probe = new Probe();
    private final double[] forced;
    private final double[] rtol;
    private final double[] atol;
    private final double[][] k;
    private final double[] stageY;
    private final double[] fNow;
    private final double[] fLeft;
    private final double[] errorVector;
    private final double[] zeros;
    private final StagePasses passes = new StagePasses();
    private final StagePasses.Runner combinePass;
    private final StagePasses.Runner errorPass;
    private final double[] interpolant;
    private final SolveCounters stats = new SolveCounters();

    private double[] y;
    private double[] yPrev;
    private double[] yNew;
    /** The derivative at the end of the last step as seen from inside it (Hermite interpolation uses it). */
    private double[] fEnd;
    /** Where {@link #combine} writes. */
    private double[] passOut;
    private OdeSystem f;
    private Trajectory recorder;
    private boolean landsOnForced;
    private int forcedIndex;
    private int fittedStep;

    /**
     * @param dimension the state length the solver works on
     * @param options method and step control; per-component tolerance vectors must have length {@code dimension}
     */
    public OdeSolver(int dimension, SolverOptions options) {
        if (dimension < 1) {
            throw new IllegalArgumentException("dimension must be >= 1, got " + dimension);
        }
        int tolLength = options.toleranceLength();
        if (tolLength != -1 && tolLength != dimension) {
            throw new IllegalArgumentException("tolerance vectors have length " + tolLength + " but the dimension is "
                    + dimension);
        }
        this.n = dimension;
        this.options = options;
        this.tableau = options.method().tableau();
        this.stages = tableau.stages();
        this.errorComponents = options.errorComponents(dimension);
        this.control = new StepSizeController(options);
        this.forced = options.forcedTimesShared();
        this.rtol = new double[dimension];
        this.atol = new double[dimension];
        for (int i = 0; i < dimension; i++) {
            rtol[i] = options.rtol(i);
            atol[i] = options.atol(i);
        }
        this.k = new double[stages][dimension];
        this.stageY = new double[dimension];
        this.fNow = new double[dimension];
        this.fLeft = new double[dimension];
        this.errorVector = new double[dimension];
        this.zeros = new double[dimension];
        this.interpolant = new double[Interpolant.blockSize(tableau, dimension)];
        this.y = new double[dimension];
        this.yPrev = new double[dimension];
        this.yNew = new double[dimension];
        this.combinePass = (first, terms) -> pass(first ? y : passOut, terms, passOut, n);
        this.errorPass = (first, terms) -> pass(first ? zeros : errorVector, terms, errorVector, errorComponents);
    }

    /** @return the state length. */
    public int dimension() {
        return n;
    }

    /** @return the options. */
    public SolverOptions options() {
        return options;
    }

    /** @return live counters of the last call (reset when the next call starts). */
    public SolveCounters stats() {
        return stats;
    }

    /**
     * Integrates from {@code t0} to {@code t1}. Allocates nothing.
     *
     * @param f the dynamics, of this solver's dimension. Not modified.
     * @param y0 the state at {@code t0}. Not modified.
     * @param t1 the final time, before {@code t0} to integrate backward; {@code t1 == t0} copies {@code y0}
     * @param yOut receives {@code y(t1)}; may be {@code y0}. Modified.
     * @throws OdeSolverException if the final time cannot be reached
     */
    public void integrate(OdeSystem f, double t0, double[] y0, double t1, double[] yOut) {
        checkLength(yOut, "yOut");
        run(f, t0, y0, t1);
        System.arraycopy(y, 0, yOut, 0, n);
    }

    /**
     * Integrates through a sequence of output times. Output times are answered by the steps' dense output and do not
     * change the steps taken (except for a fixed-step method with no {@code fixedStep}, whose grid they are).
     * Allocates nothing.
     *
     * @param f the dynamics. Not modified.
     * @param y0 the state at {@code t0}. Not modified.
     * @param times output times, strictly monotone in the direction of integration; {@code times[0]} may equal
     *     {@code t0}. Not modified.
     * @param out {@code out[i]} receives {@code y(times[i])}. Modified.
     * @throws OdeSolverException if the last output time cannot be reached
     */
    public void integrate(OdeSystem f, double t0, double[] y0, double[] times, double[][] out) {
        if (out.length != times.length) {
            throw new IllegalArgumentException("need one output row per time, got " + times.length + " times and "
                    + out.length + " rows");
        }
        integrate(f, t0, y0, times, 0, times.length, out);
    }

    /**
     * Integrates through the output times {@code times[from .. to - 1]}, as
     * {@link #integrate(OdeSystem, double, double[], double[], double[][])} does, into the rows of the same indices:
     * a batch solved on a long grid answers one stretch of it per call, without copying the stretch. Allocates
     * nothing.
     *
     * @param times output times; those in {@code [from, to)} strictly monotone in the direction of integration,
     *     {@code times[from]} may equal {@code t0}. Not modified.
     * @param out {@code out[i]} receives {@code y(times[i])} for {@code from <= i < to}; other rows are not touched.
     *     Modified.
     * @throws OdeSolverException if the last output time cannot be reached
     */
    public void integrate(OdeSystem f, double t0, double[] y0, double[] times, int from, int to, double[][] out) {
        checkTimes(t0, times, from, to, out);
        double tLast = times[to - 1];
        boolean outputGrid = !options.method().adaptive() && options.fixedStep() == 0;
        start(f, t0, y0, tLast);
        try {
            for (int i = from; i < to; i++) {
                while ((times[i] - control.t()) * control.direction() > 0) {
                    attemptStep(outputGrid ? times[i] : tLast);
                }
                interpolate(times[i], out[i]);
            }
            control.remember(t0, tLast);
        } finally {
            this.f = null;
        }
    }

    /**
     * Integrates from {@code t0} to {@code t1}, recording every accepted step's interpolant.
     *
     * @param reuse a trajectory whose buffers to reuse, or {@code null} for a new one. Modified.
     * @return the recorded trajectory ({@code reuse} when given)
     * @throws OdeSolverException if the final time cannot be reached
     */
    public Trajectory solve(OdeSystem f, double t0, double[] y0, double t1, Trajectory reuse) {
        Trajectory trajectory = reuse == null ? new Trajectory() : reuse;
        trajectory.reset(tableau, n, t0, y0);
        recorder = trajectory;
        try {
            run(f, t0, y0, t1);
        } finally {
            recorder = null;
        }
        return trajectory;
    }

    private void run(OdeSystem system, double t0, double[] y0, double t1) {
        start(system, t0, y0, t1);
        try {
            while (control.t() != t1) {
                attemptStep(t1);
            }
            control.remember(t0, t1);
        } finally {
            f = null;
        }
    }

    private void start(OdeSystem system, double t0, double[] y0, double tEnd) {
        checkLength(y0, "y0");
        if (system.dimension() != n) {
            throw new IllegalArgumentException("system dimension " + system.dimension() + " != solver dimension " + n);
        }
        if (!Double.isFinite(t0) || !Double.isFinite(tEnd)) {
            throw new IllegalArgumentException("times must be finite, got " + t0 + " and " + tEnd);
        }
        stats.reset();
        f = system;
        System.arraycopy(y0, 0, y, 0, n);
        control.start(t0, tEnd);
        fittedStep = -1;
        forcedIndex = control.direction() > 0 ? 0 : forced.length - 1;
        if (tEnd != t0) {
            evaluate(isForced(t0) ? Math.nextAfter(t0, tEnd) : t0, y, fNow);
            if (!allFinite(y) || !allFinite(fNow)) {
                throw new NonFiniteStateException(t0);
            }
            control.chooseFirstStep(tEnd, probe);
        }
    }

    /** One step attempt; on success {@code t} advances, never past {@code target} or the next forced time. */
    private void attemptStep(double target) {
        control.checkAttempts(stats.attempts());
        double h = clipToLanding(target);
        computeStages(h);
        if (!options.adaptiveSteps()) {
            acceptOrFail(h);
            return;
        }
        double err = errorNorm(h);
        if (control.acceptable(err, Double.isFinite(err) && allFinite(yNew))) {
            accept(h);
        } else {
            stats.countRejected();
            control.reject(h);
        }
    }

    private void computeStages(double h) {
        System.arraycopy(fNow, 0, k[0], 0, n);
        double[][] a = tableau.a();
        for (int s = 1; s < stages; s++) {
            combine(h, a[s], s, stageY);
            evaluate(stageTime(s, h), stageY, k[s]);
        }
        combine(h, tableau.b(), stages, yNew);
    }

    /** {@code out = y + h * sum_{j < count} w_j k_j}, skipping zero terms, in {@link StagePasses}. */
    private void combine(double h, double[] w, int count, double[] out) {
        passOut = out;
        passes.combine(h, w, count, combinePass);
    }

    /** {@code out[i] = from[i] + sum of the pass's first {@code terms} terms}, for {@code i < length}. */
    private void pass(double[] from, int terms, double[] out, int length) {
        double w0 = passes.weight(0), w1 = passes.weight(1), w2 = passes.weight(2), w3 = passes.weight(3);
        double[] k0 = k[passes.stage(0)], k1 = k[passes.stage(1)], k2 = k[passes.stage(2)], k3 = k[passes.stage(3)];
        switch (terms) {
            case 0 -> System.arraycopy(from, 0, out, 0, length);
            case 1 -> { for (int i = 0; i < length; i++) out[i] = from[i] + w0 * k0[i]; }
            case 2 -> { for (int i = 0; i < length; i++) out[i] = from[i] + w0 * k0[i] + w1 * k1[i]; }
            case 3 -> { for (int i = 0; i < length; i++) out[i] = from[i] + w0 * k0[i] + w1 * k1[i] + w2 * k2[i]; }
            default -> {
                for (int i = 0; i < length; i++) out[i] = from[i] + w0 * k0[i] + w1 * k1[i] + w2 * k2[i] + w3 * k3[i];
            }
        }
    }

    /** Stages at the end of a step landing on a forced time see the dynamics from inside the step. */
    private double stageTime(int s, double h) {
        double t = control.t();
        double ts = t + tableau.c()[s] * h;
        if (landsOnForced && (ts - control.tNew()) * control.direction() >= 0) {
            return Math.nextAfter(control.tNew(), t);
        }
        return ts;
    }

    /** RMS over the controlled components of {@code h err_i / (atol_i + rtol_i max(|y_i|, |yNew_i|))}. */
    private double errorNorm(double h) {
        estimateError();
        double sum = 0;
        for (int i = 0; i < errorComponents; i++) {
            double scale = atol[i] + rtol[i] * Math.max(Math.abs(y[i]), Math.abs(yNew[i]));
            double ratio = h * errorVector[i] / scale;
            sum += ratio * ratio;
        }
        return StepSizeController.rms(sum, errorComponents);
    }

    /** {@code err_i = 0 + sum_j bError_j k_j[i]} over every stage in order, zero weights too (a NaN stage shows). */
    private void estimateError() {
        passes.every(tableau.bError(), stages, errorPass);
    }

    private void acceptOrFail(double h) {
        if (!allFinite(yNew)) {
            throw new NonFiniteStateException(control.t());
        }
        takeStep();
        control.proposeNextFixed(h);
    }

    private void accept(double h) {
        takeStep();
        control.proposeNext(h);
    }

    /** Makes the attempted step the current one. */
    private void takeStep() {
        double[] old = yPrev;
        yPrev = y;
        y = yNew;
        yNew = old;
        control.advance();
        stats.countAccepted();
        updateDerivative();
        if (recorder != null) {
            recorder.append(tableau, control.t(), yPrev, y, k, fEnd);
        }
    }

    /**
     * The derivative at the new point: the FSAL stage, or a fresh evaluation. Past a forced time the next step needs
     * it from the far side, while a Hermite interpolant of this step needs it from the near side.
     */
    private void updateDerivative() {
        fEnd = tableau.fsal() ? k[stages - 1] : fNow;
        double t = control.t();
        if (landsOnForced) {
            evaluate(Math.nextAfter(t, t + control.direction()), y, fNow);
            if (!tableau.fsal() && tableau.dense() == null) {
                evaluate(Math.nextAfter(t, control.tPrev()), y, fLeft);
                fEnd = fLeft;
            }
        } else if (tableau.fsal()) {
            System.arraycopy(k[stages - 1], 0, fNow, 0, n);
        } else {
            evaluate(t, y, fNow);
        }
    }

    /** Shortens (or stretches by at most 1%) the proposed step to land on the target or the next forced time. */
    private double clipToLanding(double target) {
        double h = control.clip(nextLanding(target));
        landsOnForced &= control.clipped();
        return h;
    }

    /** @return the target, or the first forced time strictly between {@code t} and it (setting landsOnForced). */
    private double nextLanding(double target) {
        double t = control.t();
        double direction = control.direction();
        while (forcedIndex >= 0 && forcedIndex < forced.length && (forced[forcedIndex] - t) * direction <= 0) {
            forcedIndex += (int) direction;
        }
        landsOnForced = forcedIndex >= 0 && forcedIndex < forced.length
                && (forced[forcedIndex] - target) * direction < 0;
        return landsOnForced ? forced[forcedIndex] : target;
    }

    /** The first-step estimate's view of the state at the start of a solve. */
    private final class Probe implements StepSizeController.FirstStepProbe {

        @Override
        public double stateNorm() {
            return scaledNorm(y, y);
        }

        @Override
        public double derivativeNorm() {
            return scaledNorm(fNow, y);
        }

        @Override
        public double derivativeChangeNorm(double h0) {
            double step = control.direction() * h0;
            for (int i = 0; i < n; i++) {
                stageY[i] = y[i] + step * fNow[i];
            }
            evaluate(control.t() + step, stageY, k[0]);
            for (int i = 0; i < n; i++) {
                stageY[i] = (k[0][i] - fNow[i]) / h0;
            }
            return scaledNorm(stageY, y);
        }
    }

    private double scaledNorm(double[] v, double[] yScale) {
        double sum = 0;
        for (int i = 0; i < errorComponents; i++) {
            double ratio = v[i] / (atol[i] + rtol[i] * Math.abs(yScale[i]));
            sum += ratio * ratio;
        }
        return StepSizeController.rms(sum, errorComponents);
    }

    /** Dense output inside the last accepted step; fits the step's interpolant once, on first use. */
    private void interpolate(double tq, double[] out) {
        checkLength(out, "out");
        double t = control.t();
        double tPrev = control.tPrev();
        if (tq == t) {
            System.arraycopy(y, 0, out, 0, n);
            return;
        }
        if (fittedStep != stats.accepted()) {
            Interpolant.fit(tableau, t - tPrev, yPrev, y, k, fEnd, interpolant, 0);
            fittedStep = stats.accepted();
        }
        Interpolant.evaluate(interpolant, 0, tableau.denseDegree(), (tq - tPrev) / (t - tPrev), out);
    }

    private void evaluate(double time, double[] state, double[] out) {
        f.derivatives(time, state, out);
        stats.countEvaluation();
    }

    private boolean isForced(double time) {
        return java.util.Arrays.binarySearch(forced, time) >= 0;
    }

    private static boolean allFinite(double[] v) {
        for (double x : v) {
            if (!Double.isFinite(x)) {
                return false;
            }
        }
        return true;
    }

    private void checkLength(double[] v, String name) {
        if (v.length != n) {
            throw new IllegalArgumentException(name + " has length " + v.length + ", expected " + n);
        }
    }

    private void checkTimes(double t0, double[] times, int from, int to, double[][] out) {
        if (from < 0 || to > times.length || from >= to || out.length < to) {
            throw new IllegalArgumentException("need output times [" + from + ", " + to + ") within " + times.length
                    + " times and " + out.length + " rows");
        }
        double dir = Math.signum(times[to - 1] - t0);
        double previous = t0;
        for (int i = from; i < to; i++) {
            boolean ok = i == from ? (times[from] - t0) * dir >= 0 : (times[i] - previous) * dir > 0;
            if (!ok || !Double.isFinite(times[i])) {
                throw new IllegalArgumentException("times must be finite and strictly monotone from t0 = " + t0
                        + "; times[" + i + "] = " + times[i] + " breaks that");
            }
            previous = times[i];
        }
    }
}
