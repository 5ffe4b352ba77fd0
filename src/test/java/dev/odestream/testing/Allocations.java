package dev.odestream.testing;

import java.lang.management.ManagementFactory;

/**
 * Measures the promise "no allocation in steady state" with the JVM's per-thread allocation counter, for every
 * package's allocation tests.
 */
public final class Allocations {

    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    private static final int TRIALS = 5;

    private Allocations() {
    }

    /**
     * Runs {@code body} {@code warmup} times so the JIT compiles it, then returns the fewest bytes that {@code calls}
     * further runs allocated over a few trials. An allocation on the measured path shows in every trial (at least
     * {@code calls x 16} bytes); the minimum only discounts one-off VM work that lands on this thread, such as a
     * deoptimisation or a recompilation while other work slows the JIT down.
     *
     * @return bytes allocated on this thread by {@code calls} runs, in the quietest trial
     */
    public static long fewestBytes(Runnable body, int warmup, int calls) {
        for (int i = 0; i < warmup; i++) {
            body.run();
        }
        long fewest = Long.MAX_VALUE;
        for (int trial = 0; trial < TRIALS && fewest > 0; trial++) {
            long before = THREADS.getCurrentThreadAllocatedBytes();
            for (int i = 0; i < calls; i++) {
                body.run();
            }
            fewest = Math.min(fewest, THREADS.getCurrentThreadAllocatedBytes() - before);
        }
        return fewest;
    }
}
