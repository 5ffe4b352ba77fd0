package dev.odestream.model;

import dev.odestream.model.BatchedElbo.Stepping;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The streaming calls ({@code observe} then {@code forecast}) and the training loss ({@link BatchedElbo}) compute the
 * same encoder states and posterior and, for the same noise, the same decoded values and counts.
 */
class StreamingTrainingAgreementTest {

    private static final double TOLERANCE = 1e-9;

    private final ModelConfig config = Fixtures.small();
    private final LatentOdeModel model = new LatentOdeModel(config, 42L);
    private final int latentDim = config.latentDim();

    @Test
    void shouldEncodeToTheStreamingPosterior() {
        Window w = Fixtures.window(config, 1L);
        SeriesState s = Fixtures.observeContext(model, w);
        double[] mu = new double[latentDim];
        double[] logVar = new double[latentDim];
        model.posterior(s, mu, logVar);
        BatchedElbo elbo = Fixtures.elbo(model, BatchedElbo.Recognition.ODE_RNN, 1, Stepping.RESTART);
        elbo.run(List.of(w), 0, 1, new double[latentDim], 1.0, null);
        double[] trainedMu = new double[latentDim];
        double[] trainedLogVar = new double[latentDim];
        elbo.posterior(0, trainedMu, trainedLogVar);
        assertArrayEquals(mu, trainedMu, TOLERANCE);
        assertArrayEquals(logVar, trainedLogVar, TOLERANCE);
        double[] encoded = new double[latentDim];
        model.encode(w, encoded, new double[latentDim]);
        assertArrayEquals(mu, encoded, 0.0, "encode is the streaming path");
    }

    @Test
    void shouldDecodeTheForecastMeanForTheForecastNoise() {
        // With the training solve's first-step rule both solves take the same steps, so they agree to rounding.
        model.forecastSpanFirst(false);
        checkForecastAgainstTraining(TOLERANCE);
    }

    @Test
    void shouldAgreeToTheSolverToleranceWithTheForecastsOwnFirstStep() {
        // The forecast's own first step (the whole span, bounded) takes other steps than the training solve: the two
        // then agree to the tolerance both solve at (rtol 1e-8, atol 1e-10), not to rounding.
        checkForecastAgainstTraining(1e-7);
    }

    /** The forecast's samples are the training batch's rows: the window repeated, one forecast draw per row. */
    private void checkForecastAgainstTraining(double tolerance) {
        Window w = Fixtures.window(config, 3L);
        SeriesState s = Fixtures.observeContext(model, w);
        Forecast f = model.newForecast(8);
        model.forecast(s, w.targetTimes(), f);
        int samples = config.forecastSamples();
        BatchedElbo elbo = Fixtures.elbo(model, BatchedElbo.Recognition.ODE_RNN, samples, Stepping.CONTINUOUS);
        elbo.run(Fixtures.repeated(w, samples), 0, samples, model.forecastEpsilon(), 1.0, null);
        assertEquals(w.targetCount(), f.size());
        for (int j = 0; j < w.targetCount(); j++) {
            double[] state = elbo.latentState(gridIndex(elbo, w.targetTime(j)));
            double[] mean = new double[config.observationDim()];
            for (int row = 0; row < samples; row++) {
                double[] z = Arrays.copyOfRange(state, row * latentDim, (row + 1) * latentDim);
                double[] x = Fixtures.mlp(model.parameters(), "decoder", config.activation(), z);
                for (int d = 0; d < mean.length; d++) {
                    mean[d] += x[d] / samples;
                }
            }
            for (int d = 0; d < config.observationDim(); d++) {
                assertEquals(f.mean(j, d), mean[d], tolerance, "target " + j + " dim " + d);
            }
        }
        int last = w.targetCount() - 1;
        double[] end = elbo.latentState(gridIndex(elbo, w.targetTime(last)));
        for (int k = 0; k < config.eventTypes(); k++) {
            double mean = 0.0;
            for (int row = 0; row < samples; row++) {
                mean += end[samples * latentDim + row * config.eventTypes() + k] / samples;
            }
            assertEquals(f.expectedCount(last, k), mean, tolerance, "Lambda_" + k + "(t_last)");
        }
    }

    @Test
    void shouldTraceTheEncoderStatesAroundEveryJump() {
        Window w = Fixtures.window(config, 6L);
        BatchedElbo elbo = Fixtures.elbo(model, BatchedElbo.Recognition.ODE_RNN, 1, Stepping.RESTART);
        double[] eps = Arrays.copyOf(model.forecastEpsilon(), latentDim);
        elbo.run(List.of(w), 0, 1, eps, 1.0, null);
        SeriesState s = model.newState();
        double[][] values = w.contextValues();
        boolean[][] masks = w.contextMasks();
        int union = 0;
        for (int i = 0; i < w.contextCount(); i++) {
            model.observe(s, w.contextTimes()[i], values[i], masks[i], w.contextTypes()[i]);
            boolean lastAtItsTime = i + 1 == w.contextCount() || w.contextTime(i + 1) > w.contextTime(i);
            if (lastAtItsTime) {
                assertEquals(w.contextTime(i), elbo.contextGridTime(union));
                assertArrayEquals(s.hidden(), elbo.encoderState(union), TOLERANCE, "after event " + i);
                union++;
            }
        }
        assertEquals(union, elbo.contextGridSize());
        double[] mu = new double[latentDim];
        model.posterior(s, mu, new double[latentDim]);
        double[] trainedMu = new double[latentDim];
        double[] trainedLogVar = new double[latentDim];
        elbo.posterior(0, trainedMu, trainedLogVar);
        assertArrayEquals(mu, trainedMu, TOLERANCE);
        assertEquals(w.tau(), elbo.latentGridTime(0));
        for (int l = 0; l < latentDim; l++) {
            double sigma = Math.exp(0.5 * trainedLogVar[l]);
            assertEquals(mu[l] + sigma * eps[l], elbo.latentState(0)[l], TOLERANCE);
        }
    }

    @Test
    void shouldSumTheBatchLossOverWindows() {
        Window a = Fixtures.window(config, 4L);
        Window b = Fixtures.window(config, 5L);
        double[] eps = Arrays.copyOf(model.forecastEpsilon(), 2 * latentDim);
        BatchedElbo batch = Fixtures.elbo(model, BatchedElbo.Recognition.ODE_RNN, 2, Stepping.CONTINUOUS);
        double sum = batch.run(List.of(a, b), 0, 2, eps, 0.5, null);
        assertEquals(batch.loss(0) + batch.loss(1), sum, 1e-12 * Math.abs(sum));
        BatchedElbo one = Fixtures.elbo(model);
        double lossA = one.run(List.of(a), 0, 1, eps, 0.5, null);
        double klA = one.kl();
        double lossB = one.run(List.of(b), 0, 1, Arrays.copyOfRange(eps, latentDim, 2 * latentDim), 0.5, null);
        assertEquals(lossA, batch.loss(0), 1e-8 * Math.abs(lossA));
        assertEquals(lossB, batch.loss(1), 1e-8 * Math.abs(lossB));
        assertEquals(klA + one.kl(), batch.kl(), 1e-8 * batch.kl());
    }

    private static int gridIndex(BatchedElbo elbo, double t) {
        for (int g = 0; g < elbo.latentGridSize(); g++) {
            if (elbo.latentGridTime(g) == t) {
                return g;
            }
        }
        throw new AssertionError("no grid time " + t);
    }
}
