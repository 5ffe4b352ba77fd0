package dev.odestream.data;

/**
 * The intensity {@code lambda(t) >= 0} of an inhomogeneous Poisson process on {@code t >= 0}, with its exact
 * cumulative {@code Lambda(t) = integral of lambda over [0, t]}, which scoring needs in closed form.
 */
public interface Intensity {

    /** @return {@code lambda(t)}. */
    double rate(double t);

    /** @return {@code Lambda(t)}, the expected number of events in {@code [0, t]}. */
    double cumulative(double t);

    /** @return an upper bound of {@code lambda} on {@code [from, to]}; thinning needs it. */
    double maxRate(double from, double to);

    /**
     * A constant rate; the homogeneous baseline.
     *
     * @param rate events per unit time, positive.
     */
    record Constant(double rate) implements Intensity {

        /** Validates the rate. */
        public Constant {
            if (!(rate > 0) || !Double.isFinite(rate)) {
                throw new IllegalArgumentException("rate must be positive and finite, got " + rate);
            }
        }

        @Override
        public double rate(double t) {
            return rate;
        }

        @Override
        public double cumulative(double t) {
            return rate * t;
        }

        @Override
        public double maxRate(double from, double to) {
            return rate;
        }
    }

    /**
     * A sinusoid around a mean rate: {@code lambda(t) = base + amplitude sin(2 pi t / period + phase)}, with
     * {@code Lambda(t) = base t + amplitude period / (2 pi) (cos(phase) - cos(2 pi t / period + phase))}.
     *
     * @param base mean rate; must exceed {@code |amplitude|} so that the rate stays positive.
     * @param amplitude swing around the mean.
     * @param period length of one cycle, positive.
     * @param phase shift of the cycle in radians, finite.
     */
    record Periodic(double base, double amplitude, double period, double phase) implements Intensity {

        /** Validates that the rate stays positive. */
        public Periodic {
            if (!(base > Math.abs(amplitude)) || !(period > 0) || !Double.isFinite(base + period + phase)) {
                throw new IllegalArgumentException("need base > |amplitude|, period > 0 and a finite phase");
            }
        }

        /** A cycle that starts at the mean rate, rising: phase 0. */
        public Periodic(double base, double amplitude, double period) {
            this(base, amplitude, period, 0.0);
        }

        @Override
        public double rate(double t) {
            return base + amplitude * Math.sin(2 * Math.PI * t / period + phase);
        }

        @Override
        public double cumulative(double t) {
            double omega = 2 * Math.PI / period;
            return base * t + amplitude / omega * (Math.cos(phase) - Math.cos(omega * t + phase));
        }

        @Override
        public double maxRate(double from, double to) {
            return base + Math.abs(amplitude);
        }
    }

    /**
     * A burst that rises and decays over a floor: {@code lambda(t) = scale t exp(-t / timeScale) + floor}, with
     * {@code Lambda(t) = floor t + scale timeScale^2 (1 - exp(-t / timeScale) (1 + t / timeScale))}. The peak is at
     * {@code t = timeScale}, of height {@code scale timeScale / e + floor}.
     *
     * @param scale burst strength, non-negative.
     * @param timeScale time of the peak, positive.
     * @param floor background rate, positive (keeps {@code log lambda} finite).
     */
    record RiseDecay(double scale, double timeScale, double floor) implements Intensity {

        /** Validates the parameters. */
        public RiseDecay {
            if (!(scale >= 0) || !(timeScale > 0) || !(floor > 0) || !Double.isFinite(scale + timeScale + floor)) {
                throw new IllegalArgumentException("need scale >= 0, timeScale > 0 and floor > 0");
            }
        }

        @Override
        public double rate(double t) {
            return scale * t * Math.exp(-t / timeScale) + floor;
        }

        @Override
        public double cumulative(double t) {
            double u = t / timeScale;
            return floor * t + scale * timeScale * timeScale * (-Math.expm1(-u) - u * Math.exp(-u));
        }

        @Override
        public double maxRate(double from, double to) {
            double peak = Math.clamp(timeScale, from, to);
            return rate(peak);
        }
    }
}
