package dev.odestream.model;

import dev.odestream.nn.Activation;

import java.util.Objects;

/**
 * The sizes and fixed hyperparameters of a {@link LatentOdeModel}. Immutable; the compact constructor rejects
 * inconsistent values with a message naming the field.
 *
 * <p>The observation noise {@code observationStd} is a fixed hyperparameter, not learned: it is the standard
 * deviation {@code sigma} of the Gaussian likelihood {@code x ~ N(g(z), sigma^2 I)}, so it weighs the reconstruction
 * term against the Poisson and KL terms of the loss, and it is the floor of every forecast's spread. Choose it on the
 * scale of the (normalised) observations, e.g. 0.01 to 0.1.
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
 * @param rtol relative tolerance of every ODE solve (encoder and latent), in {@code (0, 1)}
 * @param atol absolute tolerance of every ODE solve, positive
 */
public record ModelConfig(int observationDim, int eventTypes, int latentDim, int encoderHidden, int encoderOdeHidden,
                          int dynamicsHidden, int decoderHidden, Activation activation, double observationStd,
                          int forecastSamples, double rtol, double atol) {

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
    }

    /**
     * The streaming reference size: {@code D = 4, K = 1, L = 8, H = 32}, encoder-ODE and decoder hidden 32, dynamics
     * hidden 64, tanh, {@code sigma = 0.1}, {@code S = 16}, {@code rtol = 1e-5, atol = 1e-7}.
     */
    public static ModelConfig reference() {
        return new ModelConfig(4, 1, 8, 32, 32, 64, 32, Activation.TANH, 0.1, 16, 1e-5, 1e-7);
    }

    /** @return this configuration with another number of forecast samples. */
    public ModelConfig withForecastSamples(int samples) {
        return new ModelConfig(observationDim, eventTypes, latentDim, encoderHidden, encoderOdeHidden, dynamicsHidden,
                decoderHidden, activation, observationStd, samples, rtol, atol);
    }

    /** @return this configuration with another observation noise {@code sigma}. */
    public ModelConfig withObservationStd(double std) {
        return new ModelConfig(observationDim, eventTypes, latentDim, encoderHidden, encoderOdeHidden, dynamicsHidden,
                decoderHidden, activation, std, forecastSamples, rtol, atol);
    }

    /** @return this configuration with other solver tolerances. */
    public ModelConfig withTolerances(double relative, double absolute) {
        return new ModelConfig(observationDim, eventTypes, latentDim, encoderHidden, encoderOdeHidden, dynamicsHidden,
                decoderHidden, activation, observationStd, forecastSamples, relative, absolute);
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
