package dev.odestream.nn;

/**
 * Gated recurrent unit (Cho et al. 2014) on a row-major batch, in the "reset after the hidden product" form:
 * <pre>
 *   [gx_r | gx_z | gx_n] = x W_x + b_x          (block name.input:  W_x is in x 3H)
 *   [gh_r | gh_z | gh_n] = h W_h + b_h          (block name.hidden: W_h is H x 3H)
 *   r  = sigmoid(gx_r + gh_r)                   reset gate
 *   z  = sigmoid(gx_z + gh_z)                   update gate
 *   n  = tanh(gx_n + r * gh_n)                  candidate
 *   h' = (1 - z) * n + z * h
 * </pre>
 * so {@code z = 1} keeps the old state. Both products are {@link Linear} layers ({@code name.input.weight},
 * {@code name.input.bias}, {@code name.hidden.weight}, {@code name.hidden.bias}), contiguous in the flat arrays.
 *
 * <p>Gradients are routed like {@link Layer#backward(double[], double[], int, double[], int)}. {@code forward} copies
 * {@code h}, so {@code hOut} may be the same array as {@code h} (an in-place state update), and
 * {@code backward} likewise accepts {@code dHPrev == dH}.
 *
 * <p>A recurrence back-propagated step by step needs each step's gate values in its backward pass. The plain
 * {@link #forward(double[], double[], double[], int)} keeps only the last step's; a caller that runs many steps
 * before going back gives each its own {@link Tape}, so the backward pass reads the gates rather than re-running the
 * forward pass to restore them.
 */
public final class GruCell {

    private final Parameters params;
    private final Linear inputLinear;
    private final Linear hiddenLinear;
    private final ParameterRange range;
    private final int hidden;
    private final int maxRows;
    private final double[] gx;
    private final double[] gh;
    private final Tape own;
    private final double[] pre;
    private final double[] dgx;
    private final double[] dgh;
    private final double[] dDirect;

    /**
     * @param params where the blocks are registered. Modified.
     * @param name block name prefix
     * @param inputSize features of {@code x}
     * @param hiddenSize features of {@code h}, {@code H}
     * @param maxRows the largest batch
     */
    public GruCell(Parameters params, String name, int inputSize, int hiddenSize, int maxRows) {
        int start = params.size();
        this.params = params;
        this.inputLinear = new Linear(params, name + ".input", inputSize, 3 * hiddenSize, maxRows);
        this.hiddenLinear = new Linear(params, name + ".hidden", hiddenSize, 3 * hiddenSize, maxRows);
        this.range = params.rangeFrom(start);
        this.hidden = hiddenSize;
        this.maxRows = maxRows;
        int gates = maxRows * 3 * hiddenSize;
        int states = maxRows * hiddenSize;
        this.gx = new double[gates];
        this.gh = new double[gates];
        this.dgx = new double[gates];
        this.dgh = new double[gates];
        this.own = new Tape(this, maxRows);
        this.pre = new double[states];
        this.dDirect = new double[states];
    }

    /**
     * @param x {@code rows x inputSize()}. Not modified.
     * @param h previous state, {@code rows x hiddenSize()}. Not modified (unless it is hOut).
     * @param hOut receives the new state, {@code rows x hiddenSize()}. Modified.
     * @param rows batch size, at most {@link #maxRows()}
     */
    public void forward(double[] x, double[] h, double[] hOut, int rows) {
        forward(x, h, hOut, rows, own);
    }

    /**
     * {@link #forward(double[], double[], double[], int)} keeping what the backward pass needs in {@code tape}.
     *
     * @param tape receives the step's input, input state and gates; at least {@code rows} rows. Modified.
     */
    public void forward(double[] x, double[] h, double[] hOut, int rows, Tape tape) {
        tape.check(this, rows);
        int count = rows * hidden;
        System.arraycopy(x, 0, tape.x, 0, rows * inputSize());
        System.arraycopy(h, 0, tape.hPrev, 0, count);
        inputLinear.forwardKeepingInput(tape.x, gx, rows);
        hiddenLinear.forwardKeepingInput(tape.hPrev, gh, rows);
        double[] r = tape.r;
        double[] z = tape.z;
        double[] n = tape.n;
        double[] hPrev = tape.hPrev;
        gateSum(0, 0.5, rows);
        sigmoid(count, r);
        gateSum(hidden, 0.5, rows);
        sigmoid(count, z);
        candidateInput(rows, r, tape.ghN);
        Activation.TANH.forward(pre, n, count);
        for (int i = 0; i < count; i++) {
            hOut[i] = (1.0 - z[i]) * n[i] + z[i] * hPrev[i];
        }
    }

    /** {@code pre = scale * (gx + gh)} of the gate starting at column {@code gate}, row by row. */
    private void gateSum(int gate, double scale, int rows) {
        for (int row = 0; row < rows; row++) {
            int g = row * 3 * hidden + gate;
            int s = row * hidden;
            for (int j = 0; j < hidden; j++) {
                pre[s + j] = scale * (gx[g + j] + gh[g + j]);
            }
        }
    }

    /**
     * {@code out = sigmoid(a)} from {@code pre = a / 2}, as {@code (1 + tanh(a / 2)) / 2}: the vectorised tanh rather
     * than an exp call per entry. Exact to absolute round-off, which is all a gate needs ({@link Activation#SIGMOID}
     * also keeps relative accuracy far in the negative tail).
     */
    private void sigmoid(int count, double[] out) {
        Activation.TANH.forward(pre, out, count);
        for (int i = 0; i < count; i++) {
            out[i] = 0.5 + 0.5 * out[i];
        }
    }

    /** {@code pre = gx_n + r * gh_n}, the candidate's input; keeps {@code gh_n} for the backward pass. */
    private void candidateInput(int rows, double[] r, double[] ghN) {
        for (int row = 0; row < rows; row++) {
            int g = row * 3 * hidden + 2 * hidden;
            int s = row * hidden;
            for (int j = 0; j < hidden; j++) {
                ghN[s + j] = gh[g + j];
                pre[s + j] = gx[g + j] + r[s + j] * gh[g + j];
            }
        }
    }

    /**
     * Vector-Jacobian product through the last {@link #forward}, accumulating parameter gradients into the model's
     * {@link Parameters#gradients()}.
     *
     * @see #backward(double[], double[], double[], int, double[], int)
     */
    public void backward(double[] dH, double[] dX, double[] dHPrev, int rows) {
        backward(dH, dX, dHPrev, rows, params.gradients(), 0);
    }

    /**
     * Vector-Jacobian product through the last {@link #forward}.
     *
     * @param dH {@code dL/dh'}, {@code rows x hiddenSize()}. Not modified (unless it is dHPrev).
     * @param dX receives {@code dL/dx}; may be {@code null}. Modified.
     * @param dHPrev receives {@code dL/dh}; may be {@code null}. Modified.
     * @param rows the batch size of the last forward
     * @param grad gradient target; parameter {@code k} accumulates into {@code grad[k - gradBase]}. Modified.
     * @param gradBase flat index that maps to {@code grad[0]}
     */
    public void backward(double[] dH, double[] dX, double[] dHPrev, int rows, double[] grad, int gradBase) {
        backward(dH, dX, dHPrev, rows, grad, gradBase, own);
    }

    /**
     * Vector-Jacobian product through the {@link #forward(double[], double[], double[], int, Tape)} that filled
     * {@code tape}, whatever ran since.
     *
     * @see #backward(double[], double[], double[], int, double[], int)
     */
    public void backward(double[] dH, double[] dX, double[] dHPrev, int rows, double[] grad, int gradBase,
                         Tape tape) {
        tape.check(this, rows);
        for (int row = 0; row < rows; row++) {
            backwardRow(row, dH, tape);
        }
        inputLinear.keepInput(tape.x);
        hiddenLinear.keepInput(tape.hPrev);
        inputLinear.backward(dgx, dX, rows, grad, gradBase);
        hiddenLinear.backward(dgh, dHPrev, rows, grad, gradBase);
        if (dHPrev != null) {
            for (int i = 0; i < rows * hidden; i++) {
                dHPrev[i] += dDirect[i];
            }
        }
    }

    /** Gate gradients of one row into dgx, dgh, and the direct path {@code dL/dh' * z} into dDirect. */
    private void backwardRow(int row, double[] dH, Tape tape) {
        double[] r = tape.r;
        double[] z = tape.z;
        double[] n = tape.n;
        double[] hPrev = tape.hPrev;
        double[] ghN = tape.ghN;
        int g = row * 3 * hidden;
        int s = row * hidden;
        for (int j = 0; j < hidden; j++) {
            double dh = dH[s + j];
            double rj = r[s + j];
            double zj = z[s + j];
            double nj = n[s + j];
            double dnPre = dh * (1.0 - zj) * (1.0 - nj * nj);
            double dzPre = dh * (hPrev[s + j] - nj) * zj * (1.0 - zj);
            double drPre = dnPre * ghN[s + j] * rj * (1.0 - rj);
            dgx[g + j] = drPre;
            dgh[g + j] = drPre;
            dgx[g + hidden + j] = dzPre;
            dgh[g + hidden + j] = dzPre;
            dgx[g + 2 * hidden + j] = dnPre;
            dgh[g + 2 * hidden + j] = dnPre * rj;
            dDirect[s + j] = dh * zj;
        }
    }

    /** @return the input-to-gates layer, blocks {@code name.input.*}. */
    public Linear inputLinear() {
        return inputLinear;
    }

    /** @return the state-to-gates layer, blocks {@code name.hidden.*}. */
    public Linear hiddenLinear() {
        return hiddenLinear;
    }

    /** @return features of {@code x}. */
    public int inputSize() {
        return inputLinear.inputSize();
    }

    /** @return features of {@code h}. */
    public int hiddenSize() {
        return hidden;
    }

    /** @return the largest batch. */
    public int maxRows() {
        return maxRows;
    }

    /** @return the flat slice holding this cell's parameters. */
    public ParameterRange parameterRange() {
        return range;
    }

    /** @return the parameter store this cell registered its blocks in. */
    public Parameters parameters() {
        return params;
    }

    /**
     * What the backward pass of one step reads: the step's input {@code x}, its input state {@code h}, the gates
     * {@code r}, {@code z}, {@code n} and the hidden product's candidate part {@code gh_n}; {@code rows x (in + 5H)}
     * values, sized once.
     */
    public static final class Tape {

        private final int inputSize;
        private final int hidden;
        private final int rows;
        private final double[] x;
        private final double[] hPrev;
        private final double[] r;
        private final double[] z;
        private final double[] n;
        private final double[] ghN;

        /**
         * @param cell the cell whose steps it keeps
         * @param rows the largest batch it keeps
         */
        public Tape(GruCell cell, int rows) {
            this.inputSize = cell.inputSize();
            this.hidden = cell.hiddenSize();
            this.rows = rows;
            int states = rows * hidden;
            this.x = new double[rows * inputSize];
            this.hPrev = new double[states];
            this.r = new double[states];
            this.z = new double[states];
            this.n = new double[states];
            this.ghN = new double[states];
        }

        /** @return the input state of the step kept, {@code rows x hiddenSize()}; the caller must not modify it. */
        public double[] inputState() {
            return hPrev;
        }

        private void check(GruCell cell, int used) {
            if (inputSize != cell.inputSize() || hidden != cell.hiddenSize() || used > rows) {
                throw new IllegalArgumentException("tape of " + rows + " x (" + inputSize + ", " + hidden
                        + ") does not fit " + used + " rows x (" + cell.inputSize() + ", " + cell.hiddenSize() + ")");
            }
        }
    }
}
