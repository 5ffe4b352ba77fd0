package dev.odestream.nn;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * All parameters of one model in one flat {@code values} array, with a flat {@code gradients} array of the same
 * length. Layers register named blocks while they are constructed; the optimizer, the checkpoint format and the
 * adjoint see only the flat arrays plus the {@link ParameterLayout}.
 *
 * <p>Registration grows both arrays (copying what is already there), so the arrays returned by {@link #values()} and
 * {@link #gradients()} are replaced while a model is being built. Layers therefore keep a reference to this object,
 * never to the arrays; callers should fetch the arrays once the model is complete. After construction nothing here
 * allocates.
 *
 * <p>A module that needs its own contiguous slice (for example the dynamics MLP, whose {@code dL/dtheta} the adjoint
 * integrates) records {@link #size()} before registering its layers and calls {@link #rangeFrom(int)} afterwards.
 *
 * <p>Not thread-safe.
 */
public final class Parameters {

    private final List<ParameterBlock> blocks = new ArrayList<>();
    private double[] values = new double[0];
    private double[] gradients = new double[0];

    /**
     * Appends a block at the end of the flat arrays, initialised to zero.
     *
     * @param name unique name, e.g. {@code "encoder.gru.input.weight"}
     * @param shape dimensions, row-major
     * @return the new block
     * @throws IllegalArgumentException if the name is taken or the shape is empty or non-positive
     */
    public ParameterBlock register(String name, int... shape) {
        for (ParameterBlock b : blocks) {
            if (b.name().equals(name)) {
                throw new IllegalArgumentException("parameter block " + name + " already registered");
            }
        }
        ParameterBlock block = new ParameterBlock(name, values.length, shape);
        blocks.add(block);
        values = Arrays.copyOf(values, block.end());
        gradients = Arrays.copyOf(gradients, block.end());
        return block;
    }

    /** @return the flat parameter values; the live array, Modified by optimizers and initializers. */
    public double[] values() {
        return values;
    }

    /** @return the flat gradients; the live array that layers' default {@code backward} accumulates into. */
    public double[] gradients() {
        return gradients;
    }

    /** @return the number of parameters. */
    public int size() {
        return values.length;
    }

    /** Sets every gradient to zero. */
    public void zeroGradients() {
        Arrays.fill(gradients, 0.0);
    }

    /** @return an immutable snapshot of the blocks registered so far. */
    public ParameterLayout layout() {
        return new ParameterLayout(blocks);
    }

    /** @return the block with that name. */
    public ParameterBlock block(String name) {
        return layout().block(name);
    }

    /**
     * @param start a value of {@link #size()} recorded earlier
     * @return the range of everything registered since then, {@code [start, size())}
     */
    public ParameterRange rangeFrom(int start) {
        if (start < 0 || start > size()) {
            throw new IllegalArgumentException("start " + start + " outside [0, " + size() + "]");
        }
        return new ParameterRange(start, size() - start);
    }
}
