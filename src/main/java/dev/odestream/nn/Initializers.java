package dev.odestream.nn;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Seeded parameter initialisation. Every method fills one {@link ParameterBlock} of a flat array; the random source is
 * passed in, so one seed reproduces a whole model.
 */
public final class Initializers {

    private Initializers() {
    }

    /**
     * Glorot/Xavier uniform (Glorot and Bengio 2010): {@code U(-l, l)} with {@code l = sqrt(6 / (fanIn + fanOut))}.
     * For a rank-2 block {@code {in, out}} (the {@link Linear} layout) {@code fanIn = in, fanOut = out}; a rank-1
     * block counts as {@code fanIn = 1, fanOut = size}.
     *
     * @param values the flat array. Modified in {@code block} only.
     */
    public static void glorotUniform(double[] values, ParameterBlock block, SplittableRandom rng) {
        int fanIn = block.rank() >= 2 ? block.dimension(0) : 1;
        int fanOut = block.size() / fanIn;
        double limit = Math.sqrt(6.0 / (fanIn + fanOut));
        for (int i = block.offset(); i < block.end(); i++) {
            values[i] = rng.nextDouble(-limit, limit);
        }
    }

    /**
     * Independent {@code N(0, std^2)} entries.
     *
     * @param values the flat array. Modified in {@code block} only.
     */
    public static void normal(double[] values, ParameterBlock block, double std, SplittableRandom rng) {
        for (int i = block.offset(); i < block.end(); i++) {
            values[i] = std * rng.nextGaussian();
        }
    }

    /**
     * @param values the flat array. Modified in {@code block} only.
     */
    public static void zeros(double[] values, ParameterBlock block) {
        Arrays.fill(values, block.offset(), block.end(), 0.0);
    }

    /**
     * The usual default for a whole model: Glorot uniform for every block of rank 2 or more (weights), zeros for rank-1
     * blocks (biases).
     *
     * @param params Modified (values only).
     * @param seed the random seed
     */
    public static void glorotWeightsZeroBiases(Parameters params, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        for (ParameterBlock block : params.layout().blocks()) {
            if (block.rank() >= 2) {
                glorotUniform(params.values(), block, rng);
            } else {
                zeros(params.values(), block);
            }
        }
    }
}
