package dev.odestream.cuda;

/**
 * The device form of {@code dev.odestream.model.MaskedRows}: {@code f_b = active_b g_b}, rows switched off stand still,
 * and the vector-Jacobian products are the inner ones of the masked adjoint. {@link #forward()} is the system a
 * forward solve integrates; {@link #augmented()} the adjoint's {@code [y, a, dL/dtheta]} system (Chen et al.,
 * Algorithm 1), as {@code dev.odestream.ode.adjoint.AugmentedDynamics} builds it. Not thread-safe.
 */
final class MaskedSystem {

    private final Device kernels;
    private final Device driver;
    private final RowDynamics inner;
    private final long maskedA;
    private final long aDfDy;
    private final DeviceSystem forward = new Forward();
    private final DeviceSystem augmented = new Augmented();
    private long flags;
    private boolean all = true;

    /**
     * @param maxDimension the largest state length
     */
    MaskedSystem(Device kernels, DeviceMemory memory, RowDynamics inner, int maxDimension) {
        this.kernels = kernels;
        this.driver = kernels;
        this.inner = inner;
        this.maskedA = memory.doubles(maxDimension);
        this.aDfDy = memory.doubles(maxDimension);
    }

    /**
     * Sets which rows move.
     *
     * @param activeFlags device pointer to one int per row (0 stands still)
     * @param everyRow whether every flag is set (the masking is then skipped)
     */
    void setActive(long activeFlags, boolean everyRow) {
        this.flags = activeFlags;
        this.all = everyRow;
    }

    /** @return {@code f_b = active_b g_b} */
    DeviceSystem forward() {
        return forward;
    }

    /** @return the adjoint's augmented system over {@code [y, a, dL/dtheta]} */
    DeviceSystem augmented() {
        return augmented;
    }

    private final class Forward implements DeviceSystem {

        @Override
        public int dimension() {
            return inner.dimension();
        }

        @Override
        public void derivatives(double t, long y, long yDot) {
            inner.derivatives(y, yDot);
            blocks(yDot, yDot, "zero_inactive");
        }
    }

    /** As {@code AugmentedDynamics} over {@code MaskedRows}: the products are the inner ones of the masked adjoint. */
    private final class Augmented implements DeviceSystem {

        @Override
        public int dimension() {
            return 2 * inner.dimension() + inner.parameterCount();
        }

        @Override
        public void derivatives(double t, long z, long zDot) {
            int n = inner.dimension();
            int p = inner.parameterCount();
            long a = z + 8L * n;
            long g = zDot + 16L * n;
            if (!all) {
                blocks(a, maskedA, "masked_copy");
                a = maskedA;
            }
            inner.derivatives(z, zDot);
            blocks(zDot, zDot, "zero_inactive");
            driver.zero(g, p);
            inner.vjp(a, aDfDy, g);
            kernels.run("negate_into", n, aDfDy, zDot + 8L * n, n);
            kernels.run("negate_into", p, g, g, p);
        }
    }

    /** Applies a masking kernel to each block of a state; nothing when every row moves. */
    private void blocks(long v, long out, String kernel) {
        if (all) {
            return;
        }
        int rows = inner.rows();
        long start = 0;
        for (int width : inner.widths()) {
            long n = (long) rows * width;
            if (kernel.equals("zero_inactive")) {
                kernels.run(kernel, n, out + 8 * start, flags, rows, width);
            } else {
                kernels.run(kernel, n, v + 8 * start, out + 8 * start, flags, rows, width);
            }
            start += n;
        }
    }
}
