package dev.odestream.cuda;

/**
 * The device form of {@link dev.odestream.model.LatentSystem}: {@code dz/dt = f(z)} and
 * {@code dLambda/dt = softplus(z W + b)} over the blocks {@code [z (rows x L), Lambda (rows x K)]}; the parameters
 * are {@code dynamics.*} then {@code intensity.*}, contiguous.
 */
final class LatentDynamics extends RowDynamics {

    private final Device kernels;
    private final Device driver;
    private final DeviceMlp dynamics;
    private final DeviceLinear intensity;
    private final int latent;
    private final int types;
    private final long pre;
    private final long dPre;
    private final long dz;
    private long input;

    LatentDynamics(Device kernels, DeviceMemory memory, DeviceMlp dynamics, DeviceLinear intensity, int base,
                   int count, int maxRows) {
        super(base, count, dynamics.in(), intensity.out);
        this.kernels = kernels;
        this.driver = kernels;
        this.dynamics = dynamics;
        this.intensity = intensity;
        this.latent = dynamics.in();
        this.types = intensity.out;
        this.pre = memory.doubles((long) maxRows * types);
        this.dPre = memory.doubles((long) maxRows * types);
        this.dz = memory.doubles((long) maxRows * latent);
    }

    @Override
    void derivatives(long y, long yDot) {
        input = y;
        dynamics.forward(y, yDot, rows);
        intensity.forward(y, pre, pre, rows, 0);
        kernels.run("softplus_rates", (long) rows * types, pre, yDot + 8L * rows * latent, rows * types);
    }

    /** {@code Lambda} does not feed back, so its rows of {@code a^T df/dy} are zero. */
    @Override
    void vjp(long a, long aDfDy, long aDfDTheta) {
        int zSize = rows * latent;
        dynamics.backward(a, aDfDy, rows, aDfDTheta, base);
        kernels.run("intensity_vjp", (long) rows * types, a + 8L * zSize, pre, dPre, rows * types);
        intensity.backwardParams(dPre, input, rows, aDfDTheta, base);
        intensity.backwardInput(dPre, dz, rows);
        kernels.run("add_into", zSize, dz, aDfDy, zSize);
        driver.zero(aDfDy + 8L * zSize, (long) rows * types);
    }
}
