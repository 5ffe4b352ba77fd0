package dev.odestream.nn;

/**
 * Affine layer {@code y = x W + b} on a row-major batch: {@code x} is {@code rows x in}, the weight {@code W} is
 * stored as {@code in x out} (block {@code name.weight}, shape {@code {in, out}}), the bias {@code b} has length
 * {@code out} (block {@code name.bias}).
 *
 * <p>Why {@code in x out} rather than {@code out x in}: with this layout a row of {@code W} holds one input's weights
 * to consecutive outputs, so the forward pass reads eight contiguous weights per input for a block of eight outputs,
 * and the weight gradient is an "axpy" loop ({@code dW_row_i += x_ri * dy_row}) whose innermost index runs
 * contiguously through two arrays; only {@code dL/dx} is a dot product.
 *
 * <p>Why hand loops, not EJML: EJML's {@code CommonOps_DDRM.mult} runs the same i-k-j ("reorder") loop or a
 * dot-product loop, with no blocking, so it would not be faster; and its {@code DMatrixRMaj} always starts at index 0,
 * while our weights are views at an offset into the model's flat array, so wrapping them would cost a copy per call.
 * At the sizes a latent ODE uses (tens of features, batches of tens to hundreds) the loops below are the whole cost.
 *
 * <p>{@code forward} copies its input into a workspace, so the caller may reuse its array before {@code backward}.
 * (Within this package an {@link Mlp} skips that copy for the activations it owns.)
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
    /** What the last forward read, and so what backward needs: {@code x}, or a caller's array it promised to keep. */
    private double[] source;

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
        this.source = x;
    }

    @Override
    public void forward(double[] input, double[] y, int rows) {
        checkRows(rows);
        System.arraycopy(input, 0, x, 0, rows * in);
        source = x;
        multiply(y, rows);
    }

    /**
     * {@link #forward} without copying the input: for a caller that owns {@code input} and leaves it unchanged until
     * the matching {@link #backward} (an {@link Mlp} feeding one layer's activations to the next).
     */
    void forwardKeepingInput(double[] input, double[] y, int rows) {
        checkRows(rows);
        source = input;
        multiply(y, rows);
    }

    /**
     * Makes {@code input} what the next {@link #backward} reads as this layer's input, as if a
     * {@link #forwardKeepingInput} on it had just run: for a caller that kept each step's input and goes back through
     * the steps without re-running them. The caller leaves {@code input} unchanged until then.
     */
    void keepInput(double[] input) {
        source = input;
    }

    /**
     * {@code y = x W + b} in register blocks: each output entry is accumulated in a local over the whole input, so
     * nothing is stored until its sum is complete, and a block of two rows by eight outputs loads each weight once
     * for sixteen fused multiply-adds (a lone row takes sixteen outputs at a time instead). At these widths (8 to 96)
     * a loop over a row of {@code y} is too short for the JIT to vectorise well, and every step of it stores and
     * reloads {@code y}; the blocks run close to the scalar FMA throughput instead. Each entry is summed in input
     * order, starting from the bias, whatever block computes it. ({@code Math.fma} is one instruction on x86-64 since
     * Haswell and on AArch64; a CPU without FMA would fall back to the JDK's slow software path.)
     */
    private void multiply(double[] y, int rows) {
        int wide = out - out % 8;
        int r = 0;
        for (; r + 2 <= rows; r += 2) {
            for (int o = 0; o < wide; o += 8) {
                block2x8(r, o, y);
            }
        }
        if (r < rows) {
            lastRow(r, wide, y);
        }
        narrowOutputs(wide, y, rows);
    }

    /** A row without a partner (the only one at batch 1): sixteen outputs per block keep as many sums in flight. */
    private void lastRow(int r, int wide, double[] y) {
        int o = 0;
        for (; o + 16 <= wide; o += 16) {
            block1x16(r, o, y);
        }
        if (o < wide) {
            block1x8(r, o, y);
        }
    }

    /** The outputs from {@code o} on, fewer than eight: a block of four per two rows (or one), then single columns. */
    private void narrowOutputs(int o, double[] y, int rows) {
        if (out - o >= 4) {
            int r = 0;
            for (; r + 2 <= rows; r += 2) {
                block2x4(r, o, y);
            }
            if (r < rows) {
                block1x4(r, o, y);
            }
            o += 4;
        }
        for (; o < out; o++) {
            column(o, y, rows);
        }
    }

    private void block2x8(int r, int o, double[] y) {
        double[] x = source;
        double[] v = params.values();
        int b = bias.offset() + o;
        double c0 = v[b], c1 = v[b + 1], c2 = v[b + 2], c3 = v[b + 3];
        double c4 = v[b + 4], c5 = v[b + 5], c6 = v[b + 6], c7 = v[b + 7];
        double d0 = c0, d1 = c1, d2 = c2, d3 = c3, d4 = c4, d5 = c5, d6 = c6, d7 = c7;
        int xa = r * in;
        int xb = xa + in;
        for (int i = 0, p = weight.offset() + o; i < in; i++, p += out) {
            double a = x[xa + i];
            double e = x[xb + i];
            double w0 = v[p], w1 = v[p + 1], w2 = v[p + 2], w3 = v[p + 3];
            double w4 = v[p + 4], w5 = v[p + 5], w6 = v[p + 6], w7 = v[p + 7];
            c0 = Math.fma(a, w0, c0); c1 = Math.fma(a, w1, c1); c2 = Math.fma(a, w2, c2); c3 = Math.fma(a, w3, c3);
            c4 = Math.fma(a, w4, c4); c5 = Math.fma(a, w5, c5); c6 = Math.fma(a, w6, c6); c7 = Math.fma(a, w7, c7);
            d0 = Math.fma(e, w0, d0); d1 = Math.fma(e, w1, d1); d2 = Math.fma(e, w2, d2); d3 = Math.fma(e, w3, d3);
            d4 = Math.fma(e, w4, d4); d5 = Math.fma(e, w5, d5); d6 = Math.fma(e, w6, d6); d7 = Math.fma(e, w7, d7);
        }
        store8(y, r * out + o, c0, c1, c2, c3, c4, c5, c6, c7);
        store8(y, (r + 1) * out + o, d0, d1, d2, d3, d4, d5, d6, d7);
    }

    private void block1x16(int r, int o, double[] y) {
        double[] x = source;
        double[] v = params.values();
        int b = bias.offset() + o;
        double c0 = v[b], c1 = v[b + 1], c2 = v[b + 2], c3 = v[b + 3];
        double c4 = v[b + 4], c5 = v[b + 5], c6 = v[b + 6], c7 = v[b + 7];
        double d0 = v[b + 8], d1 = v[b + 9], d2 = v[b + 10], d3 = v[b + 11];
        double d4 = v[b + 12], d5 = v[b + 13], d6 = v[b + 14], d7 = v[b + 15];
        int xa = r * in;
        for (int i = 0, p = weight.offset() + o; i < in; i++, p += out) {
            double a = x[xa + i];
            c0 = Math.fma(a, v[p], c0); c1 = Math.fma(a, v[p + 1], c1);
            c2 = Math.fma(a, v[p + 2], c2); c3 = Math.fma(a, v[p + 3], c3);
            c4 = Math.fma(a, v[p + 4], c4); c5 = Math.fma(a, v[p + 5], c5);
            c6 = Math.fma(a, v[p + 6], c6); c7 = Math.fma(a, v[p + 7], c7);
            d0 = Math.fma(a, v[p + 8], d0); d1 = Math.fma(a, v[p + 9], d1);
            d2 = Math.fma(a, v[p + 10], d2); d3 = Math.fma(a, v[p + 11], d3);
            d4 = Math.fma(a, v[p + 12], d4); d5 = Math.fma(a, v[p + 13], d5);
            d6 = Math.fma(a, v[p + 14], d6); d7 = Math.fma(a, v[p + 15], d7);
        }
        store8(y, r * out + o, c0, c1, c2, c3, c4, c5, c6, c7);
        store8(y, r * out + o + 8, d0, d1, d2, d3, d4, d5, d6, d7);
    }

    private void block1x8(int r, int o, double[] y) {
        double[] x = source;
        double[] v = params.values();
        int b = bias.offset() + o;
        double c0 = v[b], c1 = v[b + 1], c2 = v[b + 2], c3 = v[b + 3];
        double c4 = v[b + 4], c5 = v[b + 5], c6 = v[b + 6], c7 = v[b + 7];
        int xa = r * in;
        for (int i = 0, p = weight.offset() + o; i < in; i++, p += out) {
            double a = x[xa + i];
            c0 = Math.fma(a, v[p], c0); c1 = Math.fma(a, v[p + 1], c1);
            c2 = Math.fma(a, v[p + 2], c2); c3 = Math.fma(a, v[p + 3], c3);
            c4 = Math.fma(a, v[p + 4], c4); c5 = Math.fma(a, v[p + 5], c5);
            c6 = Math.fma(a, v[p + 6], c6); c7 = Math.fma(a, v[p + 7], c7);
        }
        store8(y, r * out + o, c0, c1, c2, c3, c4, c5, c6, c7);
    }

    private void block2x4(int r, int o, double[] y) {
        double[] x = source;
        double[] v = params.values();
        int b = bias.offset() + o;
        double c0 = v[b], c1 = v[b + 1], c2 = v[b + 2], c3 = v[b + 3];
        double d0 = c0, d1 = c1, d2 = c2, d3 = c3;
        int xa = r * in;
        int xb = xa + in;
        for (int i = 0, p = weight.offset() + o; i < in; i++, p += out) {
            double a = x[xa + i];
            double e = x[xb + i];
            double w0 = v[p], w1 = v[p + 1], w2 = v[p + 2], w3 = v[p + 3];
            c0 = Math.fma(a, w0, c0); c1 = Math.fma(a, w1, c1); c2 = Math.fma(a, w2, c2); c3 = Math.fma(a, w3, c3);
            d0 = Math.fma(e, w0, d0); d1 = Math.fma(e, w1, d1); d2 = Math.fma(e, w2, d2); d3 = Math.fma(e, w3, d3);
        }
        store4(y, r * out + o, c0, c1, c2, c3);
        store4(y, (r + 1) * out + o, d0, d1, d2, d3);
    }

    private void block1x4(int r, int o, double[] y) {
        double[] x = source;
        double[] v = params.values();
        int b = bias.offset() + o;
        double c0 = v[b], c1 = v[b + 1], c2 = v[b + 2], c3 = v[b + 3];
        int xa = r * in;
        for (int i = 0, p = weight.offset() + o; i < in; i++, p += out) {
            double a = x[xa + i];
            c0 = Math.fma(a, v[p], c0); c1 = Math.fma(a, v[p + 1], c1);
            c2 = Math.fma(a, v[p + 2], c2); c3 = Math.fma(a, v[p + 3], c3);
        }
        int at = r * out + o;
        y[at] = c0; y[at + 1] = c1; y[at + 2] = c2; y[at + 3] = c3;
    }

    private static void store8(double[] y, int at, double c0, double c1, double c2, double c3, double c4, double c5,
                               double c6, double c7) {
        y[at] = c0; y[at + 1] = c1; y[at + 2] = c2; y[at + 3] = c3;
        y[at + 4] = c4; y[at + 5] = c5; y[at + 6] = c6; y[at + 7] = c7;
    }

    /** Output column {@code o} (past the blocks), four rows at a time for four independent sums. */
    private void column(int o, double[] y, int rows) {
        double[] x = source;
        double[] v = params.values();
        double bo = v[bias.offset() + o];
        int w = weight.offset() + o;
        int r = 0;
        for (; r + 4 <= rows; r += 4) {
            double c0 = bo, c1 = bo, c2 = bo, c3 = bo;
            for (int i = 0, p = w, xa = r * in; i < in; i++, p += out, xa++) {
                double wi = v[p];
                c0 = Math.fma(x[xa], wi, c0);
                c1 = Math.fma(x[xa + in], wi, c1);
                c2 = Math.fma(x[xa + 2 * in], wi, c2);
                c3 = Math.fma(x[xa + 3 * in], wi, c3);
            }
            y[r * out + o] = c0;
            y[(r + 1) * out + o] = c1;
            y[(r + 2) * out + o] = c2;
            y[(r + 3) * out + o] = c3;
        }
        for (; r < rows; r++) {
            double c = bo;
            for (int i = 0, p = w, xa = r * in; i < in; i++, p += out, xa++) {
                c = Math.fma(x[xa], v[p], c);
            }
            y[r * out + o] = c;
        }
    }

    /**
     * {@code dW += x^T dOut}, {@code db += sum_r dOut[r]} and {@code dIn = dOut W^T}, in register blocks as
     * {@link #multiply}: each entry of a block is summed in a local over the rows (for the parameters) or the outputs
     * (for the input gradient) and stored once, where a loop of row updates would load and store the whole gradient
     * once per row. Every entry is summed in the same order whatever block computes it, so a row's input gradient
     * does not depend on its place in the batch.
     */
    @Override
    public void backward(double[] dOut, double[] dIn, int rows, double[] grad, int gradBase) {
        checkRows(rows);
        weightGradient(dOut, rows, grad, weight.offset() - gradBase);
        biasGradient(dOut, rows, grad, bias.offset() - gradBase);
        if (dIn != null) {
            inputGradient(dOut, dIn, rows);
        }
    }

    /**
     * {@code grad[gw + i * out + o] += sum_r x[r, i] dOut[r, o]}: blocks of four inputs by four outputs; the inputs
     * and outputs past them in strips of four independent sums (a lone sum over the rows waits on its own latency).
     */
    private void weightGradient(double[] dOut, int rows, double[] grad, int gw) {
        int wideIn = in - in % 4;
        int wideOut = out - out % 4;
        for (int o = 0; o < wideOut; o += 4) {
            for (int i = 0; i < wideIn; i += 4) {
                weightBlock4x4(dOut, rows, i, o, grad, gw);
            }
            for (int i = wideIn; i < in; i++) {
                weightInputStrip(dOut, rows, i, o, grad, gw);
            }
        }
        for (int o = wideOut; o < out; o++) {
            for (int i = 0; i < wideIn; i += 4) {
                weightOutputStrip(dOut, rows, i, o, grad, gw);
            }
            for (int i = wideIn; i < in; i++) {
                double c = 0.0;
                for (int r = 0, xa = i, da = o; r < rows; r++, xa += in, da += out) {
                    c = Math.fma(source[xa], dOut[da], c);
                }
                grad[gw + i * out + o] += c;
            }
        }
    }

    /** One input against four outputs: four sums over the rows. */
    private void weightInputStrip(double[] dOut, int rows, int i, int o, double[] grad, int gw) {
        double[] x = source;
        double c0 = 0, c1 = 0, c2 = 0, c3 = 0;
        for (int r = 0, xa = i, da = o; r < rows; r++, xa += in, da += out) {
            double xi = x[xa];
            c0 = Math.fma(xi, dOut[da], c0); c1 = Math.fma(xi, dOut[da + 1], c1);
            c2 = Math.fma(xi, dOut[da + 2], c2); c3 = Math.fma(xi, dOut[da + 3], c3);
        }
        add4(grad, gw + i * out + o, c0, c1, c2, c3);
    }

    /** Four inputs against one output: four sums over the rows. */
    private void weightOutputStrip(double[] dOut, int rows, int i, int o, double[] grad, int gw) {
        double[] x = source;
        double c0 = 0, c1 = 0, c2 = 0, c3 = 0;
        for (int r = 0, xa = i, da = o; r < rows; r++, xa += in, da += out) {
            double d = dOut[da];
            c0 = Math.fma(x[xa], d, c0); c1 = Math.fma(x[xa + 1], d, c1);
            c2 = Math.fma(x[xa + 2], d, c2); c3 = Math.fma(x[xa + 3], d, c3);
        }
        int at = gw + i * out + o;
        grad[at] += c0;
        grad[at + out] += c1;
        grad[at + 2 * out] += c2;
        grad[at + 3 * out] += c3;
    }

    private void weightBlock4x4(double[] dOut, int rows, int i, int o, double[] grad, int gw) {
        double[] x = source;
        double c00 = 0, c01 = 0, c02 = 0, c03 = 0, c10 = 0, c11 = 0, c12 = 0, c13 = 0;
        double c20 = 0, c21 = 0, c22 = 0, c23 = 0, c30 = 0, c31 = 0, c32 = 0, c33 = 0;
        for (int r = 0, xa = i, da = o; r < rows; r++, xa += in, da += out) {
            double x0 = x[xa], x1 = x[xa + 1], x2 = x[xa + 2], x3 = x[xa + 3];
            double d0 = dOut[da], d1 = dOut[da + 1], d2 = dOut[da + 2], d3 = dOut[da + 3];
            c00 = Math.fma(x0, d0, c00); c01 = Math.fma(x0, d1, c01); c02 = Math.fma(x0, d2, c02);
            c03 = Math.fma(x0, d3, c03); c10 = Math.fma(x1, d0, c10); c11 = Math.fma(x1, d1, c11);
            c12 = Math.fma(x1, d2, c12); c13 = Math.fma(x1, d3, c13); c20 = Math.fma(x2, d0, c20);
            c21 = Math.fma(x2, d1, c21); c22 = Math.fma(x2, d2, c22); c23 = Math.fma(x2, d3, c23);
            c30 = Math.fma(x3, d0, c30); c31 = Math.fma(x3, d1, c31); c32 = Math.fma(x3, d2, c32);
            c33 = Math.fma(x3, d3, c33);
        }
        add4(grad, gw + i * out + o, c00, c01, c02, c03);
        add4(grad, gw + (i + 1) * out + o, c10, c11, c12, c13);
        add4(grad, gw + (i + 2) * out + o, c20, c21, c22, c23);
        add4(grad, gw + (i + 3) * out + o, c30, c31, c32, c33);
    }

    private static void add4(double[] g, int at, double c0, double c1, double c2, double c3) {
        g[at] += c0; g[at + 1] += c1; g[at + 2] += c2; g[at + 3] += c3;
    }

    /** {@code grad[gb + o] += sum_r dOut[r, o]}, four outputs at a time. */
    private void biasGradient(double[] dOut, int rows, double[] grad, int gb) {
        int o = 0;
        for (; o + 4 <= out; o += 4) {
            double c0 = 0, c1 = 0, c2 = 0, c3 = 0;
            for (int r = 0, da = o; r < rows; r++, da += out) {
                c0 += dOut[da]; c1 += dOut[da + 1]; c2 += dOut[da + 2]; c3 += dOut[da + 3];
            }
            add4(grad, gb + o, c0, c1, c2, c3);
        }
        for (; o < out; o++) {
            double c = 0;
            for (int r = 0, da = o; r < rows; r++, da += out) {
                c += dOut[da];
            }
            grad[gb + o] += c;
        }
    }

    /** {@code dIn[r, i] = sum_o dOut[r, o] W[i, o]}: blocks of four rows by four inputs, then single entries. */
    private void inputGradient(double[] dOut, double[] dIn, int rows) {
        int wideRows = rows - rows % 4;
        int wideIn = in - in % 4;
        for (int r = 0; r < wideRows; r += 4) {
            for (int i = 0; i < wideIn; i += 4) {
                inputBlock4x4(dOut, dIn, r, i);
            }
        }
        for (int r = 0; r < wideRows; r += 4) {
            for (int i = wideIn; i < in; i++) {
                inputStrip(dOut, dIn, r, i);
            }
        }
        for (int r = wideRows; r < rows; r++) {
            for (int i = 0; i < in; i++) {
                dIn[r * in + i] = inputEntry(dOut, r, i);
            }
        }
    }

    /** Four rows against one input: four sums over the outputs. */
    private void inputStrip(double[] dOut, double[] dIn, int r, int i) {
        double[] v = params.values();
        double c0 = 0, c1 = 0, c2 = 0, c3 = 0;
        int da = r * out;
        int p = weight.offset() + i * out;
        for (int o = 0; o < out; o++) {
            double w = v[p + o];
            c0 = Math.fma(dOut[da + o], w, c0); c1 = Math.fma(dOut[da + out + o], w, c1);
            c2 = Math.fma(dOut[da + 2 * out + o], w, c2); c3 = Math.fma(dOut[da + 3 * out + o], w, c3);
        }
        dIn[r * in + i] = c0;
        dIn[(r + 1) * in + i] = c1;
        dIn[(r + 2) * in + i] = c2;
        dIn[(r + 3) * in + i] = c3;
    }

    private double inputEntry(double[] dOut, int r, int i) {
        double[] v = params.values();
        double c = 0.0;
        for (int o = 0, da = r * out, p = weight.offset() + i * out; o < out; o++) {
            c = Math.fma(dOut[da + o], v[p + o], c);
        }
        return c;
    }

    private void inputBlock4x4(double[] dOut, double[] dIn, int r, int i) {
        double[] v = params.values();
        double c00 = 0, c01 = 0, c02 = 0, c03 = 0, c10 = 0, c11 = 0, c12 = 0, c13 = 0;
        double c20 = 0, c21 = 0, c22 = 0, c23 = 0, c30 = 0, c31 = 0, c32 = 0, c33 = 0;
        int da = r * out;
        int p = weight.offset() + i * out;
        for (int o = 0; o < out; o++) {
            double d0 = dOut[da + o], d1 = dOut[da + out + o], d2 = dOut[da + 2 * out + o];
            double d3 = dOut[da + 3 * out + o];
            double w0 = v[p + o], w1 = v[p + out + o], w2 = v[p + 2 * out + o], w3 = v[p + 3 * out + o];
            c00 = Math.fma(d0, w0, c00); c01 = Math.fma(d0, w1, c01); c02 = Math.fma(d0, w2, c02);
            c03 = Math.fma(d0, w3, c03); c10 = Math.fma(d1, w0, c10); c11 = Math.fma(d1, w1, c11);
            c12 = Math.fma(d1, w2, c12); c13 = Math.fma(d1, w3, c13); c20 = Math.fma(d2, w0, c20);
            c21 = Math.fma(d2, w1, c21); c22 = Math.fma(d2, w2, c22); c23 = Math.fma(d2, w3, c23);
            c30 = Math.fma(d3, w0, c30); c31 = Math.fma(d3, w1, c31); c32 = Math.fma(d3, w2, c32);
            c33 = Math.fma(d3, w3, c33);
        }
        store4(dIn, r * in + i, c00, c01, c02, c03);
        store4(dIn, (r + 1) * in + i, c10, c11, c12, c13);
        store4(dIn, (r + 2) * in + i, c20, c21, c22, c23);
        store4(dIn, (r + 3) * in + i, c30, c31, c32, c33);
    }

    private static void store4(double[] y, int at, double c0, double c1, double c2, double c3) {
        y[at] = c0; y[at + 1] = c1; y[at + 2] = c2; y[at + 3] = c3;
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
