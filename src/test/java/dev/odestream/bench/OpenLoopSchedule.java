package dev.odestream.bench;

/**
 * The send times of an open-loop load: send {@code k} is due at {@code start + k / rate}, whatever became of the
 * sends before it. A closed loop (send, wait for the answer, send the next) sends less while the server is slow and so
 * hides the slowness from its own measurements. Here a stall, on either side, delays no due time: the sends it held
 * up go out at once when it ends, and latency measured from the due time counts the whole wait.
 */
public final class OpenLoopSchedule {

    /** The time source and the way to wait; the system one in a load test, a simulated one in tests. */
    public interface Ticker {
        /** @return the current time in nanoseconds, as {@link System#nanoTime()} */
        long nanoTime();

        /** Waits until about {@code nanos}; may return early or late. */
        void sleepUntil(long nanos) throws InterruptedException;
    }

    /** One send of the schedule. */
    @FunctionalInterface
    public interface Send {
        /**
         * @param k the send's number, from 0
         * @param dueNanos when it was due; measure latency from here, not from now
         */
        void send(long k, long dueNanos);
    }

    /** {@link System#nanoTime()}, parking the thread to wait. */
    public static final Ticker SYSTEM = new Ticker() {
        @Override
        public long nanoTime() {
            return System.nanoTime();
        }

        @Override
        public void sleepUntil(long nanos) throws InterruptedException {
            long wait = nanos - System.nanoTime();
            if (wait > 0) {
                java.util.concurrent.locks.LockSupport.parkNanos(wait);
            }
            if (Thread.interrupted()) {
                throw new InterruptedException();
            }
        }
    };

    private final double periodNanos;
    private final long startNanos;

    /**
     * @param ratePerSecond sends per second, positive
     * @param startNanos when send 0 is due
     */
    public OpenLoopSchedule(double ratePerSecond, long startNanos) {
        if (!(ratePerSecond > 0) || Double.isInfinite(ratePerSecond)) {
            throw new IllegalArgumentException("rate must be positive and finite, got " + ratePerSecond);
        }
        this.periodNanos = 1e9 / ratePerSecond;
        this.startNanos = startNanos;
    }

    /** @return when send {@code k} is due. */
    public long dueNanos(long k) {
        return startNanos + Math.round(k * periodNanos);
    }

    /**
     * Makes every send due before {@code endNanos}, in order, each no earlier than its due time, and as soon after
     * as the ticker and the sends themselves allow.
     *
     * @return sends made
     * @throws InterruptedException if the thread was interrupted while waiting (the sends made so far stand)
     */
    public long run(long endNanos, Ticker ticker, Send send) throws InterruptedException {
        long k = 0;
        for (long due = dueNanos(0); due < endNanos; due = dueNanos(++k)) {
            while (ticker.nanoTime() < due) {
                ticker.sleepUntil(due);
            }
            send.send(k, due);
        }
        return k;
    }
}
