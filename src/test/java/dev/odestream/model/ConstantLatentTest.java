package dev.odestream.model;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * With the latent dynamics' weights and biases zero, {@code z} stays at its initial samples, so every forecast and
 * loss term has a closed form computed here by hand from the parameter blocks: {@code Lambda(t) = lambda (t - tau)}.
 */
class ConstantLatentTest {

    private static final double TOLERANCE = 1e-10;

    private final ModelConfig config = Fixtures.small();
    private final LatentOdeModel model = new LatentOdeModel(config, 7L);
    private final int latentDim = config.latentDim();
    private final int samples = config.forecastSamples();
    private Window window;
    private SeriesState state;
    private double[] mu;
    private double[] logVar;

    @BeforeEach
    void setUp() {
        Fixtures.stillDynamics(model.parameters(), "dynamics.");
        window = Fixtures.window(config, 11L);
        state = Fixtures.observeContext(model, window);
        mu = new double[latentDim];
        logVar = new double[latentDim];
        model.posterior(state, mu, logVar);
    }

    @Test
    void shouldForecastTheDecoderAtThePosteriorSamples() {
        double tau = state.lastTime();
        double[] times = {tau, tau + 0.3, tau + 1.7, tau + 5.0};
        Forecast f = model.newForecast(times.length);
        model.forecast(state, times, f);
        double[] eps = model.forecastEpsilon();
        for (int i = 0; i < times.length; i++) {
            assertEquals(tau, f.origin());
            assertEquals(times[i], f.time(i));
            checkMoments(f, i, eps);
            checkCounts(f, i, eps, times[i] - tau);
        }
    }

    private void checkMoments(Forecast f, int i, double[] eps) {
        for (int d = 0; d < config.observationDim(); d++) {
            double sum = 0.0;
            double squares = 0.0;
            for (int s = 0; s < samples; s++) {
                double x = decode(Fixtures.sample(mu, logVar, eps, s))[d];
                sum += x;
                squares += x * x;
            }
            double mean = sum / samples;
            double variance = squares / samples - mean * mean + config.observationStd() * config.observationStd();
            assertEquals(mean, f.mean(i, d), TOLERANCE, "mean " + d);
            assertEquals(Math.sqrt(variance), f.std(i, d), TOLERANCE, "std " + d);
        }
    }

    private void checkCounts(Forecast f, int i, double[] eps, double elapsed) {
        double[] meanRate = new double[config.eventTypes()];
        double noEvent = 0.0;
        for (int s = 0; s < samples; s++) {
            double[] rate = Fixtures.intensity(model.parameters(), Fixtures.sample(mu, logVar, eps, s));
            double total = 0.0;
            for (int k = 0; k < rate.length; k++) {
                meanRate[k] += rate[k] / samples;
                total += rate[k] * elapsed;
            }
            noEvent += Math.exp(-total) / samples;
        }
        for (int k = 0; k < meanRate.length; k++) {
            assertEquals(meanRate[k], f.intensity(i, k), TOLERANCE, "lambda_" + k);
            assertEquals(meanRate[k] * elapsed, f.expectedCount(i, k), TOLERANCE, "Lambda_" + k);
        }
        assertEquals(noEvent, f.probabilityNoEvent(i), TOLERANCE, "P(no event)");
    }

    /**
     * Three draws of the window are three rows of one batch; each likelihood is their mean. Restarted steps make the
     * encoder take the streaming path's steps, so the posterior is the one computed in {@link #setUp} to rounding.
     */
    @Test
    void shouldScoreTheWindowInClosedForm() {
        int draws = 3;
        double[] eps = Fixtures.normals(new SplittableRandom(5L), draws * latentDim);
        BatchedElbo elbo = Fixtures.elbo(model, BatchedElbo.Recognition.ODE_RNN, draws,
                BatchedElbo.Stepping.RESTART);
        double loss = elbo.run(Fixtures.repeated(window, draws), 0, draws, eps, 0.7, null) / draws;
        double gaussian = 0.0;
        double poisson = 0.0;
        for (int s = 0; s < draws; s++) {
            double[] z = Fixtures.sample(mu, logVar, eps, s);
            gaussian += gaussian(decode(z)) / draws;
            poisson += poisson(Fixtures.intensity(model.parameters(), z)) / draws;
        }
        double kl = 0.0;
        for (int l = 0; l < latentDim; l++) {
            kl += 0.5 * (mu[l] * mu[l] + Math.exp(logVar[l]) - 1 - logVar[l]);
        }
        assertEquals(gaussian, elbo.gaussianLogLikelihood() / draws, 1e-9);
        assertEquals(poisson, elbo.poissonLogLikelihood() / draws, 1e-9);
        assertEquals(kl, elbo.kl() / draws, 1e-12);
        assertEquals(-(gaussian + poisson) + 0.7 * kl, loss, 1e-9);
        checkGrid(elbo, eps, draws);
    }

    /** Each event's grid state holds the constant samples and {@code Lambda = lambda (t_e - tau)}. */
    private void checkGrid(BatchedElbo elbo, double[] eps, int draws) {
        double[] eventTimes = window.eventTimes();
        for (int e = 0; e < eventTimes.length; e++) {
            double[] state = elbo.latentState(gridIndex(elbo, eventTimes[e]));
            for (int s = 0; s < draws; s++) {
                double[] z = Fixtures.sample(mu, logVar, eps, s);
                double[] rate = Fixtures.intensity(model.parameters(), z);
                assertEquals(z[1], state[s * latentDim + 1], 1e-12);
                for (int k = 0; k < rate.length; k++) {
                    double lambda = state[draws * latentDim + s * rate.length + k];
                    assertEquals(rate[k] * (eventTimes[e] - window.tau()), lambda, TOLERANCE);
                }
            }
        }
        gridIndex(elbo, window.targetTimes()[2]);
        assertEquals(window.end(), elbo.latentGridTime(elbo.latentGridSize() - 1));
    }

    private static int gridIndex(BatchedElbo elbo, double t) {
        for (int g = 0; g < elbo.latentGridSize(); g++) {
            if (elbo.latentGridTime(g) == t) {
                return g;
            }
        }
        throw new AssertionError("no grid time " + t);
    }

    /** Constant {@code z}: the decoded value is the same at every target. */
    private double gaussian(double[] decoded) {
        double sigma = config.observationStd();
        double[][] values = window.targetValues();
        boolean[][] masks = window.targetMasks();
        double sum = 0.0;
        for (int j = 0; j < values.length; j++) {
            for (int d = 0; d < decoded.length; d++) {
                if (masks[j] == null || masks[j][d]) {
                    double r = values[j][d] - decoded[d];
                    sum += -0.5 * Math.log(2 * Math.PI * sigma * sigma) - r * r / (2 * sigma * sigma);
                }
            }
        }
        return sum;
    }

    /** Constant rates: {@code sum_e log lambda_{k_e} - sum_k lambda_k (T - tau)}. */
    private double poisson(double[] rate) {
        double sum = 0.0;
        for (int type : window.eventTypes()) {
            sum += Math.log(rate[type]);
        }
        for (double r : rate) {
            sum -= r * (window.end() - window.tau());
        }
        return sum;
    }

    private double[] decode(double[] z) {
        return Fixtures.mlp(model.parameters(), "decoder", config.activation(), z);
    }
}
