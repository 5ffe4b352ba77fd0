package dev.odestream.model.checkpoint;

import java.util.Arrays;
import java.util.Objects;

/**
 * One named block of the flat parameter vector: {@code values[offset .. offset + size())}, read row-major with the
 * given shape (a weight matrix {@code [rows, cols]}, a bias {@code [n]}, a scalar {@code []}).
 *
 * @param name unique name within a checkpoint, such as {@code "dynamics.layer0.weight"}.
 * @param offset index of the first value.
 * @param shape positive dimensions, at most {@value #MAX_RANK} of them; empty for a scalar.
 */
public record ParameterBlock(String name, int offset, int[] shape) {

    /** The most dimensions a block may have; the binary format stores the rank in one byte. */
    public static final int MAX_RANK = 255;

    /** Validates and copies the shape. */
    public ParameterBlock {
        Objects.requireNonNull(name, "name");
        if (name.isEmpty() || offset < 0) {
            throw new IllegalArgumentException("block needs a name and a non-negative offset: '" + name + "' at "
                    + offset);
        }
        shape = shape.clone();
        if (shape.length > MAX_RANK) {
            throw new IllegalArgumentException("block '" + name + "' has rank " + shape.length + ", more than "
                    + MAX_RANK);
        }
        long size = 1;
        for (int dim : shape) {
            if (dim <= 0) {
                throw new IllegalArgumentException("block '" + name + "' has a non-positive dimension "
                        + Arrays.toString(shape));
            }
            size *= dim;
            if (offset + size > Integer.MAX_VALUE) {
                throw new IllegalArgumentException("block '" + name + "' does not fit in an array");
            }
        }
    }

    /** @return the number of values, the product of the shape. */
    public int size() {
        int size = 1;
        for (int dim : shape) {
            size *= dim;
        }
        return size;
    }

    /** @return one past the last index of the block. */
    public int end() {
        return offset + size();
    }

    @Override
    public int[] shape() {
        return shape.clone();
    }

    /** @return the number of dimensions. */
    public int rank() {
        return shape.length;
    }

    /** @return dimension {@code i} of the shape. */
    public int dimension(int i) {
        return shape[i];
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ParameterBlock b && offset == b.offset && name.equals(b.name)
                && Arrays.equals(shape, b.shape);
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, offset, Arrays.hashCode(shape));
    }

    @Override
    public String toString() {
        return name + "@" + offset + Arrays.toString(shape);
    }
}
