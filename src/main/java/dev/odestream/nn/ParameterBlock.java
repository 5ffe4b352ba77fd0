package dev.odestream.nn;

import java.util.Arrays;

/**
 * One named tensor of a model's parameters: elements {@code [offset, offset + size())} of the flat arrays of
 * {@link Parameters}, stored row-major with the given shape.
 *
 * <p>Immutable: the shape is copied in and out. Equality compares the shape's contents, so two layouts built by the
 * same code are equal, which is what a checkpoint loader checks.
 *
 * @param name unique within its layout, e.g. {@code "dynamics.layer0.weight"}
 * @param offset index of the first element in the flat arrays
 * @param shape dimensions, row-major; a weight matrix is {@code {in, out}}, a bias {@code {out}}
 */
public record ParameterBlock(String name, int offset, int[] shape) {

    public ParameterBlock {
        if (name == null || name.isEmpty()) {
            throw new IllegalArgumentException("block name must not be empty");
        }
        if (offset < 0) {
            throw new IllegalArgumentException("negative offset " + offset + " for " + name);
        }
        shape = shape.clone();
        if (shape.length == 0) {
            throw new IllegalArgumentException("block " + name + " needs at least one dimension");
        }
        for (int d : shape) {
            if (d <= 0) {
                throw new IllegalArgumentException("block " + name + " has non-positive dimension " + d);
            }
        }
    }

    /** @return a copy of the shape. */
    @Override
    public int[] shape() {
        return shape.clone();
    }

    /** @return the number of elements, the product of the shape. */
    public int size() {
        int n = 1;
        for (int d : shape) {
            n = Math.multiplyExact(n, d);
        }
        return n;
    }

    /** @return one past the last element, {@code offset + size()}. */
    public int end() {
        return offset + size();
    }

    /** @return the length of dimension {@code i}. */
    public int dimension(int i) {
        return shape[i];
    }

    /** @return the number of dimensions. */
    public int rank() {
        return shape.length;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ParameterBlock b && b.name.equals(name) && b.offset == offset
                && Arrays.equals(b.shape, shape);
    }

    @Override
    public int hashCode() {
        return (name.hashCode() * 31 + offset) * 31 + Arrays.hashCode(shape);
    }

    @Override
    public String toString() {
        return name + Arrays.toString(shape) + "@" + offset;
    }
}
