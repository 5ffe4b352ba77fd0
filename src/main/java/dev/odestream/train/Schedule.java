package dev.odestream.train;

/**
 * A scalar that depends on the training iteration: the learning rate, or the KL weight {@code beta} of an ELBO.
 * Iterations are 1-based. Implementations are records, so a schedule prints as what it is in logs and checkpoint
 * notes.
 */
public sealed interface Schedule permits Schedule.Constant, Schedule.LinearRamp, Schedule.ExponentialDecay {

    /** @return the value at a 1-based iteration. */
    double at(long iteration);

    /** @return a schedule that is always {@code value}. */
    static Schedule constant(double value) {
        return new Constant(value);
    }

    /**
     * KL annealing: {@code from} until {@code start}, then a straight line reaching {@code to} after {@code length}
     * more iterations, then {@code to}.
     */
    static Schedule linearRamp(double from, double to, long start, long length) {
        return new LinearRamp(from, to, start, length);
    }

    /** Learning-rate decay: {@code max(floor, initial * factor^(iteration - 1))}. */
    static Schedule exponentialDecay(double initial, double factor, double floor) {
        return new ExponentialDecay(initial, factor, floor);
    }

    /** @param value the value at every iteration */
    record Constant(double value) implements Schedule {

        public Constant {
            requireFinite(value);
        }

        @Override
        public double at(long iteration) {
            return value;
        }
    }

    /**
     * @param from value up to and including iteration {@code start}
     * @param to value from iteration {@code start + length} on
     * @param start last iteration at {@code from}, non-negative
     * @param length iterations the ramp takes, positive
     */
    record LinearRamp(double from, double to, long start, long length) implements Schedule {

        public LinearRamp {
            requireFinite(from);
            requireFinite(to);
            if (start < 0 || length <= 0) {
                throw new IllegalArgumentException("need start >= 0 and length > 0, got " + start + ", " + length);
            }
        }

        @Override
        public double at(long iteration) {
            double progress = Math.clamp((double) (iteration - start) / length, 0.0, 1.0);
            return from + (to - from) * progress;
        }
    }

    /**
     * @param initial value at iteration 1, positive
     * @param factor multiplier per iteration, in {@code (0, 1]}
     * @param floor smallest value, in {@code [0, initial]}
     */
    record ExponentialDecay(double initial, double factor, double floor) implements Schedule {

        public ExponentialDecay {
            if (!(initial > 0) || !(factor > 0 && factor <= 1) || !(floor >= 0 && floor <= initial)
                    || !Double.isFinite(initial)) {
                throw new IllegalArgumentException("invalid decay " + initial + ", " + factor + ", " + floor);
            }
        }

        @Override
        public double at(long iteration) {
            return Math.max(floor, initial * Math.pow(factor, Math.max(0, iteration - 1)));
        }
    }

    private static void requireFinite(double value) {
        if (!Double.isFinite(value)) {
            throw new IllegalArgumentException("schedule values must be finite, got " + value);
        }
    }
}
