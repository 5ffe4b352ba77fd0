package dev.odestream.nn;

import dev.odestream.ode.ParametricOdeSystem;

/**
 * Autonomous neural dynamics {@code dy/dt = f(y)} applied row-wise to a batch of states: the state is
 * {@code batch x width}, row-major, and one set of parameters is shared by all rows, so {@code a^T df/dtheta} is summed
 * over the batch. The parameters form one contiguous {@link #parameterRange()}; index 0 of {@link #vjp}'s
 * {@code aDfDTheta} is its offset.
 *
 * <p>Besides the {@link ParametricOdeSystem} calls, {@link #forward} and {@link #backward} let a system that embeds
 * these dynamics in a larger state (the latent system's {@code [z, Lambda]}) share one forward pass between its
 * derivative and its products. Implementations are allocation-free after construction and not thread-safe.
 */
public interface BatchDynamics extends ParametricOdeSystem {

    /**
     * Builds dynamics of the given kind, registering their blocks under {@code name}.
     *
     * @param params where the blocks are registered. Modified.
     * @param width state dimension per row
     * @param hidden hidden-layer widths of the MLP, possibly empty. Not modified.
     * @param act hidden activation
     * @param batch the largest batch; also the initial batch
     */
    static BatchDynamics create(DynamicsKind kind, Parameters params, String name, int width, int[] hidden,
                                Activation act, int batch) {
        return switch (kind) {
            case BOUNDED -> new BoundedDynamics(params, name, width, hidden, act, batch);
            case MLP -> new MlpDynamics(params, name, width, hidden, act, batch);
        };
    }

    /** @return which dynamics these are. */
    DynamicsKind kind();

    /**
     * Evaluates {@code f} on the first {@code batch x width} values of {@code y} and keeps what {@link #backward}
     * needs.
     *
     * @param y states. Not modified.
     * @param yDot receives {@code f(y)} in its first {@code batch x width} values. Modified.
     */
    void forward(double[] y, double[] yDot);

    /**
     * Vector-Jacobian products at the state of the last {@link #forward}.
     *
     * @param a the vector, read in its first {@code batch x width} values. Not modified.
     * @param aDfDy receives {@code a^T df/dy} in its first {@code batch x width} values. Modified (overwritten).
     * @param grad receives {@code a^T df/dtheta} of flat parameter index {@code k}, added into
     *     {@code grad[k - gradBase]}. Modified.
     * @param gradBase the flat index that {@code grad[0]} stands for
     */
    void backward(double[] a, double[] aDfDy, double[] grad, int gradBase);

    /**
     * Changes the number of rows, and so {@link #dimension()}.
     *
     * @param batch in {@code [1, maxBatch()]}
     */
    void setBatch(int batch);

    /** @return the current number of rows. */
    int batch();

    /** @return the largest number of rows. */
    int maxBatch();

    /** @return the state dimension per row. */
    int latent();

    /** @return the flat slice of the model's parameters that {@code aDfDTheta} indexes. */
    ParameterRange parameterRange();

    /** @return the MLP at the heart of the dynamics (for the bounded kind, the one whose {@code tanh} is the target). */
    Mlp mlp();

    @Override
    default int dimension() {
        return batch() * latent();
    }

    @Override
    default int parameterCount() {
        return parameterRange().count();
    }

    @Override
    default void derivatives(double t, double[] y, double[] yDot) {
        forward(y, yDot);
    }

    @Override
    default double vjp(double t, double[] y, double[] a, double[] aDfDy, double[] aDfDTheta) {
        forward(y, scratch());
        return products(a, aDfDy, aDfDTheta);
    }

    /** One forward pass serves both the derivative and the products. */
    @Override
    default double derivativesAndVjp(double t, double[] y, double[] a, double[] yDot, double[] aDfDy,
                                     double[] aDfDTheta) {
        forward(y, yDot);
        return products(a, aDfDy, aDfDTheta);
    }

    private double products(double[] a, double[] aDfDy, double[] aDfDTheta) {
        java.util.Arrays.fill(aDfDTheta, 0, parameterCount(), 0.0);
        backward(a, aDfDy, aDfDTheta, parameterRange().offset());
        return 0.0;
    }

    /** @return a workspace of {@code maxBatch x width} for a forward pass whose output nobody reads */
    double[] scratch();
}
