package dev.odestream.stream;

/**
 * How event times (epoch milliseconds) map to the model's time axis: {@code t = (timeMs - originMs) / unitMs}. The
 * model's dynamics are learned in its own units (the demo workload has about one event per unit), so the unit must
 * match the one the model was trained with.
 *
 * @param originMs the epoch millisecond that is model time 0
 * @param unitMs milliseconds per model time unit, positive
 */
public record TimeScale(long originMs, double unitMs) {

    /** Checks the unit. */
    public TimeScale {
        if (!(unitMs > 0) || Double.isInfinite(unitMs)) {
            throw new IllegalArgumentException("unitMs must be positive and finite, got " + unitMs);
        }
    }

    /** @return one model time unit per second, origin at the epoch. */
    public static TimeScale seconds() {
        return new TimeScale(0, 1000);
    }

    /** @return the same origin with another unit */
    public TimeScale withUnitMs(double newUnitMs) {
        return newUnitMs == unitMs ? this : new TimeScale(originMs, newUnitMs);
    }

    /** @return the model time of an epoch-millisecond time. */
    public double toModel(long timeMs) {
        return (timeMs - originMs) / unitMs;
    }
}
