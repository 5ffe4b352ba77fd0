package dev.odestream.model;

import dev.odestream.model.checkpoint.Checkpoint;
import dev.odestream.model.checkpoint.CheckpointCodec;
import dev.odestream.model.checkpoint.DataRange;
import dev.odestream.model.checkpoint.LoadedModel;
import dev.odestream.model.checkpoint.TrainingMetadata;
import dev.odestream.nn.Activation;
import dev.odestream.train.Evaluation;
import dev.odestream.train.LatentOdeTrainable;
import dev.odestream.train.TrainingStep;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LatentOdeTrainableTest {

    private final ModelConfig config = Fixtures.small();
    private final List<Window> windows = List.of(Fixtures.window(config, 1L), Fixtures.window(config, 2L),
            Fixtures.window(config, 3L));

    /** Each window a batch of its own, so that a window's loss does not depend on what it is sliced with. */
    private LatentOdeTrainable trainable(LatentOdeTrainable.Validation validation) {
        return new LatentOdeTrainable(new LatentOdeModel(config, 7L), validation, 99L, 2.0,
                LatentOdeTrainable.Options.perWindow());
    }

    @Test
    void shouldReturnTheSumOfWindowLossesWhateverTheSlicing() {
        LatentOdeTrainable whole = trainable(LatentOdeTrainable.Validation.RMSE);
        LatentOdeTrainable parts = whole.replicate();
        TrainingStep step = new TrainingStep(3, 0.5);
        double[] g = new double[whole.parameters().size()];
        double sum = whole.lossAndGradient(windows, step, g);
        double[] g1 = new double[g.length];
        double[] g2 = new double[g.length];
        double first = parts.lossAndGradient(windows.subList(0, 1), step, g1);
        double rest = parts.lossAndGradient(windows.subList(1, 3), step, g2);
        assertEquals(first + rest, sum, 1e-12 * Math.abs(sum));
        for (int i = 0; i < g.length; i++) {
            assertEquals(g1[i] + g2[i], g[i], 1e-12 * (1 + Math.abs(g[i])), "component " + i);
        }
    }

    @Test
    void shouldDrawFreshNoiseEachIterationAndRepeatItForTheSameIteration() {
        LatentOdeTrainable t = trainable(LatentOdeTrainable.Validation.RMSE);
        double[] g = new double[t.parameters().size()];
        double a = t.lossAndGradient(windows, new TrainingStep(5, 1.0), g);
        double again = t.replicate().lossAndGradient(windows, new TrainingStep(5, 1.0), g);
        double next = t.lossAndGradient(windows, new TrainingStep(6, 1.0), g);
        assertEquals(a, again, 0.0);
        assertNotEquals(a, next);
    }

    @Test
    void shouldUseTheStepsBetaOnTheKlTerm() {
        LatentOdeTrainable t = trainable(LatentOdeTrainable.Validation.RMSE);
        double[] g = new double[t.parameters().size()];
        Window w = windows.get(0);
        double withoutKl = t.lossAndGradient(List.of(w), new TrainingStep(2, 0.0), g);
        double withKl = t.lossAndGradient(List.of(w), new TrainingStep(2, 1.0), g);
        double[] mu = new double[config.latentDim()];
        double[] logVar = new double[config.latentDim()];
        t.model().encode(w, mu, logVar);
        double kl = 0.0;
        for (int l = 0; l < mu.length; l++) {
            kl += 0.5 * (mu[l] * mu[l] + Math.exp(logVar[l]) - 1 - logVar[l]);
        }
        assertEquals(kl, withKl - withoutKl, 1e-9 * (1 + kl));
    }

    @Test
    void shouldCountForwardAndBackwardEvaluations() {
        LatentOdeTrainable t = trainable(LatentOdeTrainable.Validation.RMSE);
        t.lossAndGradient(windows, new TrainingStep(1, 1.0), new double[t.parameters().size()]);
        Map<String, Number> counters = t.counters();
        assertTrue(counters.get("nfe.forward").longValue() > 0, counters::toString);
        assertTrue(counters.get("nfe.backward").longValue() > 0, counters::toString);
        t.resetCounters();
        assertEquals(0L, t.counters().get("nfe.forward").longValue());
        assertEquals(0L, t.counters().get("nfe.backward").longValue());
    }

    /** With one forecast sample the forecast is the posterior mean's path, an independent route to the same RMSE. */
    @Test
    void shouldScoreTheRmseOfThePosteriorMeanInDataUnits() {
        LatentOdeModel model = new LatentOdeModel(config.withForecastSamples(1), 7L);
        LatentOdeTrainable t = new LatentOdeTrainable(model, LatentOdeTrainable.Validation.RMSE, 0L, 2.0,
                LatentOdeTrainable.Options.perWindow());
        double sum = 0.0;
        long count = 0;
        for (Window w : windows) {
            Forecast f = forecastAt(model, w, w.targetTimes());
            double[][] x = w.targetValues();
            boolean[][] masks = w.targetMasks();
            for (int j = 0; j < x.length; j++) {
                for (int d = 0; d < x[j].length; d++) {
                    if (masks[j] == null || masks[j][d]) {
                        sum += Math.pow(f.mean(j, d) - x[j][d], 2);
                        count++;
                    }
                }
            }
        }
        Evaluation e = t.evaluate(windows);
        assertEquals(count, e.count());
        assertEquals(2.0 * Math.sqrt(sum / count), t.metric(e), 1e-6);
        assertEquals("rmse", t.metricName());
    }

    /** The Poisson log-likelihood from the forecast's intensity at the events and its expected count at the end. */
    @Test
    void shouldScoreTheNegativeLogLikelihoodOfThePosteriorMean() {
        LatentOdeModel model = new LatentOdeModel(config.withForecastSamples(1), 7L);
        LatentOdeTrainable t = new LatentOdeTrainable(model,
                LatentOdeTrainable.Validation.NEGATIVE_LOG_LIKELIHOOD, 0L);
        Window w = Window.builder().context(0.0, null, null, 0).event(0.4, 0).event(1.1, 1).event(1.7, 0).end(2.0)
                .build();
        double[] times = {0.4, 1.1, 1.7, 2.0};
        Forecast f = forecastAt(model, w, times);
        double expected = -(Math.log(f.intensity(0, 0)) + Math.log(f.intensity(1, 1)) + Math.log(f.intensity(2, 0))
                - f.expectedCount(3, 0) - f.expectedCount(3, 1));
        assertEquals(expected, t.metric(t.evaluate(List.of(w))), 1e-6);
        assertEquals("nll", t.metricName());
    }

    private static Forecast forecastAt(LatentOdeModel model, Window w, double[] times) {
        SeriesState state = Fixtures.observeContext(model, w);
        Forecast f = model.newForecast(times.length);
        model.forecast(state, times, f);
        return f;
    }

    @Test
    void shouldRebuildTheModelFromItsCheckpointWithIdenticalForecasts() throws Exception {
        LatentOdeTrainable t = trainable(LatentOdeTrainable.Validation.RMSE);
        double[] values = t.parameters().values();
        for (int i = 0; i < values.length; i++) {
            values[i] += 0.01 * Math.sin(i);
        }
        Checkpoint written = checkpoint(t);
        Checkpoint read = CheckpointCodec.decode(CheckpointCodec.encode(written));
        LatentOdeModel loaded = LoadedModel.load(read);
        assertEquals(config, loaded.config());
        assertEquals(2.0, LoadedModel.valueScale(read));
        assertArrayEquals(values, loaded.parameters().values(), 0.0);
        Window w = windows.get(1);
        double[] times = {w.tau() + 0.1, w.tau() + 0.5, w.tau() + 1.5};
        Forecast expected = forecastAt(t.model(), w, times);
        Forecast actual = forecastAt(loaded, w, times);
        assertEquals(expected.points(), actual.points());
    }

    @Test
    void shouldRefuseCheckpointsOfAnotherModelOrLayout() {
        LatentOdeTrainable t = trainable(LatentOdeTrainable.Validation.RMSE);
        Checkpoint good = checkpoint(t);
        Map<String, String> other = new TreeMap<>(good.hyperparameters());
        other.put("model", "gru-rnn-baseline");
        assertThrows(IllegalArgumentException.class, () -> LoadedModel.load(withHyperparameters(good,
                other)));
        Map<String, String> missing = new TreeMap<>(good.hyperparameters());
        missing.remove("latentDim");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> LoadedModel.load(withHyperparameters(good, missing)));
        assertTrue(e.getMessage().contains("latentDim"), e.getMessage());
        Map<String, String> wider = new TreeMap<>(good.hyperparameters());
        wider.put("dynamicsHidden", "11");
        assertThrows(IllegalArgumentException.class, () -> LoadedModel.load(withHyperparameters(good,
                wider)));
    }

    @Test
    void shouldRejectAnEmptyBatchOrAValueScaleThatIsNotPositive() {
        LatentOdeModel model = new LatentOdeModel(config, 1L);
        assertThrows(IllegalArgumentException.class,
                () -> new LatentOdeTrainable.Options(BatchedElbo.Recognition.ODE_RNN, 0));
        LatentOdeTrainable.Options one = LatentOdeTrainable.Options.perWindow();
        assertThrows(IllegalArgumentException.class, () -> new LatentOdeTrainable(model,
                LatentOdeTrainable.Validation.RMSE, 1L, Double.POSITIVE_INFINITY, one));
        assertThrows(IllegalArgumentException.class, () -> new LatentOdeTrainable(model,
                LatentOdeTrainable.Validation.RMSE, 1L, 0.0, one));
    }

    @Test
    void shouldDescribeEveryConfigurationFieldInItsHyperparameters() {
        ModelConfig c = new ModelConfig(2, 3, 5, 6, 7, 9, 4, Activation.SOFTPLUS, 0.125, 3, 1e-6, 1e-9);
        Map<String, String> h = LoadedModel.hyperparameters(c, 42L);
        assertEquals(Map.ofEntries(Map.entry("model", "latent-ode"), Map.entry("observationDim", "2"),
                Map.entry("eventTypes", "3"), Map.entry("latentDim", "5"), Map.entry("encoderHidden", "6"),
                Map.entry("encoderOdeHidden", "7"), Map.entry("dynamicsHidden", "9"), Map.entry("decoderHidden", "4"),
                Map.entry("activation", "SOFTPLUS"), Map.entry("observationStd", "0.125"),
                Map.entry("forecastSamples", "3"), Map.entry("rtol", "1.0E-6"), Map.entry("atol", "1.0E-9"),
                Map.entry("dynamics", "bounded"), Map.entry("maxGap", "8.0"), Map.entry("seed", "42")), h);
    }

    private static Checkpoint checkpoint(LatentOdeTrainable t) {
        TrainingMetadata meta = new TrainingMetadata(Instant.EPOCH, OptionalLong.empty(),
                new DataRange(Instant.EPOCH, Instant.EPOCH.plusSeconds(1), 3), Map.of(), "test");
        return new Checkpoint(1, t.hyperparameters(), t.parameters().layout().blocks(), t.parameters().values(),
                meta);
    }

    private static Checkpoint withHyperparameters(Checkpoint c, Map<String, String> h) {
        return new Checkpoint(c.modelVersion(), h, c.layout(), c.parameters(), c.training());
    }
}
