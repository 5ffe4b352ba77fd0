package dev.odestream.data;

import java.util.Random;

/**
 * Derives one independent generator per item (spiral, series, sequence) from a data-set seed, so that item {@code i}
 * is the same whether 10 or 10,000 items are generated, and items can be produced lazily in any order.
 */
final class Seeds {

    private Seeds() {
    }

    /**
     * A generator for item {@code index} of stream {@code stream} under {@code seed}. {@link Random} is used because
     * its algorithm is fixed by its specification, so data sets are identical across JDK versions.
     */
    static Random forItem(long seed, long stream, long index) {
        return new Random(mix(mix(seed ^ mix(stream)) + index));
    }

    /** The SplitMix64 finalizer (Steele, Lea, Flood 2014): a bijective 64-bit mixer. */
    static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }

    /** An exponential variate with the given rate, by inversion. */
    static double exponential(Random rng, double rate) {
        return -Math.log1p(-rng.nextDouble()) / rate;
    }
}
