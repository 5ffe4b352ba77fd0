package dev.odestream.model;

import dev.odestream.nn.Mlp;
import dev.odestream.ode.Method;
import dev.odestream.ode.OdeSolver;
import dev.odestream.ode.SolverOptions;

/**
 * The forward pass of the training loss for one window, with the very modules and solver settings the streaming
 * path uses: the encoder folds the context in event by event (exactly {@link OdeRnnEncoder#observe}), and the latent
 * solve runs {@code [z, Lambda]} over the given samples as one batch from {@code tau} through the grid of target and
 * event times to the end. Every intermediate lands in an {@link ElboTrace}.
 *
 * <p>Workspaces grow to the largest window seen; a warmed-up evaluation allocates nothing.
 */
final class ElboEvaluator {

    private static final double LOG_TWO_PI = Math.log(2 * Math.PI);

    private final ModelConfig config;
    private final OdeRnnEncoder encoder;
    private final LatentSystem latent;
    private final Mlp decoder;
    private final SeriesState scratch;
    /** Per sample count {@code m}: the solver and initial state, whose lengths must be exactly {@code m (L + K)}. */
    private final OdeSolver[] solvers;
    private final double[][] initialStates;
    private final double[] decodedRow;
    private final double[] rate;
    private final int latentDim;
    private final int dim;
    private final int types;

    ElboEvaluator(ModelConfig config, OdeRnnEncoder encoder, LatentSystem latent, Mlp decoder) {
        this.config = config;
        this.encoder = encoder;
        this.latent = latent;
        this.decoder = decoder;
        this.scratch = new SeriesState(config.encoderHidden());
        this.solvers = new OdeSolver[config.forecastSamples() + 1];
        int samples = config.forecastSamples();
        this.initialStates = new double[samples + 1][];
        this.decodedRow = new double[samples * config.observationDim()];
        this.rate = new double[samples * config.eventTypes()];
        this.latentDim = config.latentDim();
        this.dim = config.observationDim();
        this.types = config.eventTypes();
    }

    /**
     * Encodes the context of a window into the posterior parameters.
     *
     * @param muLogVar receives {@code mu} then {@code log sigma^2}, length {@code 2L}. Modified.
     * @return derivative evaluations of the encoder ODE
     */
    long encode(Window w, double[] muLogVar) {
        return encode(w, muLogVar, null);
    }

    /** Records the hidden state around every GRU jump in {@code trace} unless it is null. */
    private long encode(Window w, double[] muLogVar, ElboTrace trace) {
        scratch.reset();
        long nfe = 0;
        int hidden = scratch.hidden().length;
        for (int i = 0; i < w.contextCount(); i++) {
            encoder.observe(scratch, w.contextTime(i), w.contextValuesRow(i), w.contextMaskRow(i), w.contextType(i),
                    trace == null ? null : trace.evolved, i * hidden);
            if (trace != null) {
                System.arraycopy(scratch.hidden(), 0, trace.updated, i * hidden, hidden);
            }
            nfe += encoder.lastNfe();
        }
        encoder.posterior(scratch.hidden(), muLogVar);
        return nfe;
    }

    /** @return the negative ELBO of the window; the terms and intermediates are in {@code trace}. */
    double evaluate(Window w, double[] epsilon, double beta, ElboTrace trace) {
        int samples = checkInputs(w, epsilon, beta, trace);
        trace.prepare(samples, w.contextCount(), w.targetCount(), w.eventCount());
        trace.beta = beta;
        trace.nfe = encode(w, trace.muLogVar, trace);
        double[][] path = solveLatent(w, epsilon, trace);
        trace.gaussian = gaussian(w, trace, path);
        trace.poisson = poisson(w, trace, path);
        trace.kl = kl(trace.muLogVar);
        return trace.negativeElbo();
    }

    /** Samples {@code z(tau)} and solves {@code [z, Lambda]} through the window's grid in one call. */
    private double[][] solveLatent(Window w, double[] epsilon, ElboTrace trace) {
        int samples = trace.samples;
        latent.setRows(samples);
        OdeSolver solver = solver(samples);
        double[] y0 = initialStates[samples];
        latent.initialState(trace.muLogVar, epsilon, y0);
        System.arraycopy(y0, 0, trace.z0, 0, samples * latentDim);
        double[] grid = buildGrid(w, trace);
        double[][] path = trace.path().rows(grid.length);
        solver.integrate(latent, w.tau(), y0, grid, path);
        trace.nfe += solver.stats().nfe();
        return path;
    }

    /**
     * The distinct target and event times and the end, increasing, with each target's and event's grid index.
     *
     * @return an array of exactly the grid's length, as the solver wants it
     */
    private double[] buildGrid(Window w, ElboTrace trace) {
        int n = 0;
        int j = 0;
        int e = 0;
        while (j < w.targetCount() || e < w.eventCount()) {
            boolean target = e == w.eventCount() || (j < w.targetCount() && w.targetTime(j) <= w.eventTime(e));
            double t = target ? w.targetTime(j) : w.eventTime(e);
            n = append(trace.grid, n, t);
            if (target) {
                trace.targetIndex[j++] = n - 1;
            } else {
                trace.eventIndex[e++] = n - 1;
            }
        }
        n = append(trace.grid, n, w.end());
        trace.gridSize = n;
        double[] exact = trace.path().times(n);
        System.arraycopy(trace.grid, 0, exact, 0, n);
        return exact;
    }

    private static int append(double[] grid, int n, double t) {
        if (n > 0 && grid[n - 1] == t) {
            return n;
        }
        grid[n] = t;
        return n + 1;
    }

    /** Monte Carlo mean over samples of the Gaussian log-likelihood of the scored target values. */
    private double gaussian(Window w, ElboTrace trace, double[][] path) {
        int samples = trace.samples;
        double sigma = config.observationStd();
        double constant = -0.5 * LOG_TWO_PI - Math.log(sigma);
        double total = 0.0;
        for (int j = 0; j < w.targetCount(); j++) {
            decoder.forward(path[trace.targetIndex[j]], decodedRow, samples);
            System.arraycopy(decodedRow, 0, trace.decoded, j * samples * dim, samples * dim);
            total += targetLogLikelihood(w.targetValuesRow(j), w.targetMaskRow(j), samples, constant, sigma);
        }
        return total;
    }

    private double targetLogLikelihood(double[] x, boolean[] mask, int samples, double constant, double sigma) {
        double sum = 0.0;
        for (int s = 0; s < samples; s++) {
            for (int d = 0; d < dim; d++) {
                if (mask == null || mask[d]) {
                    double r = (x[d] - decodedRow[s * dim + d]) / sigma;
                    sum += constant - 0.5 * r * r;
                }
            }
        }
        return sum / samples;
    }

    /** Monte Carlo mean over samples of {@code sum_e log lambda_{k_e}(t_e) - sum_k Lambda_k(T)}. */
    private double poisson(Window w, ElboTrace trace, double[][] path) {
        int samples = trace.samples;
        double total = 0.0;
        for (int e = 0; e < w.eventCount(); e++) {
            latent.intensities(path[trace.eventIndex[e]], rate);
            for (int s = 0; s < samples; s++) {
                double logRate = logOfRate(rate[s * types + w.eventType(e)]);
                trace.eventLogIntensity[e * samples + s] = logRate;
                total += logRate / samples;
            }
        }
        double[] end = path[trace.gridSize - 1];
        System.arraycopy(end, latent.cumulativeOffset(0), trace.finalCumulative, 0, samples * types);
        for (int i = 0; i < samples * types; i++) {
            total -= trace.finalCumulative[i] / samples;
        }
        return total;
    }

    /**
     * {@code log lambda}, floored: a softplus that underflowed to zero (pre-activation below about -745) would give
     * {@code -infinity} and poison the batch mean, so it counts as the smallest positive double.
     */
    private static double logOfRate(double lambda) {
        return lambda > 0 ? Math.log(lambda) : Math.log(Double.MIN_VALUE);
    }

    /** {@code KL(N(mu, diag sigma^2) || N(0, I)) = 1/2 sum (mu^2 + sigma^2 - 1 - log sigma^2)}. */
    private double kl(double[] muLogVar) {
        double sum = 0.0;
        for (int l = 0; l < latentDim; l++) {
            double mu = muLogVar[l];
            double logVar = muLogVar[latentDim + l];
            sum += mu * mu + Math.exp(logVar) - 1.0 - logVar;
        }
        return 0.5 * sum;
    }

    private OdeSolver solver(int samples) {
        if (solvers[samples] == null) {
            SolverOptions options = SolverOptions.of(Method.DOPRI5, config.rtol(), config.atol());
            solvers[samples] = new OdeSolver(samples * config.latentStateSize(), options);
            initialStates[samples] = new double[samples * config.latentStateSize()];
        }
        return solvers[samples];
    }

    /** @return the number of samples in {@code epsilon} */
    private int checkInputs(Window w, double[] epsilon, double beta, ElboTrace trace) {
        if (!(beta >= 0) || Double.isInfinite(beta)) {
            throw new IllegalArgumentException("beta must be finite and non-negative, got " + beta);
        }
        if (!trace.config().equals(config)) {
            throw new IllegalArgumentException("the trace is sized for another configuration: " + trace.config());
        }
        int samples = epsilon.length / latentDim;
        if (samples < 1 || samples > config.forecastSamples() || samples * latentDim != epsilon.length) {
            throw new IllegalArgumentException("epsilon must hold 1 to " + config.forecastSamples() + " samples of "
                    + latentDim + " values, got length " + epsilon.length);
        }
        checkTargets(w);
        return samples;
    }

    private void checkTargets(Window w) {
        for (int j = 0; j < w.targetCount(); j++) {
            EventChecks.checkValues(w.targetValuesRow(j), w.targetMaskRow(j), dim);
        }
        for (int e = 0; e < w.eventCount(); e++) {
            if (w.eventType(e) < 0 || w.eventType(e) >= types) {
                throw new IllegalArgumentException("event type " + w.eventType(e) + " outside [0, " + types + ")");
            }
        }
    }
}
