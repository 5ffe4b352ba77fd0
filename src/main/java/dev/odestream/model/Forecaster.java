package dev.odestream.model;

import dev.odestream.nn.Mlp;
import dev.odestream.nn.ParameterBlock;
import dev.odestream.ode.Method;
import dev.odestream.ode.OdeSolver;
import dev.odestream.ode.SolverOptions;

/**
 * The forecast pass: posterior at {@code tau}, {@code S} fixed-noise samples, one solve of {@code [z, Lambda]} over all
 * of them through the query times, and per query time the sample statistics. Workspaces sized once (the output rows
 * grow with the largest {@link Forecast#capacity()} seen); allocation-free when warm.
 */
final class Forecaster {

    private final OdeRnnEncoder encoder;
    private final LatentSystem latent;
    private final Mlp decoder;
    private final double[] epsilon;
    private OdeSolver solver;
    private final RowBuffers path;
    private final double[] muLogVar;
    private final double[] y0;
    private final double[] decoded;
    private final double[] rate;
    private final int samples;
    private final int latentDim;
    private final int dim;
    private final int types;
    private final double noiseVariance;
    private final double[] parameters;
    private final ParameterBlock noise;
    private final double maxGap;

    /**
     * @param parameters the model's parameter values, read at each forecast. Not modified.
     * @param noise the learned observation noise's block in them, or {@code null} for the configuration's fixed noise
     */
    Forecaster(ModelConfig config, OdeRnnEncoder encoder, LatentSystem latent, Mlp decoder, double[] epsilon,
            double[] parameters, ParameterBlock noise) {
        this.parameters = parameters;
        this.noise = noise;
        this.encoder = encoder;
        this.latent = latent;
        this.decoder = decoder;
        this.epsilon = epsilon;
        this.samples = config.forecastSamples();
        this.latentDim = config.latentDim();
        this.dim = config.observationDim();
        this.types = config.eventTypes();
        this.noiseVariance = config.observationStd() * config.observationStd();
        this.maxGap = config.maxGap();
        int stateSize = samples * config.latentStateSize();
        this.solver = new OdeSolver(stateSize, options(config, true));
        this.path = new RowBuffers(stateSize);
        this.muLogVar = new double[2 * latentDim];
        this.y0 = new double[stateSize];
        this.decoded = new double[samples * dim];
        this.rate = new double[samples * types];
    }

    /**
     * A one-horizon forecast is a short solve that the latent dynamics usually allow in one or two steps, so the
     * first step tries the whole span (capped by the derivative at tau) instead of paying Hairer's extra evaluation
     * and then several cautious steps; it depends only on the state at tau, so forecasts stay deterministic.
     */
    private static SolverOptions options(ModelConfig config, boolean spanFirst) {
        return SolverOptions.builder(Method.DOPRI5).rtol(config.forecastRtol()).atol(config.forecastAtol())
                .spanFirst(spanFirst).build();
    }

    /** Chooses the first step rule; allocates a new solver, so call it at set-up. */
    void spanFirst(ModelConfig config, boolean value) {
        solver = new OdeSolver(solver.dimension(), options(config, value));
    }

    /**
     * The query times before {@code tau + maxGap} are answered by one solve through them and that time; those at or
     * after it by the state there, {@code z} held and {@code Lambda} grown by the intensity there (the gap rule of
     * {@link ModelConfig}).
     *
     * @return derivative evaluations of the solve.
     */
    long forecast(SeriesState state, double[] times, Forecast out) {
        checkTimes(state, times, out);
        encoder.posterior(state.hidden(), muLogVar);
        latent.setRows(samples);
        latent.initialState(muLogVar, epsilon, y0);
        double tau = state.lastTime();
        double cap = tau + maxGap;
        int solved = 0;
        while (solved < times.length && times[solved] < cap) {
            solved++;
        }
        double[][] rows;
        if (solved == times.length) {
            rows = path.rows(times.length);
            solver.integrate(latent, tau, y0, times, rows);
        } else {
            rows = path.rows(times.length + 1);
            double[] through = path.times(solved + 1);
            System.arraycopy(times, 0, through, 0, solved);
            through[solved] = cap;
            solver.integrate(latent, tau, y0, through, 0, solved + 1, rows);
            hold(rows, solved, times);
        }
        out.size = times.length;
        out.origin = tau;
        for (int i = 0; i < times.length; i++) {
            out.times[i] = times[i];
            summarise(rows[i < solved ? i : i + 1], i, out);
        }
        return solver.stats().nfe();
    }

    /** Rows {@code i + 1} for the query times from {@code from} on: the state at the cap (row {@code from}), held. */
    private void hold(double[][] rows, int from, double[] times) {
        double[] atCap = rows[from];
        double cap = path.times(from + 1)[from];
        latent.intensities(atCap, rate);
        int base = latent.cumulativeOffset(0);
        for (int i = from; i < times.length; i++) {
            double[] row = rows[i + 1];
            System.arraycopy(atCap, 0, row, 0, row.length);
            double beyond = times[i] - cap;
            for (int j = 0; j < samples * types; j++) {
                row[base + j] += rate[j] * beyond;
            }
        }
    }

    /** @return steps the solver rejected in the last forecast's solve. */
    long lastRejectedSteps() {
        return solver.stats().rejected();
    }

    private void summarise(double[] state, int i, Forecast out) {
        decoder.forward(state, decoded, samples);
        latent.intensities(state, rate);
        moments(i, out);
        counts(state, i, out);
    }

    /**
     * The predictive law is the equal-weight mixture of {@code N(g(z_s), sigma_d^2)}, whose variance is exactly the
     * population variance of the {@code g(z_s)} (the posterior's uncertainty) plus {@code sigma_d^2} (the observation
     * noise, learned or fixed), by the law of total variance.
     */
    private void moments(int i, Forecast out) {
        for (int d = 0; d < dim; d++) {
            double sum = 0.0;
            for (int s = 0; s < samples; s++) {
                sum += decoded[s * dim + d];
            }
            double m = sum / samples;
            double squares = 0.0;
            for (int s = 0; s < samples; s++) {
                double e = decoded[s * dim + d] - m;
                squares += e * e;
            }
            out.mean[i * dim + d] = m;
            double sigma2 = noise == null ? noiseVariance : Math.exp(2 * parameters[noise.offset() + d]);
            out.std[i * dim + d] = Math.sqrt(squares / samples + sigma2);
        }
    }

    private void counts(double[] state, int i, Forecast out) {
        int base = latent.cumulativeOffset(0);
        double noEvent = 0.0;
        for (int k = 0; k < types; k++) {
            out.intensity[i * types + k] = 0.0;
            out.expectedCount[i * types + k] = 0.0;
        }
        double c = out.intensityScale;
        for (int s = 0; s < samples; s++) {
            double total = 0.0;
            for (int k = 0; k < types; k++) {
                double cumulative = c * state[base + s * types + k];
                out.intensity[i * types + k] += c * rate[s * types + k] / samples;
                out.expectedCount[i * types + k] += cumulative / samples;
                total += cumulative;
            }
            noEvent += Math.exp(-total);
        }
        out.probabilityNoEvent[i] = noEvent / samples;
    }

    private void checkTimes(SeriesState state, double[] times, Forecast out) {
        if (!state.hasEvents()) {
            throw new IllegalStateException("the series has no events yet, so there is no posterior to forecast from");
        }
        if (times.length == 0 || times.length > out.capacity()) {
            throw new IllegalArgumentException(times.length + " query times; the forecast holder takes 1 to "
                    + out.capacity());
        }
        if (out.observationDim() != dim || out.eventTypes() != types) {
            throw new IllegalArgumentException("forecast holder is sized for D=" + out.observationDim() + ", K="
                    + out.eventTypes() + "; the model has D=" + dim + ", K=" + types);
        }
        double previous = state.lastTime();
        for (int i = 0; i < times.length; i++) {
            boolean ordered = i == 0 ? times[0] >= previous : times[i] > previous;
            if (!ordered || !Double.isFinite(times[i])) {
                throw new IllegalArgumentException("query times must be finite, increasing and not before the last "
                        + "event time " + state.lastTime() + "; times[" + i + "] = " + times[i] + " is not");
            }
            previous = times[i];
        }
    }
}
