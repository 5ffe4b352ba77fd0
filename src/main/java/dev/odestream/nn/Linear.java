package dev.odestream.nn;

/**
 * Affine layer {@code y = x W + b} on a row-major batch: {@code x} is {@code rows x in}, the weight {@code W} is
 * stored as {@code in x out} (block {@code name.weight}, shape {@code {in, out}}), the bias {@code b} has length
 * {@code out} (block {@code name.bias}).
 *
 * <p>Why {@code in x out} rather than {@code out x in}: with this layout the forward product and the weight gradient
 * are both "axpy" loops ({@code y_row += x_ri * W_row_i}, {@code dW_row_i += x_ri * dy_row}) whose innermost index runs
 * contiguously through two arrays, which the JIT's superword pass vectorises; only {@code dL/dx} is a dot product.
 *
 * <p>Why hand loops, not EJML: EJML's {@code CommonOps_DDRM.mult} runs the same i-k-j ("reorder") loop or a
 * dot-product loop, with no blocking, so it would not be faster; and its {@code DMatrixRMaj} always starts at index 0,
 * while our weights are views at an offset into the model's flat array, so wrapping them would cost a copy per call.
 * At the sizes a latent ODE uses (tens of features, batches of tens to hundreds) the loops below are the whole cost.
 *
 * <p>{@code forward} copies its input into a workspace, so the caller may reuse its array before {@code backward}.
 */
public final class Linear implements Layer {

    private final Parameters params;
    private final ParameterBlock weight;
    private final ParameterBlock bias;
    private final ParameterRange range;
    private final int in;
    private final int out;
    private final int maxRows;
    private final double[] x;

    /**
     * Registers {@code name.weight} ({@code {in, out}}) and {@code name.bias} ({@code {out}}), both zero.
     *
     * @param params where the blocks are registered. Modified.
     * @param name block name prefix
     * @param in input features
     * @param out output features
     * @param maxRows the largest batch
     */
    public Linear(Parameters params, String name, int in, int out, int maxRows) {
        if (maxRows <= 0) {
            throw new IllegalArgumentException("maxRows must be positive: " + maxRows);
        }
        this.params = params;
        this.weight = params.register(name + ".weight", in, out);
        this.bias = params.register(name + ".bias", out);
        this.range = new ParameterRange(weight.offset(), bias.end() - weight.offset());
        this.in = in;
        this.out = out;
        this.maxRows = maxRows;
        this.x = new double[maxRows * in];
    }

    @Override
    public void forward(double[] input, double[] y, int rows) {
        checkRows(rows);
        System.arraycopy(input, 0, x, 0, rows * in);
        double[] v = params.values();
        int w0 = weight.offset();
        for (int r = 0; r < rows; r++) {
            int yr = r * out;
            System.arraycopy(v, bias.offset(), y, yr, out);
            for (int i = 0; i < in; i++) {
                axpy(x[r * in + i], v, w0 + i * out, y, yr, out);
            }
        }
    }

    @Override
    public void backward(double[] dOut, double[] dIn, int rows, double[] grad, int gradBase) {
        checkRows(rows);
        int gw = weight.offset() - gradBase;
        int gb = bias.offset() - gradBase;
        for (int r = 0; r < rows; r++) {
            int yr = r * out;
            axpy(1.0, dOut, yr, grad, gb, out);
            for (int i = 0; i < in; i++) {
                axpy(x[r * in + i], dOut, yr, grad, gw + i * out, out);
            }
        }
        if (dIn != null) {
            inputGradient(dOut, dIn, rows);
        }
    }

    /** {@code dIn[r, i] = sum_o dOut[r, o] W[i, o]}: one contiguous dot product per entry. */
    private void inputGradient(double[] dOut, double[] dIn, int rows) {
        double[] v = params.values();
        int w0 = weight.offset();
        for (int r = 0; r < rows; r++) {
            for (int i = 0; i < in; i++) {
                dIn[r * in + i] = dot(dOut, r * out, v, w0 + i * out, out);
            }
        }
    }

    /** {@code y[yo + k] += a * x[xo + k]} for {@code k < n}. */
    static void axpy(double a, double[] x, int xo, double[] y, int yo, int n) {
        for (int k = 0; k < n; k++) {
            y[yo + k] += a * x[xo + k];
        }
    }

    /** Dot product with two accumulators, which halves the floating-point add dependency chain. */
    static double dot(double[] a, int ao, double[] b, int bo, int n) {
        double s0 = 0.0;
        double s1 = 0.0;
        int k = 0;
        for (; k + 1 < n; k += 2) {
            s0 += a[ao + k] * b[bo + k];
            s1 += a[ao + k + 1] * b[bo + k + 1];
        }
        if (k < n) {
            s0 += a[ao + k] * b[bo + k];
        }
        return s0 + s1;
    }

    private void checkRows(int rows) {
        if (rows < 0 || rows > maxRows) {
            throw new IllegalArgumentException("rows " + rows + " outside [0, " + maxRows + "]");
        }
    }

    /** @return the weight block, shape {@code {in, out}}. */
    public ParameterBlock weight() {
        return weight;
    }

    /** @return the bias block, shape {@code {out}}. */
    public ParameterBlock bias() {
        return bias;
    }

    @Override
    public int inputSize() {
        return in;
    }

    @Override
    public int outputSize() {
        return out;
    }

    @Override
    public int maxRows() {
        return maxRows;
    }

    @Override
    public ParameterRange parameterRange() {
        return range;
    }

    @Override
    public Parameters parameters() {
        return params;
    }
}
