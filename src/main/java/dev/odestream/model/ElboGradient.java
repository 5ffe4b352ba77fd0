package dev.odestream.model;

import dev.odestream.nn.Activation;
import dev.odestream.nn.Linear;
import dev.odestream.nn.Mlp;
import dev.odestream.ode.Method;
import dev.odestream.ode.SolverOptions;
import dev.odestream.ode.adjoint.AdjointSolver;

import java.util.Arrays;
import java.util.List;

/**
 * The negative ELBO of a window and its gradient with respect to every parameter of a {@link LatentOdeModel}, for
 * training. The forward pass is {@link LatentOdeModel#negativeElbo(Window, double[], double, ElboTrace)} itself, so
 * the loss returned here is the same number; the backward pass then runs, last operation first:
 * <ol>
 *   <li><b>Latent ODE</b>, by the adjoint method (Chen et al. 2018, Algorithm 1) on {@link LatentSystem}, grid
 *       segment by grid segment from {@code T} back to {@code tau}. At each grid time the adjoint jumps by
 *       {@code dL/dz(t_i)} (the decoder's Gaussian term at the targets there, the {@code log lambda} term at the
 *       events there) and, at {@code T}, by {@code dL/dLambda(T)}; the decoder's and the intensity head's parameter
 *       gradients are taken at the jumps, the dynamics' and (through {@code Lambda}) the intensity head's come out of
 *       the adjoint's {@code dL/dtheta}.</li>
 *   <li><b>Reparameterisation and KL</b>: {@code z_s(tau) = mu + exp(log sigma^2 / 2) eps_s}, plus the closed-form
 *       {@code beta KL} gradient, into {@code (mu, log sigma^2)}, then through the posterior head.</li>
 *   <li><b>ODE-RNN encoder</b>, backwards in time: for each context event from the last, through the GRU jump
 *       (re-run from the state before it, which the trace keeps), then by the adjoint through the encoder ODE over
 *       the gap to the previous event, starting from the trace's state after the previous jump.</li>
 * </ol>
 *
 * <p><b>Adjoint mode.</b> {@link AdjointSolver.Mode#REINTEGRATE} is the default (see {@link #ElboGradient(
 * LatentOdeModel)}): it is the paper's Algorithm 1, which the design asks for; its memory does not grow with the
 * number of solver steps (a long target span or stiffening learned dynamics cost time, not heap); it is the cheaper
 * pass (on the reference sizes its backward pass makes about 1.5 to 1.8 times the forward pass's evaluations,
 * against about 4 times for the checkpointed one, which re-solves, replays and back-propagates every stage); and with
 * the model's smooth tanh or softplus dynamics over short segments the backward re-integration retraces the forward
 * path to within the solver tolerance, which the tests check against finite differences.
 * {@link AdjointSolver.Mode#CHECKPOINT} is the remedy when a learned dynamics becomes unstable backward in time (the
 * re-integrated {@code y} drifts off the forward path): it back-propagates through the solver's own steps, re-solved
 * from the forward states at the segment's start, so the encoder's gradient is exact for the computed path; the
 * latent segments are re-solved from the forward pass's dense output at each grid time, so there it is exact for a
 * path within the tolerance of the forward one. Its memory is one segment's steps, small here because segments run
 * between consecutive events or grid times.
 *
 * <p><b>Batches.</b> {@link #lossAndGradient(List, double[][], double, double[])} is the mean over windows, as
 * {@link LatentOdeModel#negativeElbo(List, double[][], double)} is, and so is its gradient.
 *
 * <p><b>Counters.</b> {@link #lastForwardNfe()} and {@link #lastBackwardNfe()} report the derivative evaluations of
 * the last call (encoder and latent ODE together), for a training progress line; a backward evaluation is one call
 * of {@code f}, of its vector-Jacobian product or of both at once.
 *
 * <p>Workspaces are sized at construction or grow to the longest window seen (and one adjoint solver per sample
 * count seen); after warm-up a call allocates nothing. Shares the model's modules, so it is used on the model's
 * thread only, and not during another call on that model.
 */
public final class ElboGradient {

    private final ModelConfig config;
    private final int parameterCount;
    private final OdeRnnEncoder encoder;
    private final LatentSystem latent;
    private final Mlp decoder;
    private final Linear intensityHead;
    private final ElboEvaluator evaluator;
    private final ElboTrace trace;
    private final AdjointSolver.Mode mode;
    private final SolverOptions options;
    private final CountingSystem encoderOde;
    private final AdjointSolver encoderAdjoint;
    private final CountingSystem latentOde;
    /** Per sample count {@code m}: the adjoint solver and the buffers whose length must be exactly its dimension. */
    private final LatentPass[] latentPasses;
    private final double[] windowGrad;
    private final double[] encoderTheta;
    private final double[] latentTheta;
    private final double[] decoded;
    private final double[] dOut;
    private final double[] pre;
    private final double[] dz;
    private final double[] head;
    private final double[] dHead;
    private final double[] h;
    private final double[] hStart;
    private final double[] dh;
    private final int latentDim;
    private final int dim;
    private final int types;
    private final int hidden;
    private int targetCursor;
    private int eventCursor;
    private long forwardNfe;
    private long backwardNfe;
    private double gaussian;
    private double poisson;
    private double kl;
    private double beta;

    /** A gradient evaluator with the default adjoint mode, {@link AdjointSolver.Mode#REINTEGRATE}. */
    public ElboGradient(LatentOdeModel model) {
        this(model, AdjointSolver.Mode.REINTEGRATE);
    }

    /**
     * @param model the model whose modules and parameters are differentiated; its parameter values are read at
     *     every call. Not modified (its modules' caches are).
     * @param mode how the adjoint passes recover the forward states; both use the model's solver tolerances
     */
    public ElboGradient(LatentOdeModel model, AdjointSolver.Mode mode) {
        this.config = model.config();
        this.parameterCount = model.parameters().size();
        this.encoder = model.encoder();
        this.latent = model.latentSystem();
        this.decoder = model.decoder();
        this.intensityHead = latent.intensityHead();
        this.evaluator = new ElboEvaluator(config, encoder, latent, decoder);
        this.trace = new ElboTrace(config);
        this.mode = mode;
        // The model's solves all use these settings; a CHECKPOINT re-solve must take the forward pass's very steps.
        this.options = SolverOptions.of(Method.DOPRI5, config.rtol(), config.atol());
        this.encoderOde = new CountingSystem(encoder.dynamics());
        this.encoderAdjoint = new AdjointSolver(encoderOde, options, options, mode);
        this.latentOde = new CountingSystem(latent);
        this.latentPasses = new LatentPass[config.forecastSamples() + 1];
        this.windowGrad = new double[parameterCount];
        this.encoderTheta = new double[encoder.dynamics().parameterCount()];
        this.latentTheta = new double[latent.parameterCount()];
        int samples = config.forecastSamples();
        this.latentDim = config.latentDim();
        this.dim = config.observationDim();
        this.types = config.eventTypes();
        this.hidden = config.encoderHidden();
        this.decoded = new double[samples * dim];
        this.dOut = new double[samples * Math.max(dim, types)];
        this.pre = new double[samples * types];
        this.dz = new double[samples * latentDim];
        this.head = new double[2 * latentDim];
        this.dHead = new double[2 * latentDim];
        this.h = new double[hidden];
        this.hStart = new double[hidden];
        this.dh = new double[hidden];
    }

    /**
     * The negative ELBO of one window, with its gradient added to {@code grad}.
     *
     * @param window the window. Not modified.
     * @param epsilon {@code m x L} standard normals, as for {@link LatentOdeModel#negativeElbo(Window, double[],
     *     double, ElboTrace)}. Not modified.
     * @param beta weight of the KL term, non-negative
     * @param grad the model's flat gradient ({@link dev.odestream.nn.Parameters} layout); {@code d(-ELBO)/dtheta} is
     *     added, not assigned. Modified.
     * @return the negative ELBO, the very value {@code negativeElbo} returns
     * @throws IllegalArgumentException for a bad window, noise, beta or gradient length
     * @throws dev.odestream.ode.OdeSolverException if a forward or backward solve fails
     */
    public double lossAndGradient(Window window, double[] epsilon, double beta, double[] grad) {
        start(grad, beta);
        return accumulate(window, epsilon, beta, 1.0, grad);
    }

    /**
     * The mean negative ELBO over a batch of windows, with the gradient of that mean added to {@code grad}.
     *
     * @param epsilon one noise array per window. Not modified.
     * @see #lossAndGradient(Window, double[], double, double[])
     */
    public double lossAndGradient(List<Window> windows, double[][] epsilon, double beta, double[] grad) {
        if (windows.isEmpty() || epsilon.length != windows.size()) {
            throw new IllegalArgumentException("need one epsilon array per window and at least one window, got "
                    + windows.size() + " windows and " + epsilon.length + " arrays");
        }
        start(grad, beta);
        double weight = 1.0 / windows.size();
        double loss = 0.0;
        for (int b = 0; b < windows.size(); b++) {
            loss += weight * accumulate(windows.get(b), epsilon[b], beta, weight, grad);
        }
        return loss;
    }

    /** @return the terms of the last call (batch means for a batch). */
    public ElboTerms lastTerms() {
        return new ElboTerms(gaussian, poisson, kl, beta);
    }

    /** @return derivative evaluations of the forward solves (encoder and latent) in the last call. */
    public long lastForwardNfe() {
        return forwardNfe;
    }

    /** @return evaluations of {@code f} and its vector-Jacobian products in the last call's backward passes. */
    public long lastBackwardNfe() {
        return backwardNfe;
    }

    /** @return the trace of the last window evaluated (the last of a batch); overwritten by the next call. */
    public ElboTrace trace() {
        return trace;
    }

    /** @return how the adjoint passes recover the forward states. */
    public AdjointSolver.Mode mode() {
        return mode;
    }

    private void start(double[] grad, double beta) {
        if (grad.length != parameterCount) {
            throw new IllegalArgumentException("grad has length " + grad.length + ", expected " + parameterCount);
        }
        forwardNfe = 0;
        backwardNfe = 0;
        gaussian = 0.0;
        poisson = 0.0;
        kl = 0.0;
        this.beta = beta;
    }

    /**
     * One window's forward and backward pass; its gradient, scaled by {@code weight}, is added to {@code grad}. The
     * backward pass runs unscaled into a window-local gradient: scaled seeds would change the adaptive backward
     * steps, and a window's gradient would then depend on the size of its batch.
     */
    private double accumulate(Window w, double[] epsilon, double beta, double weight, double[] grad) {
        double loss = evaluator.evaluate(w, epsilon, beta, trace);
        long before = encoderOde.evaluations() + latentOde.evaluations();
        Arrays.fill(windowGrad, 0.0);
        double[] a = backwardLatent(w, windowGrad);
        backwardPosterior(a, epsilon, beta, windowGrad);
        backwardEncoder(w, windowGrad);
        for (int i = 0; i < parameterCount; i++) {
            grad[i] += weight * windowGrad[i];
        }
        backwardNfe += encoderOde.evaluations() + latentOde.evaluations() - before;
        forwardNfe += trace.nfe;
        gaussian += weight * trace.gaussian;
        poisson += weight * trace.poisson;
        kl += weight * trace.kl;
        return loss;
    }

    /**
     * The adjoint of {@code [z, Lambda]} from {@code T} back to {@code tau}, with the jumps at every grid time.
     *
     * @return {@code a(tau) = dL/dy(tau)}
     */
    private double[] backwardLatent(Window w, double[] grad) {
        LatentPass pass = pass(trace.samples);
        double[] a = pass.a;
        Arrays.fill(a, 0.0);
        Arrays.fill(latentTheta, 0.0);
        addCumulativeJump(a);
        double[][] path = trace.path().rows(trace.gridSize);
        targetCursor = trace.targets - 1;
        eventCursor = trace.events - 1;
        for (int g = trace.gridSize - 1; g >= 0; g--) {
            addJumpsAt(g, w, path[g], a, grad);
            double t0 = g > 0 ? trace.grid[g - 1] : w.tau();
            if (trace.grid[g] > t0) {
                pass.adjoint.backwardSegment(trace.grid[g], path[g], t0, g > 0 ? path[g - 1] : pass.y0, a,
                        latentTheta);
            }
        }
        latent.parameterRange().addInto(latentTheta, grad);
        return a;
    }

    /** The jumps of the targets and events at grid time {@code g}; the cursors walk both lists from the end. */
    private void addJumpsAt(int g, Window w, double[] state, double[] a, double[] grad) {
        for (; targetCursor >= 0 && trace.targetIndex[targetCursor] == g; targetCursor--) {
            addTargetJump(w, targetCursor, state, a, grad);
        }
        for (; eventCursor >= 0 && trace.eventIndex[eventCursor] == g; eventCursor--) {
            addEventJump(w.eventType(eventCursor), state, a, grad);
        }
    }

    /** The solver and buffers for {@code m} samples; also sets the latent system to {@code m} rows. */
    private LatentPass pass(int m) {
        latent.setRows(m);
        if (latentPasses[m] == null) {
            latentPasses[m] = new LatentPass(new AdjointSolver(latentOde, options, options, mode), latent.dimension());
        }
        LatentPass pass = latentPasses[m];
        System.arraycopy(trace.z0, 0, pass.y0, 0, m * latentDim);
        return pass;
    }

    /** {@code -ELBO} holds {@code + Lambda_k(T) / m} for every sample and type. */
    private void addCumulativeJump(double[] a) {
        int m = trace.samples;
        for (int i = m * latentDim; i < m * (latentDim + types); i++) {
            a[i] += 1.0 / m;
        }
    }

    /** {@code -ELBO} holds {@code (x_d - g(z_s)_d)^2 / (2 m sigma^2)} for every sample and scored value. */
    private void addTargetJump(Window w, int j, double[] state, double[] a, double[] grad) {
        int m = trace.samples;
        double sigma = config.observationStd();
        double scale = 1.0 / (m * sigma * sigma);
        double[] x = w.targetValuesRow(j);
        boolean[] mask = w.targetMaskRow(j);
        decoder.forward(state, decoded, m);
        for (int s = 0; s < m; s++) {
            for (int d = 0; d < dim; d++) {
                int i = s * dim + d;
                dOut[i] = mask == null || mask[d] ? scale * (decoded[i] - x[d]) : 0.0;
            }
        }
        decoder.backward(dOut, dz, m, grad, 0);
        addZ(a, m);
    }

    /**
     * {@code -ELBO} holds {@code -log softplus(p_s) / m}, {@code p_s} the intensity head's output for the event's
     * type; a rate that underflowed to zero was floored to a constant by the forward pass, so it has no gradient.
     */
    private void addEventJump(int type, double[] state, double[] a, double[] grad) {
        int m = trace.samples;
        intensityHead.forward(state, pre, m);
        Arrays.fill(dOut, 0, m * types, 0.0);
        for (int s = 0; s < m; s++) {
            double p = pre[s * types + type];
            double rate = Activation.SOFTPLUS.value(p);
            dOut[s * types + type] = rate > 0 ? -1.0 / m * Activation.SIGMOID.value(p) / rate : 0.0;
        }
        intensityHead.backward(dOut, dz, m, grad, 0);
        addZ(a, m);
    }

    /** Adds {@code dz} to the {@code z} block of the adjoint. */
    private void addZ(double[] a, int m) {
        for (int i = 0; i < m * latentDim; i++) {
            a[i] += dz[i];
        }
    }

    /**
     * From {@code a(tau)} through the reparameterisation, plus {@code beta KL}, to {@code (mu, log sigma^2)} and
     * through the posterior head; leaves {@code dL/dh} at the last context event in {@code dh}.
     */
    private void backwardPosterior(double[] a, double[] epsilon, double beta, double[] grad) {
        int m = trace.samples;
        double[] muLogVar = trace.muLogVar;
        for (int l = 0; l < latentDim; l++) {
            double logVar = muLogVar[latentDim + l];
            double halfSigma = 0.5 * Math.exp(0.5 * logVar);
            double dMu = beta * muLogVar[l];
            double dLogVar = beta * 0.5 * (Math.exp(logVar) - 1.0);
            for (int s = 0; s < m; s++) {
                dMu += a[s * latentDim + l];
                dLogVar += a[s * latentDim + l] * epsilon[s * latentDim + l] * halfSigma;
            }
            dHead[l] = dMu;
            dHead[latentDim + l] = dLogVar;
        }
        System.arraycopy(trace.updated, (trace.contexts - 1) * hidden, h, 0, hidden);
        Linear posterior = encoder.posteriorHead();
        posterior.forward(h, head, 1);
        posterior.backward(dHead, dh, 1, grad, 0);
    }

    /** The encoder backwards in time: each GRU jump, then the encoder ODE over the gap before it. */
    private void backwardEncoder(Window w, double[] grad) {
        Arrays.fill(encoderTheta, 0.0);
        for (int i = trace.contexts - 1; i >= 0; i--) {
            System.arraycopy(trace.evolved, i * hidden, h, 0, hidden);
            encoder.backwardJump(h, w.contextValuesRow(i), w.contextMaskRow(i), w.contextType(i), dh, grad);
            if (i > 0 && w.contextTime(i) > w.contextTime(i - 1)) {
                System.arraycopy(trace.updated, (i - 1) * hidden, hStart, 0, hidden);
                encoderAdjoint.backwardSegment(w.contextTime(i), h, w.contextTime(i - 1), hStart, dh, encoderTheta);
            }
        }
        encoder.dynamics().parameterRange().addInto(encoderTheta, grad);
    }

    /** The adjoint solver for one sample count, with the adjoint and initial state of exactly its dimension. */
    private static final class LatentPass {

        final AdjointSolver adjoint;
        final double[] a;
        /** {@code [z(tau), Lambda(tau) = 0]}; the {@code Lambda} block stays zero. */
        final double[] y0;

        LatentPass(AdjointSolver adjoint, int dimension) {
            this.adjoint = adjoint;
            this.a = new double[dimension];
            this.y0 = new double[dimension];
        }
    }
}
