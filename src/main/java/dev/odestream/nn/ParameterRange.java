package dev.odestream.nn;

/**
 * A contiguous slice {@code [offset, offset + count)} of a model's flat parameter arrays: the parameters of one module
 * (for example the dynamics {@code f_theta}). A module's local parameter index {@code i} is flat index
 * {@code offset + i}; this is the order of {@code dL/dtheta} in {@link dev.odestream.ode.ParametricOdeSystem#vjp}.
 *
 * @param offset first flat index
 * @param count number of parameters
 */
public record ParameterRange(int offset, int count) {

    public ParameterRange {
        if (offset < 0 || count < 0) {
            throw new IllegalArgumentException("bad range offset=" + offset + " count=" + count);
        }
    }

    /** @return one past the last flat index. */
    public int end() {
        return offset + count;
    }

    /** @return whether flat index {@code i} lies in this range. */
    public boolean contains(int i) {
        return i >= offset && i < end();
    }

    /**
     * Adds a module-local vector into the flat array: {@code flat[offset + i] += local[i]}. Allocation-free; this is
     * how an adjoint's {@code dL/dtheta} joins the model's gradients.
     *
     * @param local length at least {@link #count()}. Not modified.
     * @param flat the model's flat array, e.g. {@link Parameters#gradients()}. Modified.
     */
    public void addInto(double[] local, double[] flat) {
        for (int i = 0; i < count; i++) {
            flat[offset + i] += local[i];
        }
    }

    /**
     * Copies this slice of a flat array into a module-local vector.
     *
     * @param flat the model's flat array. Not modified.
     * @param local receives {@code flat[offset .. end())}. Modified.
     */
    public void copyOut(double[] flat, double[] local) {
        System.arraycopy(flat, offset, local, 0, count);
    }
}
