package dev.odestream.model;

import dev.odestream.nn.BoundedDynamics;
import dev.odestream.nn.Initializers;
import dev.odestream.nn.Mlp;
import dev.odestream.nn.ParameterBlock;
import dev.odestream.nn.Parameters;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * The latent ODE with an ODE-RNN encoder (Chen et al. 2018, section 5; Rubanova et al. 2019): its parameters and the
 * per-event calls of the streaming engine ({@link #observe}, {@link #forecast}). The training loss over the same
 * parameters is {@link BatchedElbo}'s.
 *
 * <p><b>Modules</b>, in the order their blocks sit in the one flat {@link Parameters}:
 * <ol>
 *   <li>{@code encoder.ode.*}, {@code encoder.gru.*}, {@code posterior.*}: the {@link OdeRnnEncoder};</li>
 *   <li>{@code dynamics.*}, {@code intensity.*}: the {@link LatentSystem}, {@code dz/dt = f_theta(z)} with the
 *       cumulative intensities {@code dLambda_k/dt = softplus(w_k . z + b_k)} in the same solve;</li>
 *   <li>{@code decoder.*}: {@code x_hat = g(z)}, an MLP {@code L -> decoderHidden -> D};</li>
 *   <li>{@code noise.logStd}, only with {@link ModelConfig#learnedNoise()}: {@code log sigma_d} of the observation
 *       noise, one per value dimension.</li>
 * </ol>
 * Weights start Glorot-uniform and biases zero, from the constructor's seed; {@code noise.logStd} starts at
 * {@code log observationStd}; the bounded dynamics' rates start slow ({@link BoundedDynamics#initialiseRates}).
 *
 * <p><b>Forecast samples are fixed standard normals, not sigma points.</b> At construction {@code S} vectors
 * {@code eps_s ~ N(0, I_L)} are drawn from the seed, in antithetic pairs {@code (eps, -eps)} (an odd {@code S}
 * adds {@code eps = 0}, the posterior mean), so their sample mean is exactly zero. Every forecast uses
 * {@code z_s = mu + sigma * eps_s}: forecasts are deterministic given the seed and the parameters, and a forecast
 * changes only when the posterior does, never from sampling noise. Sigma points would tie {@code S} to {@code 2L + 1}
 * and weigh the decoder's nonlinearity only to second order; a loader that restores parameters into a model built
 * with the same seed reproduces forecasts exactly.
 *
 * <p><b>Threading.</b> One model instance per thread: every module caches its forward pass in workspaces. Use
 * {@link #copy()} to give another thread its own instance with the same parameters.
 */
public final class LatentOdeModel {

    private final ModelConfig config;
    private final long seed;
    private final Parameters params = new Parameters();
    private final OdeRnnEncoder encoder;
    private final LatentSystem latent;
    private final Mlp decoder;
    private final ParameterBlock noise;
    private final double[] epsilon;
    private final Forecaster forecaster;
    private final double[] muLogVar;
    private long lastNfe;
    private long lastRejectedSteps;

    /**
     * Builds the modules and initialises every parameter from {@code seed}.
     *
     * @param config sizes and hyperparameters
     * @param seed seeds the parameters and the forecast samples
     */
    public LatentOdeModel(ModelConfig config, long seed) {
        this.config = config;
        this.seed = seed;
        this.encoder = new OdeRnnEncoder(params, config);
        this.latent = new LatentSystem(params, config);
        this.decoder = new Mlp(params, "decoder",
                new int[] {config.latentDim(), config.decoderHidden(), config.observationDim()},
                config.activation(), config.forecastSamples());
        this.noise = noiseBlock(params, config);
        Initializers.glorotWeightsZeroBiases(params, seed);
        if (noise != null) {
            Arrays.fill(params.values(), noise.offset(), noise.end(), Math.log(config.observationStd()));
        }
        BoundedDynamics.initialiseRates(params);
        this.epsilon = antitheticNormals(config.forecastSamples(), config.latentDim(), seed);
        this.forecaster = new Forecaster(config, encoder, latent, decoder, epsilon, params.values(), noise);
        this.muLogVar = new double[2 * config.latentDim()];
    }

    /**
     * Registers the learned observation noise block after the decoder's, where {@link BatchedElbo} registers it too.
     *
     * @return the block, or {@code null} when the configuration's noise is fixed
     */
    static ParameterBlock noiseBlock(Parameters params, ModelConfig config) {
        return config.learnedNoise() ? params.register(NOISE, config.observationDim()) : null;
    }

    /** The name of the learned observation noise block, {@code log sigma_d} per value dimension. */
    public static final String NOISE = "noise.logStd";

    /**
     * @param d a value dimension
     * @return the observation noise's standard deviation {@code sigma_d}: learned, or the configuration's
     */
    public double observationStd(int d) {
        return noise == null ? config.observationStd() : Math.exp(params.values()[noise.offset() + d]);
    }

    /** @return a series state with no events, sized for this model. */
    public SeriesState newState() {
        return new SeriesState(config.encoderHidden());
    }

    /** @return a forecast holder for up to {@code capacity} query times, sized for this model. */
    public Forecast newForecast(int capacity) {
        return Forecast.of(config, capacity);
    }

    /**
     * Folds one event into a series' state (see {@link OdeRnnEncoder#observe}). Allocation-free. A rejected event
     * leaves the state unchanged.
     *
     * @param state the series. Modified.
     * @param t event time, finite, not before the series' last event time
     * @param values the observation, length {@code D}, or {@code null} for a pure point event. Not modified.
     * @param mask which values are present, or {@code null} for all. Not modified.
     * @param eventType in {@code [0, K)}
     * @throws IllegalArgumentException for an out-of-order or non-finite time, a non-finite present value, a wrong
     *     length or event type
     */
    public void observe(SeriesState state, double t, double[] values, boolean[] mask, int eventType) {
        encoder.observe(state, t, values, mask, eventType);
        lastNfe = encoder.lastNfe();
        lastRejectedSteps = encoder.lastRejectedSteps();
    }

    /**
     * Forecasts from the posterior at {@code tau}, the series' last event time: integrates {@code [z, Lambda]} from
     * {@code tau} through every query time in one solve over the {@code S} samples, then fills, per query time, the
     * mean and standard deviation of {@code x}, the intensities, the expected counts in {@code (tau, t]} and the
     * probability of no event there. Allocation-free once {@code out}'s capacity has been seen.
     *
     * @param state the series, with at least one event. Not modified.
     * @param times query times, increasing, the first not before {@code tau}; one solve's step sequence depends only
     *     on the last. Not modified.
     * @param out receives the forecast. Modified.
     * @throws IllegalStateException if the series has no events
     * @throws IllegalArgumentException for badly ordered times or too many for {@code out}
     */
    public void forecast(SeriesState state, double[] times, Forecast out) {
        lastNfe = forecaster.forecast(state, times, out);
        lastRejectedSteps = forecaster.lastRejectedSteps();
    }

    /**
     * Chooses how a forecast's solve picks its first step: {@code true} (the default) tries the whole span, bounded
     * by the derivative at {@code tau} ({@link dev.odestream.ode.SolverOptions.Builder#spanFirst}); {@code false}
     * uses Hairer's estimate, one evaluation more and a more cautious start. Kept so that the two can be compared;
     * allocates, so call it at set-up.
     */
    public void forecastSpanFirst(boolean value) {
        forecaster.spanFirst(config, value);
    }

    /** @return derivative evaluations of the last {@link #observe} (encoder ODE) or {@link #forecast} (latent ODE). */
    public long lastNfe() {
        return lastNfe;
    }

    /** @return solver steps rejected by the last {@link #observe} or {@link #forecast}. */
    public long lastRejectedSteps() {
        return lastRejectedSteps;
    }

    /**
     * The posterior {@code q(z(tau))} of a series. Allocation-free.
     *
     * @param state the series. Not modified.
     * @param mu receives the mean, length {@code L}. Modified.
     * @param logVar receives {@code log sigma^2}, length {@code L}. Modified.
     */
    public void posterior(SeriesState state, double[] mu, double[] logVar) {
        encoder.posterior(state.hidden(), muLogVar);
        split(mu, logVar);
    }

    /**
     * Encodes a window's context into its posterior by the streaming path: {@link #observe} of every context event
     * from a fresh state. Allocates the state.
     *
     * @param mu receives the mean, length {@code L}. Modified.
     * @param logVar receives {@code log sigma^2}, length {@code L}. Modified.
     */
    public void encode(Window window, double[] mu, double[] logVar) {
        SeriesState state = newState();
        for (int i = 0; i < window.contextCount(); i++) {
            observe(state, window.contextTime(i), window.contextValuesRow(i), window.contextMaskRow(i),
                    window.contextType(i));
        }
        posterior(state, mu, logVar);
    }

    /** @return a copy of the forecast noise, {@code S x L} row-major. */
    public double[] forecastEpsilon() {
        return epsilon.clone();
    }

    /**
     * @return a new model with this configuration and seed and a copy of the current parameter values, for another
     *     thread
     */
    public LatentOdeModel copy() {
        LatentOdeModel other = new LatentOdeModel(config, seed);
        System.arraycopy(params.values(), 0, other.params.values(), 0, params.size());
        return other;
    }

    /** @return the configuration. */
    public ModelConfig config() {
        return config;
    }

    /** @return the seed of the initial parameters and of the forecast noise. */
    public long seed() {
        return seed;
    }

    /** @return the flat parameters of every module (values Modified by optimizers and checkpoint loaders). */
    public Parameters parameters() {
        return params;
    }

    /** @return the encoder and posterior head. */
    public OdeRnnEncoder encoder() {
        return encoder;
    }

    /** @return the latent dynamics with the intensity head. */
    public LatentSystem latentSystem() {
        return latent;
    }

    /** @return the decoder {@code g}, blocks {@code decoder.*}. */
    public Mlp decoder() {
        return decoder;
    }

    private void split(double[] mu, double[] logVar) {
        int l = config.latentDim();
        System.arraycopy(muLogVar, 0, mu, 0, l);
        System.arraycopy(muLogVar, l, logVar, 0, l);
    }

    private static double[] antitheticNormals(int samples, int latentDim, long seed) {
        SplittableRandom rng = new SplittableRandom(seed).split();
        double[] eps = new double[samples * latentDim];
        for (int s = 0; s + 1 < samples; s += 2) {
            for (int l = 0; l < latentDim; l++) {
                double e = rng.nextGaussian();
                eps[s * latentDim + l] = e;
                eps[(s + 1) * latentDim + l] = -e;
            }
        }
        return eps;
    }
}
