package dev.odestream.ode;

import java.util.Arrays;
import java.util.Objects;

/**
 * Immutable settings of an {@link OdeSolver}: the method, tolerances and step-control limits. Build them with
 * {@link #builder}, which starts from the defaults; the constructor checks every setting.
 *
 * <p>Tolerances are scalars or per-component vectors; a vector's length is checked against the solver's dimension
 * when the solver is built. The error of component {@code i} is scaled by
 * {@code atol_i + rtol_i * max(|y0_i|, |y1_i|)} and the step is accepted when the RMS of the scaled errors over the
 * components {@code [0, errorExcludedFrom)} is at most 1.
 *
 * <p>Step modes: an adaptive method with {@code fixedStep == 0} controls its own steps. {@code fixedStep > 0} runs any
 * method, adaptive or not, at that step (error estimate ignored); the last step before each landing point (the final
 * time, a forced time) is shortened to land on it. A fixed-step method with {@code fixedStep == 0} takes one step per
 * output interval, as torchdiffeq does with its time grid.
 *
 * @param method the integration method
 * @param rtol the scalar relative tolerance (meaningless when a vector is given)
 * @param atol the scalar absolute tolerance (meaningless when a vector is given)
 * @param rtolVector per-component relative tolerances, or {@code null} for the scalar
 * @param atolVector per-component absolute tolerances, or {@code null} for the scalar
 * @param safety the safety factor applied to the optimal step, in (0, 1]
 * @param minFactor the smallest factor a step may shrink by, in (0, 1]
 * @param maxFactor the largest factor a step may grow by, finite and at least 1
 * @param minStep the smallest step the error control may ask for before the solver gives up, at least 0
 * @param maxStep the largest step magnitude, positive (infinity for none)
 * @param maxSteps the most step attempts (accepted plus rejected) one call may take
 * @param firstStep the first step's magnitude; 0 selects it automatically (Hairer, Norsett &amp; Wanner I, II.4)
 * @param carryStep whether a solve that starts where the same solver's previous solve ended, in the same direction,
 *                  takes as its first step the step that solve would have taken next (see {@link Builder#carryStep})
 * @param spanFirst whether an automatic first step tries the whole span when it can (see {@link Builder#spanFirst})
 * @param fixedStep the fixed step magnitude; 0 when the method chooses (see above)
 * @param errorExcludedFrom the first component left out of the error norm; {@link Integer#MAX_VALUE} when none is
 * @param forcedTimes times, strictly increasing, where a step boundary must fall
 */
public record SolverOptions(Method method, double rtol, double atol, double[] rtolVector, double[] atolVector,
                            double safety, double minFactor, double maxFactor, double minStep, double maxStep,
                            int maxSteps, double firstStep, boolean carryStep, boolean spanFirst, double fixedStep,
                            int errorExcludedFrom, double[] forcedTimes) {

    /**
     * Checks and copies.
     *
     * @throws IllegalArgumentException naming the first invalid setting
     */
    public SolverOptions {
        Objects.requireNonNull(method, "method");
        rtolVector = rtolVector == null ? null : rtolVector.clone();
        atolVector = atolVector == null ? null : atolVector.clone();
        forcedTimes = forcedTimes.clone();
        checkTolerances(rtol, atol, rtolVector, atolVector);
        require(safety > 0 && safety <= 1, "safety must be in (0, 1], got " + safety);
        require(minFactor > 0 && minFactor <= 1, "minFactor must be in (0, 1], got " + minFactor);
        require(maxFactor >= 1 && maxFactor < Double.POSITIVE_INFINITY, "maxFactor must be finite and >= 1, got "
                + maxFactor);
        require(minStep >= 0 && minStep < Double.POSITIVE_INFINITY, "minStep must be finite and >= 0, got "
                + minStep);
        require(maxStep > 0, "maxStep must be > 0, got " + maxStep);
        require(minStep <= maxStep, "minStep (" + minStep + ") must not exceed maxStep (" + maxStep + ")");
        require(maxSteps > 0, "maxSteps must be > 0, got " + maxSteps);
        require(firstStep >= 0 && firstStep < Double.POSITIVE_INFINITY, "firstStep must be finite and >= 0, got "
                + firstStep);
        require(fixedStep >= 0 && fixedStep < Double.POSITIVE_INFINITY, "fixedStep must be finite and >= 0, got "
                + fixedStep);
        require(errorExcludedFrom >= 1, "errorExcludedFrom must be >= 1 (some component must be controlled), got "
                + errorExcludedFrom);
        checkForcedTimes(forcedTimes);
    }

    /**
     * @param method the integration method
     * @return a builder with the defaults: rtol 1e-7, atol 1e-9, safety 0.9, factors [0.2, 10], no step limits,
     *     100 000 steps, Hairer's first step, no carried step, no fixed step, every component in the error norm, no
     *     forced times
     */
    public static Builder builder(Method method) {
        return new Builder(method);
    }

    /** @return options with scalar tolerances and every other setting at its default. */
    public static SolverOptions of(Method method, double rtol, double atol) {
        return builder(method).rtol(rtol).atol(atol).build();
    }

    /** @return a builder initialised with these options. */
    public Builder toBuilder() {
        return new Builder(this);
    }

    /** @return the relative tolerance of component {@code i}. */
    public double rtol(int i) {
        return rtolVector == null ? rtol : rtolVector[i];
    }

    /** @return the absolute tolerance of component {@code i}. */
    public double atol(int i) {
        return atolVector == null ? atol : atolVector[i];
    }

    @Override
    public double[] rtolVector() {
        return rtolVector == null ? null : rtolVector.clone();
    }

    @Override
    public double[] atolVector() {
        return atolVector == null ? null : atolVector.clone();
    }

    /** @return the length of the per-component tolerance vectors, or -1 when both are scalars. */
    public int toleranceLength() {
        if (rtolVector != null) {
            return rtolVector.length;
        }
        return atolVector == null ? -1 : atolVector.length;
    }

    /** @return the number of components in the error norm for a system of dimension {@code n}. */
    public int errorComponents(int n) {
        return Math.min(n, errorExcludedFrom);
    }

    /** @return the forced step boundaries, increasing (a copy). */
    @Override
    public double[] forcedTimes() {
        return forcedTimes.clone();
    }

    double[] forcedTimesShared() {
        return forcedTimes;
    }

    /** @return whether steps follow the error estimate rather than a fixed size or the output grid. */
    public boolean adaptiveSteps() {
        return method.adaptive() && fixedStep == 0;
    }

    @Override
    public String toString() {
        return "SolverOptions[" + method + ", rtol=" + (rtolVector == null ? rtol : Arrays.toString(rtolVector))
                + ", atol=" + (atolVector == null ? atol : Arrays.toString(atolVector))
                + ", fixedStep=" + fixedStep + ", maxSteps=" + maxSteps + (carryStep ? ", carryStep" : "")
                + (spanFirst ? ", spanFirst" : "") + "]";
    }

    private static void checkTolerances(double rtol, double atol, double[] rtolVector, double[] atolVector) {
        require(rtol >= 0 && rtol < Double.POSITIVE_INFINITY, "rtol must be finite and >= 0, got " + rtol);
        require(atol > 0 && atol < Double.POSITIVE_INFINITY, "atol must be finite and > 0, got " + atol);
        for (double v : rtolVector == null ? new double[0] : rtolVector) {
            require(v >= 0 && v < Double.POSITIVE_INFINITY, "rtol entries must be finite and >= 0, got " + v);
        }
        for (double v : atolVector == null ? new double[0] : atolVector) {
            require(v > 0 && v < Double.POSITIVE_INFINITY, "atol entries must be finite and > 0, got " + v);
        }
        if (rtolVector != null && atolVector != null) {
            require(rtolVector.length == atolVector.length,
                    "rtol and atol vectors differ in length: " + rtolVector.length + " vs " + atolVector.length);
        }
    }

    private static void checkForcedTimes(double[] forcedTimes) {
        for (int i = 0; i < forcedTimes.length; i++) {
            require(Double.isFinite(forcedTimes[i]), "forcedTimes must be finite, got " + forcedTimes[i]);
            require(i == 0 || forcedTimes[i] > forcedTimes[i - 1],
                    "forcedTimes must be strictly increasing, got " + Arrays.toString(forcedTimes));
        }
    }

    private static void require(boolean condition, String message) {
        if (!condition) {
            throw new IllegalArgumentException(message);
        }
    }

    /** Builder of {@link SolverOptions}, starting from the defaults; {@link #build()} validates. */
    public static final class Builder {

        private Method method;
        private double rtol = 1e-7;
        private double atol = 1e-9;
        private double[] rtolVector;
        private double[] atolVector;
        private double safety = 0.9;
        private double minFactor = 0.2;
        private double maxFactor = 10;
        private double minStep;
        private double maxStep = Double.POSITIVE_INFINITY;
        private int maxSteps = 100_000;
        private double firstStep;
        private boolean carryStep;
        private boolean spanFirst;
        private double fixedStep;
        private int errorExcludedFrom = Integer.MAX_VALUE;
        private double[] forcedTimes = new double[0];

        private Builder(Method method) {
            this.method = Objects.requireNonNull(method, "method");
        }

        private Builder(SolverOptions o) {
            this(o.method);
            rtol = o.rtol;
            atol = o.atol;
            rtolVector = o.rtolVector;
            atolVector = o.atolVector;
            safety = o.safety;
            minFactor = o.minFactor;
            maxFactor = o.maxFactor;
            minStep = o.minStep;
            maxStep = o.maxStep;
            maxSteps = o.maxSteps;
            firstStep = o.firstStep;
            carryStep = o.carryStep;
            spanFirst = o.spanFirst;
            fixedStep = o.fixedStep;
            errorExcludedFrom = o.errorExcludedFrom;
            forcedTimes = o.forcedTimes;
        }

        /** Sets the method. */
        public Builder method(Method value) {
            method = Objects.requireNonNull(value, "method");
            return this;
        }

        /** Sets one relative tolerance for all components. */
        public Builder rtol(double value) {
            rtol = value;
            rtolVector = null;
            return this;
        }

        /** Sets one absolute tolerance for all components. */
        public Builder atol(double value) {
            atol = value;
            atolVector = null;
            return this;
        }

        /** Sets per-component relative tolerances (copied). */
        public Builder rtol(double[] values) {
            rtolVector = values.clone();
            return this;
        }

        /** Sets per-component absolute tolerances (copied). */
        public Builder atol(double[] values) {
            atolVector = values.clone();
            return this;
        }

        /** Sets the safety factor, in (0, 1]. */
        public Builder safety(double value) {
            safety = value;
            return this;
        }

        /** Sets the smallest shrink factor, in (0, 1]. */
        public Builder minFactor(double value) {
            minFactor = value;
            return this;
        }

        /** Sets the largest growth factor, at least 1. */
        public Builder maxFactor(double value) {
            maxFactor = value;
            return this;
        }

        /** Sets the smallest step the error control may ask for, at least 0. */
        public Builder minStep(double value) {
            minStep = value;
            return this;
        }

        /** Sets the largest step magnitude, positive (infinity for none). */
        public Builder maxStep(double value) {
            maxStep = value;
            return this;
        }

        /** Sets the step-attempt budget of one call. */
        public Builder maxSteps(int value) {
            maxSteps = value;
            return this;
        }

        /** Sets the first step magnitude; 0 selects it automatically. */
        public Builder firstStep(double value) {
            firstStep = value;
            return this;
        }

        /**
         * Carries the step size from one solve to the next. A model that solves a long interval piece by piece (an
         * ODE-RNN between observations, an adjoint between output times, with a jump of the state at each joint)
         * otherwise pays a first-step estimate per piece, and the estimate is often far below the step the
         * dynamics allow, so a short piece costs several steps. With this set, a solve of an {@link OdeSolver}
         * that starts exactly where its previous successful solve ended, in the same direction, starts with the
         * step that solve proposed next (the error control rejects it if the jump made it too long); any other
         * solve estimates its first step as usual. Off by default. Ignored by fixed-step solves.
         */
        public Builder carryStep(boolean value) {
            carryStep = value;
            return this;
        }

        /**
         * Chooses the automatic first step without Hairer's second evaluation: the whole span, unless a bound from
         * the derivative at the start (already evaluated for the first stage) says the state would change by more
         * than its own scale over it. A short solve that the dynamics allow in one step (a one-horizon forecast)
         * then costs one step instead of an estimate and several cautious steps; a solve whose span is too long
         * starts from the bound. Off by default. Ignored when {@link #firstStep} is set, by carried steps and by
         * fixed-step solves.
         */
        public Builder spanFirst(boolean value) {
            spanFirst = value;
            return this;
        }

        /** Sets a fixed step magnitude (see {@link SolverOptions}); 0 for none. */
        public Builder fixedStep(double value) {
            fixedStep = value;
            return this;
        }

        /**
         * Leaves the components {@code [from, n)} out of the error norm (a seminorm). The adjoint uses this for the
         * parameter-gradient part of its state, which has no influence on the dynamics.
         */
        public Builder errorExcludedFrom(int from) {
            errorExcludedFrom = from;
            return this;
        }

        /** Sets times, strictly increasing, where a step boundary must fall (discontinuities of the dynamics). */
        public Builder forcedTimes(double... times) {
            forcedTimes = times.clone();
            return this;
        }

        /**
         * @return the options
         * @throws IllegalArgumentException naming the first invalid setting
         */
        public SolverOptions build() {
            return new SolverOptions(method, rtol, atol, rtolVector, atolVector, safety, minFactor, maxFactor, minStep,
                    maxStep, maxSteps, firstStep, carryStep, spanFirst, fixedStep, errorExcludedFrom, forcedTimes);
        }
    }
}
