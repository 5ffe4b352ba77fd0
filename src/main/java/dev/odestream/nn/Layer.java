package dev.odestream.nn;

/**
 * A differentiable map from {@code rows x inputSize()} to {@code rows x outputSize()}, applied row by row to a
 * row-major batch, with a vector-Jacobian {@code backward}.
 *
 * <p>Contract shared by every implementation:
 * <ul>
 *   <li>{@link #forward} caches what {@link #backward} needs in workspaces sized once for {@code maxRows} at
 *       construction; {@code backward} refers to the most recent {@code forward}.</li>
 *   <li>Neither method allocates.</li>
 *   <li>{@code backward} overwrites {@code dIn} and <em>accumulates</em> ({@code +=}) parameter gradients into a
 *       target array. A parameter at flat index {@code k} goes to {@code grad[k - gradBase]}: pass
 *       {@code parameters().gradients(), 0} for the model's gradients, or a module-local array with
 *       {@code gradBase = range.offset()} (what an ODE's {@code vjp} does for {@code dL/dtheta}).</li>
 *   <li>Not thread-safe: one instance per thread.</li>
 * </ul>
 */
public interface Layer {

    /** @return features per input row. */
    int inputSize();

    /** @return features per output row. */
    int outputSize();

    /** @return the largest batch {@code forward} accepts. */
    int maxRows();

    /** @return the flat slice holding this layer's parameters. */
    ParameterRange parameterRange();

    /** @return the parameter store this layer registered its blocks in. */
    Parameters parameters();

    /**
     * @param in {@code rows x inputSize()}, row-major. Not modified.
     * @param out receives {@code rows x outputSize()}. Modified.
     * @param rows batch size, at most {@link #maxRows()}
     */
    void forward(double[] in, double[] out, int rows);

    /**
     * Vector-Jacobian product through the last {@link #forward}.
     *
     * @param dOut {@code dL/dout}, {@code rows x outputSize()}. Not modified.
     * @param dIn receives {@code dL/din}, {@code rows x inputSize()}; may be {@code null} when not needed. Modified.
     * @param rows the batch size of the last forward
     * @param grad gradient target; parameter {@code k} accumulates into {@code grad[k - gradBase]}. Modified.
     * @param gradBase flat index that maps to {@code grad[0]}
     */
    void backward(double[] dOut, double[] dIn, int rows, double[] grad, int gradBase);

    /** {@link #backward(double[], double[], int, double[], int)} into the model's {@link Parameters#gradients()}. */
    default void backward(double[] dOut, double[] dIn, int rows) {
        backward(dOut, dIn, rows, parameters().gradients(), 0);
    }
}
