package dev.odestream.model;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The streaming calls ({@code observe} then {@code forecast}) and the training path ({@code encode},
 * {@code negativeElbo}) compute the same posterior and, for the same noise, the same decoded values and counts.
 */
class StreamingTrainingAgreementTest {

    private static final double TOLERANCE = 1e-9;

    private final ModelConfig config = Fixtures.small();
    private final LatentOdeModel model = new LatentOdeModel(config, 42L);

    @Test
    void shouldEncodeToTheStreamingPosterior() {
        Window w = Fixtures.window(config, 1L);
        SeriesState s = Fixtures.observeContext(model, w);
        double[] mu = new double[config.latentDim()];
        double[] logVar = new double[config.latentDim()];
        model.posterior(s, mu, logVar);
        double[][] batchMu = new double[2][config.latentDim()];
        double[][] batchLogVar = new double[2][config.latentDim()];
        model.encode(List.of(Fixtures.window(config, 2L), w), batchMu, batchLogVar);
        assertArrayEquals(mu, batchMu[1], TOLERANCE);
        assertArrayEquals(logVar, batchLogVar[1], TOLERANCE);
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

    private void checkForecastAgainstTraining(double tolerance) {
        Window w = Fixtures.window(config, 3L);
        SeriesState s = Fixtures.observeContext(model, w);
        Forecast f = model.newForecast(8);
        model.forecast(s, w.targetTimes(), f);
        ElboTrace trace = new ElboTrace(config);
        model.negativeElbo(w, model.forecastEpsilon(), 1.0, trace);
        assertEquals(w.targetCount(), f.size());
        for (int j = 0; j < w.targetCount(); j++) {
            for (int d = 0; d < config.observationDim(); d++) {
                assertEquals(f.mean(j, d), trace.decodedMean(j, d), tolerance, "target " + j + " dim " + d);
            }
        }
        int last = w.targetCount() - 1;
        for (int k = 0; k < config.eventTypes(); k++) {
            double mean = 0.0;
            for (int s2 = 0; s2 < trace.samples(); s2++) {
                mean += trace.cumulativeAtEnd(s2, k) / trace.samples();
            }
            assertEquals(f.expectedCount(last, k), mean, tolerance, "Lambda_" + k + "(T)");
        }
    }

    @Test
    void shouldTraceTheEncoderStatesAroundEveryJump() {
        Window w = Fixtures.window(config, 6L);
        ElboTrace trace = new ElboTrace(config);
        model.negativeElbo(w, model.forecastEpsilon(), 1.0, trace);
        assertEquals(w.contextCount(), trace.contextCount());
        assertArrayEquals(new double[config.encoderHidden()], trace.hiddenBeforeEvent(0), 0.0);
        SeriesState s = model.newState();
        double[][] values = w.contextValues();
        boolean[][] masks = w.contextMasks();
        for (int i = 0; i < w.contextCount(); i++) {
            model.observe(s, w.contextTimes()[i], values[i], masks[i], w.contextTypes()[i]);
            assertArrayEquals(s.hidden(), trace.hiddenAfterEvent(i), TOLERANCE, "after event " + i);
        }
        double[] mu = new double[config.latentDim()];
        model.posterior(s, mu, new double[config.latentDim()]);
        assertArrayEquals(mu, trace.mu(), TOLERANCE);
        for (int l = 0; l < config.latentDim(); l++) {
            double sigma = Math.exp(0.5 * trace.logVar()[l]);
            assertEquals(mu[l] + sigma * model.forecastEpsilon()[l], trace.initialLatent(0, l), TOLERANCE);
        }
    }

    @Test
    void shouldAverageTheBatchLossOverWindows() {
        Window a = Fixtures.window(config, 4L);
        Window b = Fixtures.window(config, 5L);
        double[] epsA = model.forecastEpsilon();
        double[] epsB = Arrays.copyOf(model.forecastEpsilon(), 2 * config.latentDim());
        ElboTrace trace = new ElboTrace(config);
        double lossA = model.negativeElbo(a, epsA, 0.5, trace);
        ElboTerms termsA = trace.terms();
        double lossB = model.negativeElbo(b, epsB, 0.5, trace);
        ElboTerms batch = model.negativeElbo(List.of(a, b), new double[][] {epsA, epsB}, 0.5);
        assertEquals((lossA + lossB) / 2, batch.negativeElbo(), 1e-12);
        assertEquals((termsA.kl() + trace.kl) / 2, batch.kl(), 1e-12);
        assertEquals(2, trace.samples());
    }
}
