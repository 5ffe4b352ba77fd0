package dev.odestream.nn;

/**
 * Dynamics that stay bounded for any parameter values, in the manner of GRU-ODE (De Brouwer et al. 2019):
 * <pre>
 *   dh/dt = r * (m(h) - h),   m(h) = tanh(MLP(h)),   r = sigmoid(rho)
 * </pre>
 * row-wise on a batch, with one MLP (widths {@code {width, hidden..., width}}, output {@code tanh}) and one rate
 * {@code rho} per dimension shared by all rows.
 *
 * <p><b>Why it is bounded.</b> Each component moves towards a target {@code m_i(h)} in {@code (-1, 1)}: where
 * {@code h_i >= 1}, {@code dh_i/dt = r_i (m_i - h_i) < 0}, and where {@code h_i <= -1} it is positive. So
 * {@code |h_i(t)| <= max(|h_i(0)|, 1)} for all {@code t >= 0}, whatever the weights, the gap or the solver's steps (an
 * adaptive solver follows the exact flow to its tolerance). Over a long gap the state relaxes to a fixed point or a
 * cycle inside the unit box instead of growing: the encoder forgets, at a learned pace, rather than diverging.
 *
 * <p><b>Why a learned constant rate rather than GRU-ODE-Bayes' state-dependent gate {@code 1 - z(h)}.</b> The rate
 * {@code r_i} in {@code (0, 1)} sets, per dimension, how many time units the state takes to forget (about
 * {@code 1 / r_i}), which is what a model of irregular series needs to learn; a gate that depends on {@code h} does the
 * same with one more MLP to evaluate and differentiate on every solver stage. The constant rate also caps the part of
 * the Jacobian that does not saturate: {@code df/dh = r (dm/dh - I)} with {@code |dm/dh|} shrinking as the
 * {@code tanh} saturates, so large weights do not make a state far from the box stiff.
 *
 * <p>Parameter blocks: {@code name.layer0.weight}, ... (the MLP), then {@code name.rate} ({@code rho}, one per
 * dimension). {@link #initialiseRates} starts every {@code rho} at {@value #INITIAL_RATE_LOGIT} ({@code r = 0.12}): a
 * fresh model's state then changes slowly over a few time units, as the first models' small MLP dynamics did, so a
 * level is learned in as few steps as before, and training speeds up the dimensions that need it (at
 * {@code rho = 0}, {@code r = 1/2}, a worker's first 60 steps on series at a level lost to the EWMA baseline).
 * Allocation-free after construction; not thread-safe.
 */
public final class BoundedDynamics implements BatchDynamics {

    /** The suffix of the rate block's name. */
    public static final String RATE = ".rate";

    /** {@code rho} of a new model: {@code r = sigmoid(-2) = 0.12} per time unit. */
    public static final double INITIAL_RATE_LOGIT = -2.0;

    private final Parameters params;
    private final Mlp mlp;
    private final ParameterBlock rate;
    private final ParameterRange range;
    private final int width;
    private final int maxBatch;
    private final double[] r;
    private final double[] target;
    private final double[] pull;
    private final double[] scaled;
    private final double[] scratch;
    private int batch;

    /**
     * @param params where the blocks are registered. Modified.
     * @param name block name prefix
     * @param width state dimension per row
     * @param hidden hidden-layer widths of the MLP, possibly empty. Not modified.
     * @param act hidden activation of the MLP
     * @param batch the largest batch; also the initial batch
     */
    public BoundedDynamics(Parameters params, String name, int width, int[] hidden, Activation act, int batch) {
        int start = params.size();
        int[] widths = new int[hidden.length + 2];
        widths[0] = width;
        System.arraycopy(hidden, 0, widths, 1, hidden.length);
        widths[widths.length - 1] = width;
        this.params = params;
        this.mlp = new Mlp(params, name, widths, act, Activation.TANH, batch);
        this.rate = params.register(name + RATE, width);
        this.range = params.rangeFrom(start);
        this.width = width;
        this.maxBatch = batch;
        this.batch = batch;
        this.r = new double[width];
        this.target = new double[batch * width];
        this.pull = new double[batch * width];
        this.scaled = new double[batch * width];
        this.scratch = new double[batch * width];
    }

    /**
     * Sets every rate block of a model ({@code *.rate}, as this class names them) to {@value #INITIAL_RATE_LOGIT};
     * call after the generic initialisation, which zeroes rank-1 blocks.
     *
     * @param params Modified (values of the rate blocks only).
     */
    public static void initialiseRates(Parameters params) {
        for (ParameterBlock b : params.layout().blocks()) {
            if (b.name().endsWith(RATE)) {
                java.util.Arrays.fill(params.values(), b.offset(), b.end(), INITIAL_RATE_LOGIT);
            }
        }
    }

    @Override
    public DynamicsKind kind() {
        return DynamicsKind.BOUNDED;
    }

    @Override
    public void forward(double[] y, double[] yDot) {
        double[] values = params.values();
        for (int i = 0; i < width; i++) {
            r[i] = Activation.SIGMOID.value(values[rate.offset() + i]);
        }
        mlp.forward(y, target, batch);
        for (int b = 0; b < batch; b++) {
            int at = b * width;
            for (int i = 0; i < width; i++) {
                pull[at + i] = target[at + i] - y[at + i];
                yDot[at + i] = r[i] * pull[at + i];
            }
        }
    }

    /**
     * {@code a^T df/dh = (r a)^T dm/dh - r a}; {@code a^T df/drho_i = sum_b a_bi (m_bi - h_bi) r_i (1 - r_i)}.
     */
    @Override
    public void backward(double[] a, double[] aDfDy, double[] grad, int gradBase) {
        int n = batch * width;
        for (int b = 0; b < batch; b++) {
            for (int i = 0; i < width; i++) {
                scaled[b * width + i] = r[i] * a[b * width + i];
            }
        }
        mlp.backward(scaled, aDfDy, batch, grad, gradBase);
        for (int k = 0; k < n; k++) {
            aDfDy[k] -= scaled[k];
        }
        int base = rate.offset() - gradBase;
        for (int i = 0; i < width; i++) {
            double sum = 0.0;
            for (int b = 0; b < batch; b++) {
                sum += a[b * width + i] * pull[b * width + i];
            }
            grad[base + i] += sum * r[i] * (1.0 - r[i]);
        }
    }

    @Override
    public double[] scratch() {
        return scratch;
    }

    @Override
    public void setBatch(int batch) {
        if (batch < 1 || batch > maxBatch) {
            throw new IllegalArgumentException("batch " + batch + " outside [1, " + maxBatch + "]");
        }
        this.batch = batch;
    }

    @Override
    public int batch() {
        return batch;
    }

    @Override
    public int maxBatch() {
        return maxBatch;
    }

    @Override
    public int latent() {
        return width;
    }

    @Override
    public ParameterRange parameterRange() {
        return range;
    }

    /** @return the MLP whose {@code tanh} output is the target {@code m(h)}. */
    @Override
    public Mlp mlp() {
        return mlp;
    }

    /** @return the block of {@code rho}, {@code r = sigmoid(rho)}. */
    public ParameterBlock rateBlock() {
        return rate;
    }
}
