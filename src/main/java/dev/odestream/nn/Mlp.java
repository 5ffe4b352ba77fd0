package dev.odestream.nn;

/**
 * Multilayer perceptron: {@code Linear -> act -> Linear -> act -> ... -> Linear -> outAct}, row-wise on a batch.
 *
 * <p>{@code widths = {in, h1, ..., out}} gives {@code widths.length - 1} {@link Linear} layers named
 * {@code name.layer0}, {@code name.layer1}, ...; their blocks are contiguous in the flat arrays, so the whole MLP is
 * one {@link #parameterRange()}. The hidden activation follows every layer but the last; the output activation
 * (by default {@link Activation#IDENTITY}) follows the last.
 *
 * <p>Workspaces: per layer one pre-activation and one activation buffer (what the backward pass needs), plus two
 * gradient buffers used alternately, all of {@code maxRows x maxWidth} or smaller.
 */
public final class Mlp implements Layer {

    private final Parameters params;
    private final Linear[] layers;
    private final Activation[] acts;
    private final double[][] pre;
    private final double[][] post;
    private final double[] gradA;
    private final double[] gradB;
    private final ParameterRange range;
    private final int maxRows;

    /** An MLP with a linear output layer. */
    public Mlp(Parameters params, String name, int[] widths, Activation hidden, int maxRows) {
        this(params, name, widths, hidden, Activation.IDENTITY, maxRows);
    }

    /**
     * @param params where the layers register. Modified.
     * @param name block name prefix
     * @param widths {@code {in, h1, ..., out}}, at least two entries. Not modified.
     * @param hidden activation after each hidden layer
     * @param output activation after the last layer
     * @param maxRows the largest batch
     */
    public Mlp(Parameters params, String name, int[] widths, Activation hidden, Activation output, int maxRows) {
        if (widths.length < 2) {
            throw new IllegalArgumentException("an MLP needs input and output widths");
        }
        int start = params.size();
        int n = widths.length - 1;
        this.params = params;
        this.maxRows = maxRows;
        this.layers = new Linear[n];
        this.acts = new Activation[n];
        this.pre = new double[n][];
        this.post = new double[n][];
        int maxWidth = 0;
        for (int k = 0; k < n; k++) {
            layers[k] = new Linear(params, name + ".layer" + k, widths[k], widths[k + 1], maxRows);
            acts[k] = k < n - 1 ? hidden : output;
            pre[k] = new double[maxRows * widths[k + 1]];
            // IDENTITY needs no separate output buffer: the activation is the pre-activation.
            post[k] = acts[k] == Activation.IDENTITY ? pre[k] : new double[maxRows * widths[k + 1]];
            maxWidth = Math.max(maxWidth, Math.max(widths[k], widths[k + 1]));
        }
        this.gradA = new double[maxRows * maxWidth];
        this.gradB = new double[maxRows * maxWidth];
        this.range = params.rangeFrom(start);
    }

    @Override
    public void forward(double[] in, double[] out, int rows) {
        // Layer 0 copies the caller's input; the others read activations this MLP owns and keeps until backward.
        layers[0].forward(in, pre[0], rows);
        acts[0].forward(pre[0], post[0], rows * layers[0].outputSize());
        for (int k = 1; k < layers.length; k++) {
            layers[k].forwardKeepingInput(post[k - 1], pre[k], rows);
            acts[k].forward(pre[k], post[k], rows * layers[k].outputSize());
        }
        System.arraycopy(post[layers.length - 1], 0, out, 0, rows * outputSize());
    }

    @Override
    public void backward(double[] dOut, double[] dIn, int rows, double[] grad, int gradBase) {
        double[] g = dOut;
        for (int k = layers.length - 1; k >= 0; k--) {
            double[] dPre = g == gradA ? gradA : gradB;
            acts[k].backward(pre[k], post[k], g, dPre, rows * layers[k].outputSize());
            double[] dPrev = k == 0 ? dIn : (dPre == gradA ? gradB : gradA);
            layers[k].backward(dPre, dPrev, rows, grad, gradBase);
            g = dPrev;
        }
    }

    /** @return layer {@code k}; its blocks are {@code name.layerK.weight} and {@code name.layerK.bias}. */
    public Linear layer(int k) {
        return layers[k];
    }

    /** @return the number of {@link Linear} layers. */
    public int depth() {
        return layers.length;
    }

    @Override
    public int inputSize() {
        return layers[0].inputSize();
    }

    @Override
    public int outputSize() {
        return layers[layers.length - 1].outputSize();
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
