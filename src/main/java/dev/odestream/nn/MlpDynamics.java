package dev.odestream.nn;

/**
 * Autonomous neural dynamics {@code dz/dt = MLP(z)} for a batch of latent states: the state is
 * {@code batch x latent}, row-major (series {@code b} at {@code y[b*latent .. (b+1)*latent)}), and one MLP with
 * widths {@code {latent, hidden..., latent}} is shared by all rows.
 *
 * <p>Parameter order of {@link #vjp}'s {@code aDfDTheta} is the flat order of the MLP's blocks: index 0 is flat index
 * {@code parameterRange().offset()}. Because the rows share the MLP, {@code a^T df/dtheta} is summed over the batch.
 *
 * <p>Allocation-free after construction; not thread-safe (the MLP caches its forward pass).
 */
public final class MlpDynamics implements BatchDynamics {

    private final Mlp mlp;
    private final int latent;
    private final int maxBatch;
    private final double[] scratch;
    private int batch;

    /**
     * @param params where the MLP registers its blocks ({@code name.layer0.weight}, ...). Modified.
     * @param name block name prefix
     * @param latent state dimension per series
     * @param hidden hidden-layer widths, possibly empty. Not modified.
     * @param act hidden activation
     * @param batch the largest batch; also the initial batch
     */
    public MlpDynamics(Parameters params, String name, int latent, int[] hidden, Activation act, int batch) {
        int[] widths = new int[hidden.length + 2];
        widths[0] = latent;
        System.arraycopy(hidden, 0, widths, 1, hidden.length);
        widths[widths.length - 1] = latent;
        this.mlp = new Mlp(params, name, widths, act, batch);
        this.latent = latent;
        this.maxBatch = batch;
        this.batch = batch;
        this.scratch = new double[batch * latent];
    }

    @Override
    public void setBatch(int batch) {
        if (batch < 1 || batch > maxBatch) {
            throw new IllegalArgumentException("batch " + batch + " outside [1, " + maxBatch + "]");
        }
        this.batch = batch;
    }

    @Override
    public DynamicsKind kind() {
        return DynamicsKind.MLP;
    }

    @Override
    public void forward(double[] y, double[] yDot) {
        mlp.forward(y, yDot, batch);
    }

    @Override
    public void backward(double[] a, double[] aDfDy, double[] grad, int gradBase) {
        mlp.backward(a, aDfDy, batch, grad, gradBase);
    }

    @Override
    public double[] scratch() {
        return scratch;
    }

    /** @return the flat slice of the model's parameters that {@code aDfDTheta} indexes. */
    @Override
    public ParameterRange parameterRange() {
        return mlp.parameterRange();
    }

    /** @return the shared MLP. */
    @Override
    public Mlp mlp() {
        return mlp;
    }

    /** @return the state dimension per series. */
    @Override
    public int latent() {
        return latent;
    }

    /** @return the current number of series. */
    @Override
    public int batch() {
        return batch;
    }

    /** @return the largest number of series. */
    @Override
    public int maxBatch() {
        return maxBatch;
    }
}
