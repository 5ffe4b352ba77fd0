package dev.odestream.train.baseline;

import dev.odestream.data.Spiral;
import dev.odestream.nn.GruCell;
import dev.odestream.nn.Initializers;
import dev.odestream.nn.Linear;
import dev.odestream.nn.Parameters;
import dev.odestream.train.Evaluation;
import dev.odestream.train.TrainableModel;
import dev.odestream.train.TrainingStep;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * The RNN baseline of Chen et al. 2018, Table 2, for the bidirectional spirals: a GRU that reads each point together
 * with a time delta, and a linear readout that predicts the next point.
 *
 * <h2>The recurrence</h2>
 * For a spiral with observations {@code (t_0, x_0) .. (t_{n-1}, x_{n-1})} and query times {@code q_0 < .. < q_{m-1}}
 * after the window, let {@code tau = (t_0, .., t_{n-1}, q_0, .., q_{m-1})}. Starting from {@code h_0 = 0}, step
 * {@code s} computes
 * <pre>
 *   u_s     = [ v_s / valueScale,  (tau_{s+1} - tau_s) * deltaScale ]
 *   h_{s+1} = GRU(u_s, h_s)
 *   y_{s+1} = valueScale * (h_{s+1} W + b)        the prediction at tau_{s+1}
 * </pre>
 * where {@code v_s = x_s} while {@code s < n} (observed) and {@code v_s = y_s}, the model's own prediction, after
 * that. So the delta that comes with a point is the time from it to the point being predicted. The other reading of
 * "time-delta input", the gap back to the previous observation, would leave the readout blind to how far ahead it
 * predicts: after the last observation it could not tell a query 0.03 ahead from one 0.3 ahead.
 *
 * <h2>Extrapolation</h2>
 * Run steps {@code 0 .. n-1} over the observations, the last of which predicts {@code q_0}; then feed each
 * prediction back with the delta to the next query time, {@code m - 1} more steps, which gives all {@code m} points
 * in {@code n - 1 + m} steps. This works for any query times after the last observation.
 *
 * <h2>Loss</h2>
 * The mean squared error over the predicted coordinates of a window (see {@link RnnObjective}): the {@code n - 1}
 * teacher-forced next-observation predictions, or the {@code m} rolled-out extrapolation points.
 * {@link #evaluate} scores the extrapolation against the noisy targets, so {@link #metric} is the RMSE of
 * {@link dev.odestream.data.SpiralDataset#rmse} with {@code clean = false}.
 *
 * <h2>Backprop through time</h2>
 * {@link GruCell} keeps the caches of its last forward only, so the backward pass re-runs each step's forward from
 * the stored state and input just before its {@code backward}: memory is one state per step, and compute two
 * forwards and one backward. Every workspace is sized at construction for {@code maxBatch} rows and
 * {@code maxSteps} steps; after that, training and evaluation allocate nothing but the {@link Evaluation} result.
 *
 * <p>Not thread-safe: the trainer runs one {@link #replicate() replica} per worker.
 */
public final class GruRnnBaseline implements TrainableModel<Spiral> {

    private static final int D = Spiral.DIMENSION;
    private static final int IN = D + 1;

    private final GruRnnBaselineConfig config;
    private final long seed;
    private final Parameters params = new Parameters();
    private final GruCell gru;
    private final Linear readout;
    private final int hidden;
    private final int maxBatch;
    private final double[][] inputs;
    private final double[][] states;
    private final double[][] outputs;
    private final double[] dState;
    private final double[] dInput;
    private final double[] dOutput;
    private final double[] dReadoutState;
    private final double[] scratchState;
    private final double[] scratchOutput;
    private int rows;
    private int observed;
    private int targets;
    private int steps;
    private int firstFed;
    private int firstScored;
    private long forwardCalls;
    private long backwardCalls;

    /**
     * Builds the layers (blocks {@code rnn.gru.*} and {@code rnn.readout.*}) and initialises them: Glorot-uniform
     * weights, zero biases.
     *
     * @param config architecture and workspace sizes
     * @param seed seeds the initial weights
     */
    public GruRnnBaseline(GruRnnBaselineConfig config, long seed) {
        this.config = config;
        this.seed = seed;
        this.hidden = config.hiddenSize();
        this.maxBatch = config.maxBatch();
        this.gru = new GruCell(params, "rnn.gru", IN, hidden, maxBatch);
        this.readout = new Linear(params, "rnn.readout", hidden, D, maxBatch);
        Initializers.glorotWeightsZeroBiases(params, seed);
        int maxSteps = config.maxSteps();
        this.inputs = new double[maxSteps][maxBatch * IN];
        this.states = new double[maxSteps + 1][maxBatch * hidden];
        this.outputs = new double[maxSteps][maxBatch * D];
        this.dState = new double[maxBatch * hidden];
        this.dInput = new double[maxBatch * IN];
        this.dOutput = new double[maxBatch * D];
        this.dReadoutState = new double[maxBatch * hidden];
        this.scratchState = new double[maxBatch * hidden];
        this.scratchOutput = new double[maxBatch * D];
    }

    @Override
    public Parameters parameters() {
        return params;
    }

    @Override
    public GruRnnBaseline replicate() {
        GruRnnBaseline copy = new GruRnnBaseline(config, seed);
        System.arraycopy(params.values(), 0, copy.params.values(), 0, params.size());
        return copy;
    }

    /** @return the configuration. */
    public GruRnnBaselineConfig config() {
        return config;
    }

    @Override
    public double lossAndGradient(List<Spiral> windows, TrainingStep step, double[] gradOut) {
        boolean rollout = config.objective() == RnnObjective.EXTRAPOLATION;
        double loss = 0.0;
        for (int from = 0; from < windows.size(); from += maxBatch) {
            plan(windows, from, Math.min(windows.size(), from + maxBatch), rollout);
            forward(windows, from);
            loss += backward(windows, from, gradOut);
        }
        return loss;
    }

    /** Sums the squared errors of the extrapolation over every target coordinate against the noisy targets. */
    @Override
    public Evaluation evaluate(List<Spiral> windows) {
        double sum = 0.0;
        long count = 0;
        for (int from = 0; from < windows.size(); from += maxBatch) {
            plan(windows, from, Math.min(windows.size(), from + maxBatch), true);
            forward(windows, from);
            sum += squaredError(windows, from);
            count += (long) rows * targets * D;
        }
        return new Evaluation(sum, count);
    }

    /** @return the root of the mean squared error: the RMSE of Table 2. */
    @Override
    public double metric(Evaluation total) {
        return Math.sqrt(total.mean());
    }

    @Override
    public String metricName() {
        return "rmse";
    }

    /**
     * Extrapolates each spiral from its observations to its target times.
     *
     * @param spirals Not modified.
     * @return per spiral, the predictions at its target times, row-major ({@code 2 * targetCount()} values); the
     *         layout {@link dev.odestream.data.SpiralDataset#rmse} expects
     */
    public List<double[]> extrapolate(List<Spiral> spirals) {
        List<double[]> predictions = new ArrayList<>(spirals.size());
        for (int from = 0; from < spirals.size(); from += maxBatch) {
            plan(spirals, from, Math.min(spirals.size(), from + maxBatch), true);
            forward(spirals, from);
            for (int r = 0; r < rows; r++) {
                predictions.add(rolledOut(r));
            }
        }
        return predictions;
    }

    @Override
    public Map<String, String> hyperparameters() {
        return Map.of("model", "gru-rnn-baseline", "input", "value,delta-to-next", "dimension", Integer.toString(D),
                "hiddenSize", Integer.toString(hidden), "deltaScale", Double.toString(config.deltaScale()),
                "valueScale", Double.toString(config.valueScale()));
    }

    /** Batched GRU cell calls, forward (including the recomputation in backprop) and backward. */
    @Override
    public Map<String, Number> counters() {
        return Map.of("gru.forward", forwardCalls, "gru.backward", backwardCalls);
    }

    @Override
    public void resetCounters() {
        forwardCalls = 0;
        backwardCalls = 0;
    }

    /**
     * Sets the shape of the chunk {@code [from, to)}: teacher forcing runs {@code n - 1} steps on observations; a
     * rollout runs {@code n - 1 + m}, feeding predictions from step {@code n} on and scoring from step {@code n - 1}.
     */
    private void plan(List<Spiral> windows, int from, int to, boolean rollout) {
        rows = to - from;
        observed = windows.get(from).observedCount();
        targets = windows.get(from).targetCount();
        for (int r = from + 1; r < to; r++) {
            if (windows.get(r).observedCount() != observed || windows.get(r).targetCount() != targets) {
                throw new IllegalArgumentException("spirals in one batch must share their observation and target"
                        + " counts; spiral " + windows.get(r).index() + " differs");
            }
        }
        steps = rollout ? observed - 1 + targets : observed - 1;
        firstFed = rollout ? observed : steps;
        firstScored = rollout ? observed - 1 : 0;
        if (steps < 1 || steps > config.maxSteps() || (rollout && targets < 1)) {
            throw new IllegalArgumentException("a sequence of " + observed + " observations and " + targets
                    + " targets needs " + steps + " steps; this model runs 1 to " + config.maxSteps());
        }
    }

    private void forward(List<Spiral> windows, int from) {
        Arrays.fill(states[0], 0, rows * hidden, 0.0);
        for (int s = 0; s < steps; s++) {
            fillInput(windows, from, s);
            gru.forward(inputs[s], states[s], states[s + 1], rows);
            readout.forward(states[s + 1], outputs[s], rows);
        }
        forwardCalls += steps;
    }

    private void fillInput(List<Spiral> windows, int from, int s) {
        double[] u = inputs[s];
        for (int r = 0; r < rows; r++) {
            Spiral spiral = windows.get(from + r);
            for (int d = 0; d < D; d++) {
                u[r * IN + d] = s < firstFed ? spiral.observedValue(s, d) / config.valueScale()
                        : outputs[s - 1][r * D + d];
            }
            u[r * IN + D] = (time(spiral, s + 1) - time(spiral, s)) * config.deltaScale();
        }
    }

    /** Backprop through time; returns the summed loss of the chunk and adds its gradient to {@code grad}. */
    private double backward(List<Spiral> windows, int from, double[] grad) {
        Arrays.fill(dState, 0, rows * hidden, 0.0);
        double loss = 0.0;
        for (int s = steps - 1; s >= 0; s--) {
            loss += lossGradient(windows, from, s);
            boolean fedForward = s + 1 < steps && s + 1 >= firstFed;
            if (fedForward) {
                addFeedbackGradient();
            }
            if (s >= firstScored || fedForward) {
                backpropReadout(s, grad);
            }
            gru.forward(inputs[s], states[s], scratchState, rows);
            gru.backward(dState, s >= firstFed ? dInput : null, dState, rows, grad, 0);
        }
        forwardCalls += steps;
        backwardCalls += steps;
        return loss;
    }

    /** Writes {@code dL/dout} of step {@code s} into dOutput and returns the step's share of the summed loss. */
    private double lossGradient(List<Spiral> windows, int from, int s) {
        if (s < firstScored) {
            Arrays.fill(dOutput, 0, rows * D, 0.0);
            return 0.0;
        }
        double perWindow = 1.0 / ((double) (steps - firstScored) * D);
        double scale = config.valueScale();
        double loss = 0.0;
        for (int r = 0; r < rows; r++) {
            Spiral spiral = windows.get(from + r);
            for (int d = 0; d < D; d++) {
                double error = scale * outputs[s][r * D + d] - value(spiral, s + 1, d);
                loss += error * error * perWindow;
                dOutput[r * D + d] = 2.0 * scale * error * perWindow;
            }
        }
        return loss;
    }

    /** The output of step {@code s} is the value input of step {@code s + 1}, whose gradient dInput holds. */
    private void addFeedbackGradient() {
        for (int r = 0; r < rows; r++) {
            for (int d = 0; d < D; d++) {
                dOutput[r * D + d] += dInput[r * IN + d];
            }
        }
    }

    private void backpropReadout(int s, double[] grad) {
        readout.forward(states[s + 1], scratchOutput, rows);
        readout.backward(dOutput, dReadoutState, rows, grad, 0);
        for (int i = 0; i < rows * hidden; i++) {
            dState[i] += dReadoutState[i];
        }
    }

    private double squaredError(List<Spiral> windows, int from) {
        double sum = 0.0;
        for (int s = firstScored; s < steps; s++) {
            for (int r = 0; r < rows; r++) {
                Spiral spiral = windows.get(from + r);
                for (int d = 0; d < D; d++) {
                    double error = config.valueScale() * outputs[s][r * D + d] - value(spiral, s + 1, d);
                    sum += error * error;
                }
            }
        }
        return sum;
    }

    private double[] rolledOut(int r) {
        double[] prediction = new double[targets * D];
        for (int k = 0; k < targets; k++) {
            for (int d = 0; d < D; d++) {
                prediction[k * D + d] = config.valueScale() * outputs[firstScored + k][r * D + d];
            }
        }
        return prediction;
    }

    /** @return {@code tau_k}: observation times, then target times. */
    private double time(Spiral spiral, int k) {
        return k < observed ? spiral.observedTime(k) : spiral.targetTime(k - observed);
    }

    /** @return coordinate {@code d} of the point at {@code tau_k}: observed, then noisy target. */
    private double value(Spiral spiral, int k, int d) {
        return k < observed ? spiral.observedValue(k, d) : spiral.targetValue(k - observed, d);
    }
}
