package dev.odestream.model;

import dev.odestream.nn.Activation;
import dev.odestream.nn.DynamicsKind;

import java.util.Objects;

/**
 * The sizes and fixed hyperparameters of a {@link LatentOdeModel}. Immutable; the compact constructor rejects
 * inconsistent values with a message naming the field.
 *
 * <p>The observation noise {@code observationStd} is the standard deviation {@code sigma} of the Gaussian likelihood
 * {@code x ~ N(g(z), diag(sigma_d^2))}, so it weighs the reconstruction term against the Poisson and KL terms of the
 * loss, and it is the floor of every forecast's spread. Without {@code learnedNoise} it is a fixed hyperparameter,
 * the same for every dimension; choose it on the scale of the (normalised) observations, e.g. 0.01 to 0.1. With
 * {@code learnedNoise} the model has a parameter block {@code noise.logStd} of {@code log sigma_d}, one per value
 * dimension, which starts at {@code log observationStd} and is trained with the rest.
 *
 * @param observationDim {@code D}, values per observation, at least 1 (pure point events carry none: mask all zero)
 * @param eventTypes {@code K}, number of event types, each with its own Poisson intensity; at least 1
 * @param latentDim {@code L}, dimension of {@code z}
 * @param encoderHidden {@code H}, size of the encoder's hidden state {@code h}
 * @param encoderOdeHidden hidden width of the encoder's ODE {@code dh/dt = f_enc(h)}
 * @param dynamicsHidden hidden width of the latent dynamics {@code dz/dt = f_theta(z)}
 * @param decoderHidden hidden width of the decoder {@code x_hat = g(z)}
 * @param activation hidden activation of every MLP: {@link Activation#TANH} or {@link Activation#SOFTPLUS}, smooth so
 *     that adaptive solvers and the adjoint see smooth dynamics
 * @param observationStd {@code sigma} of the Gaussian observation likelihood, fixed, positive
 * @param forecastSamples {@code S}, posterior samples a forecast integrates as one batch, at least 1
 * <p><b>Two sets of tolerances.</b> {@code rtol, atol} govern the solves that define the model: the encoder ODE
 * (streaming and training alike, so that a series' posterior is the one the model was trained to produce) and the
 * latent solve of the training loss. {@code forecastRtol, forecastAtol} govern only the latent solve of
 * {@link LatentOdeModel#forecast}. They are a serving setting, not part of the trained model: the checkpoint's
 * hyperparameters leave them out, and an engine chooses them. A forecast's answer is a distribution whose spread is at
 * least {@code observationStd}, so solving it far more accurately than its spread buys nothing. At the reference
 * setting ({@link #reference()}: {@code 1e-3 / 1e-5}), against a solve at {@code 1e-9 / 1e-11} and up to a horizon of
 * 4 time units, the forecast mean and spread stay within {@value #FORECAST_DEVIATION_BOUND} of the forecast's spread,
 * the intensity and the expected count within that fraction of their values, and the probability of no event within
 * that much absolutely ({@code ForecastToleranceTest}, with dynamics up to three times as strong as at
 * initialisation; docs/performance.md has the worst case measured).
 *
 * @param rtol relative tolerance of the encoder's ODE and of the training loss's latent solve, in {@code (0, 1)}
 * @param atol absolute tolerance of those solves, positive
 * @param forecastRtol relative tolerance of the forecast's latent solve, in {@code (0, 1)}
 * @param forecastAtol absolute tolerance of the forecast's latent solve, positive
 * <p><b>Dynamics and long gaps.</b> {@code dynamics} chooses the encoder's ODE and the latent dynamics together:
 * {@link DynamicsKind#BOUNDED} ({@code dh/dt = r (tanh(MLP(h)) - h)}, bounded for any parameters; every new model) or
 * {@link DynamicsKind#MLP} ({@code dh/dt = MLP(h)}, the first models' dynamics, which a checkpoint without the key
 * has). {@code maxGap} is the gap rule, in model time units, applied wherever the model solves over a gap, in serving
 * and training alike:
 * <ul>
 *   <li>the encoder's clock stops after {@code maxGap}: across a longer gap between two events, {@code h} evolves for
 *       {@code maxGap} only ({@link OdeRnnEncoder#observe}, {@link BatchedElbo});</li>
 *   <li>the latent path stops at {@code tau + maxGap}: beyond it {@code z}, and so the forecast's mean, spread and
 *       intensity, are held at their values there, and the expected count grows linearly,
 *       {@code Lambda(t) = Lambda(tau + maxGap) + lambda(tau + maxGap) (t - tau - maxGap)}
 *       ({@link LatentOdeModel#forecast}, {@link BatchedElbo}).</li>
 * </ul>
 * So the solver's work per event or forecast is bounded by that of a {@code maxGap} solve, whatever the gap.
 * {@link #NO_GAP_LIMIT} turns the rule off (a checkpoint without the key).
 *
 * @param dynamics the kind of the encoder's and the latent ODEs
 * @param maxGap the longest stretch of model time any solve covers, positive, or {@link #NO_GAP_LIMIT}
 * @param learnedNoise whether the observation noise is learned per value dimension (block {@code noise.logStd})
 */
public record ModelConfig(int observationDim, int eventTypes, int latentDim, int encoderHidden, int encoderOdeHidden,
                          int dynamicsHidden, int decoderHidden, Activation activation, double observationStd,
                          int forecastSamples, double rtol, double atol, double forecastRtol, double forecastAtol,
                          DynamicsKind dynamics, double maxGap, boolean learnedNoise) {

    /** {@code maxGap} of a model whose solves cover any gap (the first models, kind {@link DynamicsKind#MLP}). */
    public static final double NO_GAP_LIMIT = Double.POSITIVE_INFINITY;

    /**
     * The {@code maxGap} of new models, in model time units (a {@link DataSpec} picks the unit near the median gap, so
     * this is many typical gaps). With rates below one per unit the bounded dynamics have mostly relaxed by then, and
     * a solve of this length costs a few times a one-unit solve ({@code GapSweepTest} measures it).
     */
    public static final double DEFAULT_MAX_GAP = 8.0;

    /**
     * How far a forecast at the reference forecast tolerances may lie from a tight-tolerance solve, as a fraction
     * (see the class comment for what each figure is measured against).
     */
    public static final double FORECAST_DEVIATION_BOUND = 0.02;

    public ModelConfig {
        positive("observationDim", observationDim);
        positive("eventTypes", eventTypes);
        positive("latentDim", latentDim);
        positive("encoderHidden", encoderHidden);
        positive("encoderOdeHidden", encoderOdeHidden);
        positive("dynamicsHidden", dynamicsHidden);
        positive("decoderHidden", decoderHidden);
        positive("forecastSamples", forecastSamples);
        Objects.requireNonNull(activation, "activation");
        if (activation != Activation.TANH && activation != Activation.SOFTPLUS) {
            throw new IllegalArgumentException("activation must be TANH or SOFTPLUS, got " + activation);
        }
        if (!(observationStd > 0) || Double.isInfinite(observationStd)) {
            throw new IllegalArgumentException("observationStd must be positive and finite, got " + observationStd);
        }
        if (!(rtol > 0 && rtol < 1)) {
            throw new IllegalArgumentException("rtol must lie in (0, 1), got " + rtol);
        }
        if (!(atol > 0) || Double.isInfinite(atol)) {
            throw new IllegalArgumentException("atol must be positive and finite, got " + atol);
        }
        if (!(forecastRtol > 0 && forecastRtol < 1)) {
            throw new IllegalArgumentException("forecastRtol must lie in (0, 1), got " + forecastRtol);
        }
        if (!(forecastAtol > 0) || Double.isInfinite(forecastAtol)) {
            throw new IllegalArgumentException("forecastAtol must be positive and finite, got " + forecastAtol);
        }
        Objects.requireNonNull(dynamics, "dynamics");
        if (!(maxGap > 0)) {
            throw new IllegalArgumentException("maxGap must be positive (or infinite for no limit), got " + maxGap);
        }
    }

    /** A configuration with a fixed observation noise. */
    public ModelConfig(int observationDim, int eventTypes, int latentDim, int encoderHidden, int encoderOdeHidden,
                       int dynamicsHidden, int decoderHidden, Activation activation, double observationStd,
                       int forecastSamples, double rtol, double atol, double forecastRtol, double forecastAtol,
                       DynamicsKind dynamics, double maxGap) {
        this(observationDim, eventTypes, latentDim, encoderHidden, encoderOdeHidden, dynamicsHidden, decoderHidden,
                activation, observationStd, forecastSamples, rtol, atol, forecastRtol, forecastAtol, dynamics, maxGap,
                false);
    }

    /** @return this configuration with the observation noise learned per dimension, or fixed */
    public ModelConfig withLearnedNoise(boolean learned) {
        return new ModelConfig(observationDim, eventTypes, latentDim, encoderHidden, encoderOdeHidden, dynamicsHidden,
                decoderHidden, activation, observationStd, forecastSamples, rtol, atol, forecastRtol, forecastAtol,
                dynamics, maxGap, learned);
    }

    /** A configuration of new models' dynamics: {@link DynamicsKind#BOUNDED}, {@link #DEFAULT_MAX_GAP}. */
    public ModelConfig(int observationDim, int eventTypes, int latentDim, int encoderHidden, int encoderOdeHidden,
                       int dynamicsHidden, int decoderHidden, Activation activation, double observationStd,
                       int forecastSamples, double rtol, double atol, double forecastRtol, double forecastAtol) {
        this(observationDim, eventTypes, latentDim, encoderHidden, encoderOdeHidden, dynamicsHidden, decoderHidden,
                activation, observationStd, forecastSamples, rtol, atol, forecastRtol, forecastAtol,
                DynamicsKind.BOUNDED, DEFAULT_MAX_GAP, false);
    }

    /**
     * A configuration whose forecasts solve at the model's own tolerances {@code rtol, atol}, with new models'
     * dynamics.
     */
    public ModelConfig(int observationDim, int eventTypes, int latentDim, int encoderHidden, int encoderOdeHidden,
                       int dynamicsHidden, int decoderHidden, Activation activation, double observationStd,
                       int forecastSamples, double rtol, double atol) {
        this(observationDim, eventTypes, latentDim, encoderHidden, encoderOdeHidden, dynamicsHidden, decoderHidden,
                activation, observationStd, forecastSamples, rtol, atol, rtol, atol);
    }

    /**
     * The streaming reference size: {@code D = 4, K = 1, L = 8, H = 32}, encoder-ODE and decoder hidden 32, dynamics
     * hidden 64, tanh, {@code sigma = 0.1}, {@code S = 16}, {@code rtol = 1e-5, atol = 1e-7}; forecasts at
     * {@code rtol = 1e-3, atol = 1e-5}; bounded dynamics with {@link #DEFAULT_MAX_GAP}.
     */
    public static ModelConfig reference() {
        return new ModelConfig(4, 1, 8, 32, 32, 64, 32, Activation.TANH, 0.1, 16, 1e-5, 1e-7, 1e-3, 1e-5,
                DynamicsKind.BOUNDED, DEFAULT_MAX_GAP, false);
    }

    /**
     * The architecture a first model of a user's data gets when the worker bootstraps it (as {@code train --data}
     * sizes one by default): latent 4, every hidden layer 24, tanh, observation noise 0.5 (half a robust standard
     * deviation of the scaled values), the reference's forecast samples, tolerances, dynamics and gap rule.
     *
     * @param observationDim values per event
     * @param eventTypes event types
     */
    public static ModelConfig forData(int observationDim, int eventTypes) {
        ModelConfig r = reference();
        return new ModelConfig(observationDim, eventTypes, 4, 24, 24, 24, 24, Activation.TANH, 0.5,
                r.forecastSamples(), r.rtol(), r.atol(), r.forecastRtol(), r.forecastAtol(), r.dynamics(),
                r.maxGap());
    }

    /** @return this architecture for data of another shape: {@code observationDim} values, {@code eventTypes} types */
    public ModelConfig withShape(int newObservationDim, int newEventTypes) {
        return new ModelConfig(newObservationDim, newEventTypes, latentDim, encoderHidden, encoderOdeHidden,
                dynamicsHidden, decoderHidden, activation, observationStd, forecastSamples, rtol, atol, forecastRtol,
                forecastAtol, dynamics, maxGap, learnedNoise);
    }

    /** @return this configuration with another number of forecast samples. */
    public ModelConfig withForecastSamples(int samples) {
        return new ModelConfig(observationDim, eventTypes, latentDim, encoderHidden, encoderOdeHidden, dynamicsHidden,
                decoderHidden, activation, observationStd, samples, rtol, atol, forecastRtol, forecastAtol, dynamics,
                maxGap, learnedNoise);
    }

    /** @return this configuration with another observation noise {@code sigma}. */
    public ModelConfig withObservationStd(double std) {
        return new ModelConfig(observationDim, eventTypes, latentDim, encoderHidden, encoderOdeHidden, dynamicsHidden,
                decoderHidden, activation, std, forecastSamples, rtol, atol, forecastRtol, forecastAtol, dynamics,
                maxGap, learnedNoise);
    }

    /** @return this configuration with other tolerances for every solve, the forecast's included. */
    public ModelConfig withTolerances(double relative, double absolute) {
        return new ModelConfig(observationDim, eventTypes, latentDim, encoderHidden, encoderOdeHidden, dynamicsHidden,
                decoderHidden, activation, observationStd, forecastSamples, relative, absolute, relative, absolute,
                dynamics, maxGap, learnedNoise);
    }

    /** @return this configuration with other tolerances for the forecast's latent solve only. */
    public ModelConfig withForecastTolerances(double relative, double absolute) {
        return new ModelConfig(observationDim, eventTypes, latentDim, encoderHidden, encoderOdeHidden, dynamicsHidden,
                decoderHidden, activation, observationStd, forecastSamples, rtol, atol, relative, absolute, dynamics,
                maxGap, learnedNoise);
    }

    /**
     * @return this configuration with other dynamics and gap rule
     * @param newMaxGap positive, or {@link #NO_GAP_LIMIT}
     */
    public ModelConfig withDynamics(DynamicsKind kind, double newMaxGap) {
        return new ModelConfig(observationDim, eventTypes, latentDim, encoderHidden, encoderOdeHidden, dynamicsHidden,
                decoderHidden, activation, observationStd, forecastSamples, rtol, atol, forecastRtol, forecastAtol,
                kind, newMaxGap, learnedNoise);
    }

    /** @return whether the gap rule caps any solve ({@link #maxGap} is finite) */
    public boolean limitsGaps() {
        return maxGap != NO_GAP_LIMIT;
    }

    /** @return features of the encoder's GRU input {@code [x * mask, mask, one-hot(type)]}: {@code 2D + K}. */
    public int encoderInputSize() {
        return 2 * observationDim + eventTypes;
    }

    /** @return state per sample of the latent solve {@code [z, Lambda]}: {@code L + K}. */
    public int latentStateSize() {
        return latentDim + eventTypes;
    }

    private static void positive(String name, int value) {
        if (value < 1) {
            throw new IllegalArgumentException(name + " must be at least 1, got " + value);
        }
    }
}
