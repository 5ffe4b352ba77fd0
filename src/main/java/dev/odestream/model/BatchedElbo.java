package dev.odestream.model;

import dev.odestream.nn.Activation;
import dev.odestream.nn.BatchDynamics;
import dev.odestream.nn.GruCell;
import dev.odestream.nn.Linear;
import dev.odestream.nn.Mlp;
import dev.odestream.nn.ParameterBlock;
import dev.odestream.nn.Parameters;
import dev.odestream.ode.Method;
import dev.odestream.ode.SolverOptions;
import dev.odestream.ode.adjoint.AdjointSolver;

import java.util.Arrays;
import java.util.List;

/**
 * The negative ELBO of a batch of windows and its gradient: the one place the training loss is written. A single
 * window is a batch of one. Each batch has one ODE solve per segment of a union grid, forward and adjoint, in the
 * manner of Rubanova et al.'s {@code latent_ode} code: a state of {@code B x H} for the encoder and
 * {@code B x (L + K)} for the latent path, one step-size control and one error norm for the batch, and an adjoint
 * state {@code [y, a, dL/dtheta]} whose parameter part is summed over the batch.
 *
 * <p><b>Each window keeps its own model.</b> Batching changes step sizes, not the loss: a window's loss in a batch
 * equals its loss alone to solver tolerance.
 * <ul>
 *   <li>The encoder runs forward in time (causal, as the streaming engine's {@link OdeRnnEncoder#observe}) over the
 *       union of the batch's context times. Between consecutive union times the ODE moves only the series whose
 *       span (first to last context event) covers the interval ({@link MaskedRows}); at a union time the GRU
 *       updates only the series that have an event there, the others keep their state (a masked update); several
 *       events of one series at one time are as many masked passes. Each series' state therefore stops at its own
 *       last event, {@code tau_b}, where the posterior head reads it. With {@link BatchedElbo.Recognition#RNN}
 *       there is no ODE between events: a plain recurrent encoder over the observations, as the recognition network
 *       of torchdiffeq's {@code latent_ode.py}.</li>
 *   <li>The latent path starts every series at its own {@code tau_b}: the batch is solved from the earliest
 *       {@code tau} through the union of every {@code tau}, target time, event time and end, and a series moves only
 *       between its {@code tau} and its end. No time is shifted, so the dynamics need not be autonomous, and series
 *       that share their target times (spirals) share the grid.</li>
 * </ul>
 * <b>Long gaps</b> follow {@link ModelConfig}'s rule, as serving does: each row's encoder runs on its own clock, on
 * which every gap between context events longer than {@code maxGap} lasts {@code maxGap} (the encoder's clock stops),
 * and its latent path stops at {@code tau + maxGap} when that comes before its end; targets and events after it see
 * the state held there, and {@code Lambda(end)} gains {@code lambda(z(tau + maxGap))} times the time left.
 * With {@link BatchedElbo.Stepping#CONTINUOUS} the latent path is solved forward in one pass through
 * each stretch of the grid over which the same rows move (for spirals, the whole grid), the grid times answered by
 * dense output, and each segment solve that continues the previous one starts with its proposed step.
 *
 * <p>Backward: the latent adjoint from the last grid time to the first, with the decoder's and the intensity head's
 * jumps at every grid time that has targets or events (one backward pass of each module per grid time for the whole
 * batch); the reparameterisation and the KL term; the posterior head; then the encoder step by step backwards, each
 * masked GRU update back-propagated from the gates its forward pass kept (rows without an event pass their adjoint
 * through unchanged), and the adjoint of the masked encoder ODE over each union interval.
 *
 * <p>One reparameterisation draw per row; several draws for one window are that window repeated in the batch.
 * After a {@link #run}, the terms, the posteriors and the states on both grids can be read back, for validation and
 * for tests that hold training to the serving path.
 *
 * <p>Workspaces: the modules are sized once for {@code maxBatch} rows; the solvers and the buffers whose length must
 * equal a solver's dimension, once per batch size seen; the per-step records grow to the longest union grid seen
 * (the GRU keeps its gates for every pass, which spares the backward pass a forward pass per event). After that a
 * call allocates nothing. Not thread-safe.
 */
public final class BatchedElbo {

    /** The recognition network. */
    public enum Recognition {
        /** The model's ODE-RNN: the encoder ODE between events, a GRU update at each event. */
        ODE_RNN,
        /** The GRU update at each event alone, no evolution between events. */
        RNN
    }

    /** How the batched solves choose their steps; the two agree to the solver's tolerance. */
    public enum Stepping {
        /**
         * Every segment of a union grid solved on its own, forward and backward, with a fresh first-step estimate:
         * a segment between close grid times costs an estimate and a few short steps. Kept to measure against.
         */
        RESTART,
        /**
         * The latent path solved forward in one pass per stretch of the grid where the moving rows stay the same,
         * the grid times answered by dense output; every solve that carries on from where the last one ended (the
         * encoder between events, the adjoint between grid times) starts with the step the last one proposed
         * ({@link dev.odestream.ode.SolverOptions#carryStep()}). The default.
         */
        CONTINUOUS;

        /** @return the options of every batched solve under this stepping: dopri5 at the model's tolerances */
        public SolverOptions solverOptions(ModelConfig config) {
            return SolverOptions.builder(Method.DOPRI5).rtol(config.rtol()).atol(config.atol())
                    .carryStep(this == CONTINUOUS).build();
        }
    }


    private static final UnionGrid.Times TAU = (w, i) -> w.tau();
    private static final UnionGrid.Times END = (w, i) -> w.end();

    private final ModelConfig config;
    private final Parameters params = new Parameters();
    private final BatchDynamics encoderOde;
    private final GruCell gru;
    private final Linear posterior;
    private final LatentSystem latent;
    private final Linear intensity;
    private final Mlp decoder;
    private final ParameterBlock noise;
    private final double[] sigmas;
    private final double[] constants;
    private final double[] noiseGrad;
    private final MaskedRows maskedEncoder;
    private final MaskedRows maskedLatent;
    private final CountingSystem countedEncoder;
    private final CountingSystem countedLatent;
    private final SolverOptions options;
    private final boolean odeBetweenEvents;
    private final boolean continuous;
    private final Lane[] lanes;
    private final int maxBatch;
    private final int latentDim;
    private final int types;
    private final int dim;
    private final int hidden;
    private final int inputs;
    private final UnionGrid contextGrid = new UnionGrid();
    private final UnionGrid latentGrid = new UnionGrid();
    private final double[] x;
    private final double[] hNew;
    private final double[] dhMasked;
    private final double[] dhPrevious;
    private final double[] muLogVar;
    private final double[] head;
    private final double[] dHead;
    private final double[] decoded;
    private final double[] dOut;
    private final double[] pre;
    private final double[] dPre;
    private final double[] dz;
    private final double[] encoderTheta;
    private final double[] latentTheta;
    private final boolean[] flags;
    private final int[] cursor;
    private final double[] rowLoss;
    private int[] passes = new int[0];
    private int[] stepUnion = new int[0];
    private boolean[] stepMask = new boolean[0];
    private boolean[] hasTargets = new boolean[0];
    private boolean[] hasEvents = new boolean[0];
    private double[] targetGrad = new double[0];
    private double[] eventGrad = new double[0];
    private int steps;
    private double gaussian;
    private double poisson;
    private double kl;
    private double squaredError;
    private long scoredValues;
    private Lane last;
    private final ElboTotals totals = new ElboTotals();
    private final double maxGap;
    private final UnionGrid.Times cap;
    private final int[] contextStart;
    private double[] encoderTimes = new double[0];

    /**
     * @param config the model's configuration
     * @param recognition the encoder
     * @param maxBatch the most windows per batch
     * @param stepping how the solves choose their steps
     */
    public BatchedElbo(ModelConfig config, Recognition recognition, int maxBatch,
                Stepping stepping) {
        this.config = config;
        this.maxBatch = maxBatch;
        this.latentDim = config.latentDim();
        this.types = config.eventTypes();
        this.dim = config.observationDim();
        this.hidden = config.encoderHidden();
        this.inputs = config.encoderInputSize();
        this.odeBetweenEvents = recognition == BatchedElbo.Recognition.ODE_RNN;
        // Registered in LatentOdeModel's order, so the flat layout is the model's.
        this.encoderOde = BatchDynamics.create(config.dynamics(), params, "encoder.ode", hidden,
                new int[] {config.encoderOdeHidden()}, config.activation(), maxBatch);
        this.gru = new GruCell(params, "encoder.gru", inputs, hidden, maxBatch);
        this.posterior = new Linear(params, "posterior", hidden, 2 * latentDim, maxBatch);
        this.latent = new LatentSystem(params, config.withForecastSamples(maxBatch));
        this.intensity = latent.intensityHead();
        this.decoder = new Mlp(params, "decoder", new int[] {latentDim, config.decoderHidden(), dim},
                config.activation(), maxBatch);
        this.noise = LatentOdeModel.noiseBlock(params, config);
        this.sigmas = new double[dim];
        this.constants = new double[dim];
        this.noiseGrad = new double[dim];
        this.maskedEncoder = new MaskedRows(encoderOde, maxBatch, hidden);
        this.maskedLatent = new MaskedRows(latent, maxBatch, latentDim, types);
        this.countedEncoder = new CountingSystem(maskedEncoder);
        this.countedLatent = new CountingSystem(maskedLatent);
        this.continuous = stepping == BatchedElbo.Stepping.CONTINUOUS;
        this.options = stepping.solverOptions(config);
        this.lanes = new Lane[maxBatch + 1];
        this.x = new double[maxBatch * inputs];
        this.hNew = new double[maxBatch * hidden];
        this.dhMasked = new double[maxBatch * hidden];
        this.dhPrevious = new double[maxBatch * hidden];
        this.muLogVar = new double[maxBatch * 2 * latentDim];
        this.head = new double[maxBatch * 2 * latentDim];
        this.dHead = new double[maxBatch * 2 * latentDim];
        this.decoded = new double[maxBatch * dim];
        this.dOut = new double[maxBatch * dim];
        this.pre = new double[maxBatch * types];
        this.dPre = new double[maxBatch * types];
        this.dz = new double[maxBatch * latentDim];
        this.encoderTheta = new double[encoderOde.parameterCount()];
        this.latentTheta = new double[latent.parameterCount()];
        this.flags = new boolean[maxBatch];
        this.cursor = new int[maxBatch];
        this.rowLoss = new double[maxBatch];
        this.maxGap = config.maxGap();
        this.cap = (w, i) -> w.tau() + maxGap;
        this.contextStart = new int[maxBatch + 1];
    }

    /** @return this evaluator's parameters, laid out as the model's; the caller keeps their values current. */
    public Parameters parameters() {
        return params;
    }

    /** @return the most windows per call. */
    public int maxBatch() {
        return maxBatch;
    }

    /**
     * The summed negative ELBO of {@code count} windows from {@code from}, and its gradient.
     *
     * @param epsilon at least {@code count x L} standard normals, one row per window. Not modified.
     * @param beta the KL weight, non-negative
     * @param grad receives the gradient of the sum, added; {@code null} for the loss alone. Modified.
     * @return the sum over the windows of {@code -(gaussian + poisson) + beta KL}
     * @throws IllegalArgumentException for a window that does not fit the model, too little noise, a negative
     *     {@code beta} or a gradient of the wrong length
     * @throws dev.odestream.ode.OdeSolverException if a solve fails
     */
    public double run(List<Window> windows, int from, int count, double[] epsilon, double beta, double[] grad) {
        checkArguments(count, epsilon, beta, grad);
        Lane lane = lane(count);
        last = lane;
        lane.windows = windows;
        lane.from = from;
        gaussian = 0.0;
        poisson = 0.0;
        kl = 0.0;
        squaredError = 0.0;
        scoredValues = 0;
        totals.begin(evaluations());
        check(windows, from, count);
        for (int d = 0; d < dim; d++) {
            double logSigma = noise == null ? 0.0 : params.values()[noise.offset() + d];
            sigmas[d] = noise == null ? config.observationStd() : Math.exp(logSigma);
            constants[d] = noise == null ? ElboTotals.gaussianConstant(sigmas[d])
                    : -0.5 * Math.log(2 * Math.PI) - logSigma;
        }
        Arrays.fill(noiseGrad, 0.0);
        encode(windows, from, lane);
        solveLatent(windows, from, lane, epsilon);
        score(windows, from, lane, beta);
        totals.forwardDone(evaluations());
        if (grad != null) {
            backwardLatent(lane, grad);
            backwardPosterior(lane, epsilon, beta, grad);
            backwardEncoder(lane, grad);
            for (int d = 0; noise != null && d < dim; d++) {
                grad[noise.offset() + d] += noiseGrad[d];
            }
            totals.backwardDone(evaluations());
        }
        totals.record(gaussian, poisson, kl, squaredError, scoredValues);
        return totals.negativeElbo(beta);
    }

    private long evaluations() {
        return countedEncoder.evaluations() + countedLatent.evaluations();
    }

    /** @return the summed Gaussian plus Poisson log-likelihood of the last {@link #run}. */
    public double logLikelihood() {
        return totals.logLikelihood();
    }

    /** @return the summed squared error of the decoded targets of the last {@link #run}, over scored values. */
    public double squaredError() {
        return totals.squaredError();
    }

    /** @return the number of scored target values in the last {@link #run}. */
    public long scoredValues() {
        return totals.scoredValues();
    }

    /** @return the negative ELBO of window {@code row} of the last {@link #run}; the run returned their sum. */
    public double loss(int row) {
        return rowLoss[row];
    }

    /** @return the summed Gaussian log-likelihood of the target values of the last {@link #run}. */
    public double gaussianLogLikelihood() {
        return gaussian;
    }

    /** @return the summed Poisson log-likelihood of the target events of the last {@link #run}. */
    public double poissonLogLikelihood() {
        return poisson;
    }

    /** @return the summed {@code KL(q || N(0, I))} of the last {@link #run}, unweighted. */
    public double kl() {
        return kl;
    }

    /**
     * The posterior of one window of the last {@link #run}.
     *
     * @param row the window's index in that batch
     * @param mu receives the mean, length {@code L}. Modified.
     * @param logVar receives {@code log sigma^2}, length {@code L}. Modified.
     */
    public void posterior(int row, double[] mu, double[] logVar) {
        System.arraycopy(muLogVar, row * 2 * latentDim, mu, 0, latentDim);
        System.arraycopy(muLogVar, row * 2 * latentDim + latentDim, logVar, 0, latentDim);
    }

    /** @return the number of union context times of the last {@link #run}. */
    public int contextGridSize() {
        return contextGrid.size();
    }

    /**
     * @return union context time {@code i} of the last {@link #run}, on the encoder's clock: a window's own context
     *     time unless a gap longer than {@code maxGap} follows it (see the class comment)
     */
    public double contextGridTime(int i) {
        return contextGrid.time(i);
    }

    /**
     * @return the encoder states after every update at union context time {@code i} of the last {@link #run},
     *     {@code B x H} row-major; a row with no event there holds its last state. Not to be modified; overwritten
     *     by the next run.
     */
    public double[] encoderState(int i) {
        return last.hAfter[i];
    }

    /** @return the number of latent grid times of the last {@link #run}. */
    public int latentGridSize() {
        return latentGrid.size();
    }

    /** @return latent grid time {@code g} of the last {@link #run}. */
    public double latentGridTime(int g) {
        return latentGrid.time(g);
    }

    /**
     * @return the latent state at grid time {@code g} of the last {@link #run}: {@code B x L} values of {@code z},
     *     then {@code B x K} cumulative intensities; a row outside its own span (from {@code tau} to its end or
     *     {@code tau + maxGap}) holds its state at the nearer end, {@code Lambda} without the growth after the cap.
     *     Not to be modified; overwritten by the next run.
     */
    public double[] latentState(int g) {
        return last.path[g];
    }

    /** @return derivative evaluations of the forward solves since the last reset. */
    public long forwardNfe() {
        return totals.forwardNfe();
    }

    /** @return evaluations of the backward passes since the last reset. */
    public long backwardNfe() {
        return totals.backwardNfe();
    }

    public void resetCounters() {
        totals.resetCounters();
    }

    // ---------------------------------------------------------------- forward: encoder

    private void encode(List<Window> windows, int from, Lane lane) {
        int rows = lane.rows;
        clampGaps(windows, from, rows);
        contextGrid.clear();
        for (int b = 0; b < rows; b++) {
            contextGrid.add(encoderTimes, contextStart[b], windows.get(from + b).contextCount());
        }
        countPasses(windows, from, rows);
        lane.ensureEncoder(steps, contextGrid.size());
        Arrays.fill(lane.h, 0.0);
        Arrays.fill(cursor, 0, rows, 0);
        int s = 0;
        for (int i = 0; i < contextGrid.size(); i++) {
            if (odeBetweenEvents && i > 0) {
                evolve(windows, from, lane, i);
            }
            for (int p = 0; p < passes[i]; p++, s++) {
                jump(windows, from, lane, i, s);
            }
            System.arraycopy(lane.h, 0, lane.hAfter[i], 0, rows * hidden);
        }
        posterior.forward(lane.h, muLogVar, rows);
    }

    /**
     * The encoder's clock of each row: its context times with every gap longer than {@code maxGap} shortened to
     * {@code maxGap}, the last time ({@code tau}) kept. The encoder's dynamics are autonomous, so this is
     * {@link OdeRnnEncoder#observe}'s rule; times with no long gap after them are the window's own.
     */
    private void clampGaps(List<Window> windows, int from, int rows) {
        int total = 0;
        for (int b = 0; b < rows; b++) {
            contextStart[b] = total;
            total += windows.get(from + b).contextCount();
        }
        contextStart[rows] = total;
        encoderTimes = grow(encoderTimes, total);
        for (int b = 0; b < rows; b++) {
            Window w = windows.get(from + b);
            int start = contextStart[b];
            double shift = 0.0;
            for (int c = w.contextCount() - 1; c >= 0; c--) {
                if (c < w.contextCount() - 1) {
                    shift += Math.max(0.0, w.contextTime(c + 1) - w.contextTime(c) - maxGap);
                }
                encoderTimes[start + c] = w.contextTime(c) + shift;
            }
        }
    }

    /** @return context time {@code c} of row {@code b} on the encoder's clock */
    private double encoderTime(int b, int c) {
        return encoderTimes[contextStart[b] + c];
    }

    /** GRU passes per union time: the most events any one series has at that time. */
    private void countPasses(List<Window> windows, int from, int rows) {
        int size = contextGrid.size();
        passes = grow(passes, size);
        Arrays.fill(passes, 0, size, 0);
        for (int b = 0; b < rows; b++) {
            Window w = windows.get(from + b);
            int run = 0;
            for (int e = 0; e < w.contextCount(); e++) {
                run = e > 0 && encoderTime(b, e) == encoderTime(b, e - 1) ? run + 1 : 1;
                int i = contextGrid.indexOf(encoderTime(b, e));
                passes[i] = Math.max(passes[i], run);
            }
        }
        steps = 0;
        for (int i = 0; i < size; i++) {
            steps += passes[i];
        }
        stepUnion = grow(stepUnion, steps);
        stepMask = grow(stepMask, steps * maxBatch);
    }

    /** The encoder ODE over union interval {@code i}, for the series whose context spans it. */
    private void evolve(List<Window> windows, int from, Lane lane, int i) {
        double t0 = contextGrid.time(i - 1);
        double t1 = contextGrid.time(i);
        if (encoderFlags(windows, from, lane.rows, t0, t1)) {
            lane.encoderAdjoint.forwardSegment(t0, lane.h, t1, lane.h);
        }
    }

    /** Sets the encoder's moving rows for {@code [t0, t1]}; @return whether any moves */
    private boolean encoderFlags(List<Window> windows, int from, int rows, double t0, double t1) {
        boolean any = false;
        for (int b = 0; b < rows; b++) {
            int last = windows.get(from + b).contextCount() - 1;
            flags[b] = encoderTime(b, 0) <= t0 && t1 <= encoderTime(b, last);
            any |= flags[b];
        }
        maskedEncoder.setActive(flags, rows);
        return any;
    }

    /** Masked GRU pass {@code s} at union time {@code i}: the series with a (further) event there. */
    private void jump(List<Window> windows, int from, Lane lane, int i, int s) {
        int rows = lane.rows;
        double t = contextGrid.time(i);
        Arrays.fill(x, 0, rows * inputs, 0.0);
        for (int b = 0; b < rows; b++) {
            Window w = windows.get(from + b);
            int c = cursor[b];
            boolean event = c < w.contextCount() && encoderTime(b, c) == t;
            stepMask[s * maxBatch + b] = event;
            if (event) {
                fillInput(w, c, b);
                cursor[b]++;
            }
        }
        stepUnion[s] = i;
        gru.forward(x, lane.h, hNew, rows, lane.tapes[s]);
        for (int b = 0; b < rows; b++) {
            if (stepMask[s * maxBatch + b]) {
                System.arraycopy(hNew, b * hidden, lane.h, b * hidden, hidden);
            }
        }
    }

    /** Row {@code b} of the GRU input: {@code [x * mask, mask, one-hot(type)]}, as {@link OdeRnnEncoder}'s. */
    private void fillInput(Window w, int c, int b) {
        int at = b * inputs;
        double[] values = w.contextValuesRow(c);
        boolean[] mask = w.contextMaskRow(c);
        if (values != null) {
            for (int d = 0; d < dim; d++) {
                if (mask == null || mask[d]) {
                    x[at + d] = values[d];
                    x[at + dim + d] = 1.0;
                }
            }
        }
        x[at + 2 * dim + w.contextType(c)] = 1.0;
    }

    // ---------------------------------------------------------------- forward: latent path and loss terms

    private void solveLatent(List<Window> windows, int from, Lane lane, double[] epsilon) {
        int rows = lane.rows;
        latentGrid.clear();
        for (int b = 0; b < rows; b++) {
            Window w = windows.get(from + b);
            latentGrid.add(w, TAU, 1);
            latentGrid.add(w, Window::targetTime, w.targetCount());
            latentGrid.add(w, Window::eventTime, w.eventCount());
            latentGrid.add(w, END, 1);
            if (w.tau() + maxGap < w.end()) {
                latentGrid.add(w, cap, 1);
            }
        }
        int size = latentGrid.size();
        lane.ensurePath(size);
        initialState(lane.path[0], epsilon, rows);
        if (continuous) {
            solveStretches(windows, from, lane);
            return;
        }
        for (int g = 1; g < size; g++) {
            double t0 = latentGrid.time(g - 1);
            double t1 = latentGrid.time(g);
            if (latentFlags(windows, from, rows, t0, t1)) {
                lane.latentAdjoint.forwardSegment(t0, lane.path[g - 1], t1, lane.path[g]);
            } else {
                System.arraycopy(lane.path[g - 1], 0, lane.path[g], 0, lane.path[g].length);
            }
        }
    }

    /**
     * The latent path in one dense-output pass per stretch of grid segments over which the same rows move: a row
     * starting or stopping changes the dynamics, so a step must not straddle it, but nothing else does.
     */
    private void solveStretches(List<Window> windows, int from, Lane lane) {
        int rows = lane.rows;
        int size = latentGrid.size();
        int g = 1;
        while (g < size) {
            boolean any = latentFlags(windows, from, rows, latentGrid.time(g - 1), latentGrid.time(g));
            int end = g + 1;
            while (end < size && sameMovers(windows, from, rows, latentGrid.time(end - 1), latentGrid.time(end))) {
                end++;
            }
            if (any) {
                lane.latentAdjoint.forwardThrough(latentGrid.time(g - 1), lane.path[g - 1], latentGrid.times(), g,
                        end, lane.path);
            } else {
                for (int i = g; i < end; i++) {
                    System.arraycopy(lane.path[i - 1], 0, lane.path[i], 0, lane.path[i].length);
                }
            }
            g = end;
        }
    }

    /** @return whether the rows moving over {@code [t0, t1]} are those of {@link #flags} */
    private boolean sameMovers(List<Window> windows, int from, int rows, double t0, double t1) {
        for (int b = 0; b < rows; b++) {
            if (latentMoves(windows.get(from + b), t0, t1) != flags[b]) {
                return false;
            }
        }
        return true;
    }

    /** A row's latent path moves from its {@code tau} to its end or to {@code tau + maxGap}, whichever is first. */
    private boolean latentMoves(Window w, double t0, double t1) {
        return w.tau() <= t0 && t1 <= w.end() && t1 <= w.tau() + maxGap;
    }

    /** {@code z_b = mu_b + exp(log sigma_b^2 / 2) eps_b}, {@code Lambda = 0}. */
    private void initialState(double[] y0, double[] epsilon, int rows) {
        for (int b = 0; b < rows; b++) {
            for (int l = 0; l < latentDim; l++) {
                int m = b * 2 * latentDim;
                y0[b * latentDim + l] = muLogVar[m + l] + Math.exp(0.5 * muLogVar[m + latentDim + l])
                        * epsilon[b * latentDim + l];
            }
        }
        Arrays.fill(y0, rows * latentDim, y0.length, 0.0);
    }

    /** Sets the latent system's moving rows for {@code [t0, t1]}; @return whether any moves */
    private boolean latentFlags(List<Window> windows, int from, int rows, double t0, double t1) {
        boolean any = false;
        for (int b = 0; b < rows; b++) {
            flags[b] = latentMoves(windows.get(from + b), t0, t1);
            any |= flags[b];
        }
        maskedLatent.setActive(flags, rows);
        return any;
    }

    /** The three terms, and the jumps the backward pass adds at every grid time. */
    private void score(List<Window> windows, int from, Lane lane, double beta) {
        int rows = lane.rows;
        int size = latentGrid.size();
        hasTargets = grow(hasTargets, size);
        hasEvents = grow(hasEvents, size);
        targetGrad = grow(targetGrad, size * maxBatch * dim);
        eventGrad = grow(eventGrad, size * maxBatch * types);
        Arrays.fill(rowLoss, 0, rows, 0.0);
        Arrays.fill(cursor, 0, rows, 0);
        for (int g = 0; g < size; g++) {
            hasTargets[g] = targets(windows, from, rows, g, lane.path[g]);
        }
        Arrays.fill(cursor, 0, rows, 0);
        for (int g = 0; g < size; g++) {
            hasEvents[g] = events(windows, from, rows, g, lane.path[g]);
        }
        for (int b = 0; b < rows; b++) {
            Window w = windows.get(from + b);
            if (w.tau() + maxGap < w.end()) {
                heldIntensity(b, w.end() - (w.tau() + maxGap), latentGrid.indexOf(w.tau() + maxGap), lane.path);
            }
        }
        double[] end = lane.path[size - 1];
        for (int i = rows * latentDim; i < rows * (latentDim + types); i++) {
            poisson -= end[i];
            rowLoss[(i - rows * latentDim) / types] += end[i];
        }
        for (int b = 0; b < rows; b++) {
            double klb = kl(b);
            kl += klb;
            rowLoss[b] += beta * klb;
        }
    }

    /** The Gaussian terms of the targets at grid time {@code g}; @return whether there were any */
    private boolean targets(List<Window> windows, int from, int rows, int g, double[] state) {
        double t = latentGrid.time(g);
        boolean decodedHere = false;
        int base = g * maxBatch * dim;
        for (int b = 0; b < rows; b++) {
            Window w = windows.get(from + b);
            for (; cursor[b] < w.targetCount() && w.targetTime(cursor[b]) == t; cursor[b]++) {
                if (!decodedHere) {
                    decoder.forward(state, decoded, rows);
                    Arrays.fill(targetGrad, base, base + rows * dim, 0.0);
                    decodedHere = true;
                }
                addTarget(w.targetValuesRow(cursor[b]), w.targetMaskRow(cursor[b]), b, base);
            }
        }
        return decodedHere;
    }

    /**
     * One target's Gaussian terms; with a learned noise, {@code d(-log N)/d log sigma_d = 1 - r^2} goes to the noise
     * block's gradient.
     */
    private void addTarget(double[] values, boolean[] mask, int b, int base) {
        for (int d = 0; d < dim; d++) {
            if (mask == null || mask[d]) {
                double sigma = sigmas[d];
                double constant = constants[d];
                double e = decoded[b * dim + d] - values[d];
                double r = e / sigma;
                gaussian += constant - 0.5 * r * r;
                rowLoss[b] -= constant - 0.5 * r * r;
                squaredError += e * e;
                scoredValues++;
                targetGrad[base + b * dim + d] += e / (sigma * sigma);
                noiseGrad[d] += 1.0 - r * r;
            }
        }
    }

    /** The {@code log lambda} terms of the events at grid time {@code g}; @return whether there were any */
    private boolean events(List<Window> windows, int from, int rows, int g, double[] state) {
        double t = latentGrid.time(g);
        boolean here = false;
        int base = g * maxBatch * types;
        for (int b = 0; b < rows; b++) {
            Window w = windows.get(from + b);
            for (; cursor[b] < w.eventCount() && w.eventTime(cursor[b]) == t; cursor[b]++) {
                if (!here) {
                    intensity.forward(state, pre, rows);
                    Arrays.fill(eventGrad, base, base + rows * types, 0.0);
                    here = true;
                }
                int k = b * types + w.eventType(cursor[b]);
                double rate = Activation.SOFTPLUS.value(pre[k]);
                double logRate = rate > 0 ? Math.log(rate) : Math.log(Double.MIN_VALUE);
                poisson += logRate;
                rowLoss[b] -= logRate;
                eventGrad[base + k] += rate > 0 ? -Activation.SIGMOID.value(pre[k]) / rate : 0.0;
            }
        }
        return here;
    }

    /**
     * Row {@code b}'s path stops at {@code tau + maxGap}, grid time {@code g}, and its intensity holds there for
     * {@code beyond} more units: the term {@code lambda(z(g)) * beyond} of {@code Lambda(end)}, whose gradient joins the
     * event jumps at {@code g}.
     */
    private void heldIntensity(int b, double beyond, int g, double[][] path) {
        int rows = last.rows;
        int base = g * maxBatch * types;
        if (!hasEvents[g]) {
            Arrays.fill(eventGrad, base, base + rows * types, 0.0);
            hasEvents[g] = true;
        }
        intensity.forward(path[g], pre, rows);
        for (int k = b * types; k < (b + 1) * types; k++) {
            double held = Activation.SOFTPLUS.value(pre[k]) * beyond;
            poisson -= held;
            rowLoss[b] += held;
            eventGrad[base + k] += Activation.SIGMOID.value(pre[k]) * beyond;
        }
    }

    private double kl(int b) {
        double sum = 0.0;
        int m = b * 2 * latentDim;
        for (int l = 0; l < latentDim; l++) {
            double mu = muLogVar[m + l];
            double logVar = muLogVar[m + latentDim + l];
            sum += mu * mu + Math.exp(logVar) - 1.0 - logVar;
        }
        return 0.5 * sum;
    }

    // ---------------------------------------------------------------- backward

    /** The latent adjoint from the last grid time back to the first, with the jumps; leaves {@code a(tau_b)}. */
    private void backwardLatent(Lane lane, double[] grad) {
        int rows = lane.rows;
        double[] a = lane.a;
        Arrays.fill(a, 0.0);
        Arrays.fill(a, rows * latentDim, rows * (latentDim + types), 1.0);
        Arrays.fill(latentTheta, 0.0);
        for (int g = latentGrid.size() - 1; g >= 0; g--) {
            addJumps(lane, g, grad);
            if (g > 0 && latentFlags(lane.windows, lane.from, rows, latentGrid.time(g - 1), latentGrid.time(g))) {
                lane.latentAdjoint.backwardSegment(latentGrid.time(g), lane.path[g], latentGrid.time(g - 1),
                        lane.path[g - 1], a, latentTheta);
            }
        }
        latent.parameterRange().addInto(latentTheta, grad);
    }

    private void addJumps(Lane lane, int g, double[] grad) {
        int rows = lane.rows;
        if (hasTargets[g]) {
            decoder.forward(lane.path[g], decoded, rows);
            System.arraycopy(targetGrad, g * maxBatch * dim, dOut, 0, rows * dim);
            decoder.backward(dOut, dz, rows, grad, 0);
            addZ(lane.a, rows);
        }
        if (hasEvents[g]) {
            intensity.forward(lane.path[g], pre, rows);
            System.arraycopy(eventGrad, g * maxBatch * types, dPre, 0, rows * types);
            intensity.backward(dPre, dz, rows, grad, 0);
            addZ(lane.a, rows);
        }
    }

    private void addZ(double[] a, int rows) {
        for (int i = 0; i < rows * latentDim; i++) {
            a[i] += dz[i];
        }
    }

    /** Through the reparameterisation, plus {@code beta KL}, and the posterior head into {@code dL/dh(tau_b)}. */
    private void backwardPosterior(Lane lane, double[] epsilon, double beta, double[] grad) {
        int rows = lane.rows;
        double[] a = lane.a;
        for (int b = 0; b < rows; b++) {
            int m = b * 2 * latentDim;
            for (int l = 0; l < latentDim; l++) {
                double logVar = muLogVar[m + latentDim + l];
                double da = a[b * latentDim + l];
                dHead[m + l] = da + beta * muLogVar[m + l];
                dHead[m + latentDim + l] = da * epsilon[b * latentDim + l] * 0.5 * Math.exp(0.5 * logVar)
                        + beta * 0.5 * (Math.exp(logVar) - 1.0);
            }
        }
        posterior.forward(lane.h, head, rows);
        posterior.backward(dHead, lane.dh, rows, grad, 0);
    }

    /** Each masked GRU update backwards, then the encoder ODE's adjoint over the union interval before it. */
    private void backwardEncoder(Lane lane, double[] grad) {
        Arrays.fill(encoderTheta, 0.0);
        for (int s = steps - 1; s >= 0; s--) {
            backwardJump(lane, s, grad);
            int i = stepUnion[s];
            boolean firstAtTime = s == 0 || stepUnion[s - 1] != i;
            if (odeBetweenEvents && firstAtTime && i > 0) {
                double t0 = contextGrid.time(i - 1);
                double t1 = contextGrid.time(i);
                if (encoderFlags(lane.windows, lane.from, lane.rows, t0, t1)) {
                    lane.encoderAdjoint.backwardSegment(t1, lane.tapes[s].inputState(), t0, lane.hAfter[i - 1], lane.dh,
                            encoderTheta);
                }
            }
        }
        encoderOde.parameterRange().addInto(encoderTheta, grad);
    }

    /** Rows without an event at step {@code s} kept their state, so their adjoint passes through unchanged. */
    private void backwardJump(Lane lane, int s, double[] grad) {
        int rows = lane.rows;
        double[] dh = lane.dh;
        int mask = s * maxBatch;
        for (int b = 0; b < rows; b++) {
            int at = b * hidden;
            if (stepMask[mask + b]) {
                System.arraycopy(dh, at, dhMasked, at, hidden);
            } else {
                Arrays.fill(dhMasked, at, at + hidden, 0.0);
            }
        }
        gru.backward(dhMasked, null, dhPrevious, rows, grad, 0, lane.tapes[s]);
        for (int b = 0; b < rows; b++) {
            if (stepMask[mask + b]) {
                System.arraycopy(dhPrevious, b * hidden, dh, b * hidden, hidden);
            }
        }
    }

    // ---------------------------------------------------------------- checks and lanes

    private void checkArguments(int count, double[] epsilon, double beta, double[] grad) {
        ElboTotals.checkBatch(count, maxBatch);
        if (epsilon.length < count * latentDim) {
            throw new IllegalArgumentException("epsilon needs " + count * latentDim + " values, got "
                    + epsilon.length);
        }
        if (!(beta >= 0) || Double.isInfinite(beta)) {
            throw new IllegalArgumentException("beta must be non-negative and finite, got " + beta);
        }
        if (grad != null && grad.length != params.size()) {
            throw new IllegalArgumentException("gradient of length " + grad.length + ", the model has "
                    + params.size() + " parameters");
        }
    }

    private void check(List<Window> windows, int from, int count) {
        for (int b = 0; b < count; b++) {
            windows.get(from + b).checkShape(dim, types);
        }
    }

    /** Sets the modules to {@code rows} and returns the solvers and exact-length buffers of that batch size. */
    private Lane lane(int rows) {
        encoderOde.setBatch(rows);
        latent.setRows(rows);
        if (lanes[rows] == null) {
            lanes[rows] = new Lane(rows);
        }
        return lanes[rows];
    }

    private static int[] grow(int[] a, int n) {
        return a.length >= n ? a : new int[Math.max(n, 2 * a.length)];
    }

    private static boolean[] grow(boolean[] a, int n) {
        return a.length >= n ? a : new boolean[Math.max(n, 2 * a.length)];
    }

    private static double[] grow(double[] a, int n) {
        return a.length >= n ? a : new double[Math.max(n, 2 * a.length)];
    }

    /** The solvers of one batch size and the buffers whose length must be exactly their dimension. */
    private final class Lane {

        final int rows;
        final AdjointSolver encoderAdjoint;
        final AdjointSolver latentAdjoint;
        final double[] h;
        final double[] dh;
        final double[] a;
        GruCell.Tape[] tapes = new GruCell.Tape[0];
        double[][] hAfter = new double[0][];
        double[][] path = new double[0][];
        List<Window> windows;
        int from;

        Lane(int rows) {
            this.rows = rows;
            this.encoderAdjoint = new AdjointSolver(countedEncoder, options, options, AdjointSolver.Mode.REINTEGRATE);
            this.latentAdjoint = new AdjointSolver(countedLatent, options, options, AdjointSolver.Mode.REINTEGRATE);
            this.h = new double[rows * hidden];
            this.dh = new double[rows * hidden];
            this.a = new double[rows * (latentDim + types)];
        }

        void ensureEncoder(int stepCount, int unionSize) {
            tapes = tapes(stepCount);
            hAfter = rows(hAfter, unionSize, rows * hidden);
        }

        void ensurePath(int size) {
            path = rows(path, size, rows * (latentDim + types));
        }

        private GruCell.Tape[] tapes(int n) {
            if (tapes.length >= n) {
                return tapes;
            }
            GruCell.Tape[] grown = Arrays.copyOf(tapes, Math.max(n, 2 * tapes.length));
            for (int i = tapes.length; i < grown.length; i++) {
                grown[i] = new GruCell.Tape(gru, rows);
            }
            return grown;
        }

        private double[][] rows(double[][] buffers, int n, int width) {
            if (buffers.length >= n) {
                return buffers;
            }
            double[][] grown = Arrays.copyOf(buffers, Math.max(n, 2 * buffers.length));
            for (int i = buffers.length; i < grown.length; i++) {
                grown[i] = new double[width];
            }
            return grown;
        }
    }
}
