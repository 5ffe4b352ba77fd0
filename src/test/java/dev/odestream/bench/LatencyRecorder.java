package dev.odestream.bench;

import java.util.Arrays;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * A latency histogram for load tests, in nanoseconds. Buckets are log-linear: values below 128 ns are exact, and
 * above that every power of two is cut into 64 buckets, so a reported value is at most 1/64 (1.6 %) above the true
 * one. Recording is one atomic increment: no locks and no allocation, from any number of threads.
 *
 * <p>Readers take {@link #snapshot()}s. The difference of two snapshots ({@link Snapshot#minus}) is the distribution
 * of what was recorded between them, which is how per-interval percentiles are read without resetting the writers
 * (a reset would race with them and lose samples).
 */
public final class LatencyRecorder {

    private static final int SUB_BITS = 6;
    private static final int SUB = 1 << SUB_BITS;
    /** Enough buckets for any non-negative long: the largest shift is 63 - SUB_BITS. */
    private static final int BUCKETS = (64 - SUB_BITS + 1) * SUB;

    private final AtomicLongArray counts = new AtomicLongArray(BUCKETS);

    /** @param nanos one latency; a negative value (a clock step) counts as 0 */
    public void record(long nanos) {
        counts.incrementAndGet(index(Math.max(0, nanos)));
    }

    /** @return a copy of the counts so far. */
    public Snapshot snapshot() {
        long[] copy = new long[BUCKETS];
        for (int i = 0; i < BUCKETS; i++) {
            copy[i] = counts.get(i);
        }
        return new Snapshot(copy);
    }

    static int index(long value) {
        if (value < 2 * SUB) {
            return (int) value;
        }
        int shift = 63 - Long.numberOfLeadingZeros(value) - SUB_BITS;
        return (shift + 1) * SUB + (int) (value >>> shift) - SUB;
    }

    /** @return the largest value that falls into bucket {@code index}. */
    static long highestInBucket(int index) {
        if (index < 2 * SUB) {
            return index;
        }
        int shift = index / SUB - 1;
        long lowest = (long) (SUB + index % SUB) << shift;
        return lowest + (1L << shift) - 1;
    }

    /** Counts at one moment, immutable. */
    public static final class Snapshot {

        private final long[] counts;
        private final long total;

        private Snapshot(long[] counts) {
            this.counts = counts;
            this.total = Arrays.stream(counts).sum();
        }

        /** @return the values recorded since {@code earlier}, a snapshot of the same recorder taken before this. */
        public Snapshot minus(Snapshot earlier) {
            long[] diff = new long[counts.length];
            for (int i = 0; i < diff.length; i++) {
                diff[i] = counts[i] - earlier.counts[i];
                if (diff[i] < 0) {
                    throw new IllegalArgumentException("the other snapshot was taken after this one");
                }
            }
            return new Snapshot(diff);
        }

        /** @return values recorded. */
        public long count() {
            return total;
        }

        /**
         * @param quantile in (0, 1], e.g. 0.99
         * @return the smallest recorded value (within the bucket precision, rounded up) that at least that share of
         *     values does not exceed; NaN when nothing was recorded
         */
        public double valueAt(double quantile) {
            if (!(quantile > 0 && quantile <= 1)) {
                throw new IllegalArgumentException("quantile must lie in (0, 1], got " + quantile);
            }
            if (total == 0) {
                return Double.NaN;
            }
            long rank = Math.max(1, (long) Math.ceil(quantile * total));
            long seen = 0;
            for (int i = 0; i < counts.length; i++) {
                seen += counts[i];
                if (seen >= rank) {
                    return highestInBucket(i);
                }
            }
            throw new IllegalStateException("counts do not add up");
        }

        /** @return {@link #valueAt} in milliseconds. */
        public double millisAt(double quantile) {
            return valueAt(quantile) / 1e6;
        }

        /** @return the largest value recorded (bucket precision), NaN when nothing was. */
        public double max() {
            return valueAt(1.0);
        }
    }
}
