package dev.odestream.model;

import dev.odestream.model.BatchedElbo.Recognition;
import dev.odestream.model.BatchedElbo.Stepping;
import dev.odestream.model.checkpoint.LoadedModel;
import dev.odestream.nn.Activation;
import dev.odestream.nn.GradientCheck;
import dev.odestream.nn.ParameterBlock;
import dev.odestream.nn.Parameters;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The observation noise learned per value dimension ({@link ModelConfig#learnedNoise()}): its block's gradient in the
 * batched ELBO against finite differences (with every other block), the forecast's spread as posterior spread plus
 * the learned noise, and checkpoints with and without the block.
 */
class LearnedNoiseTest {

    private static final double TOLERANCE = 1e-6;
    private static final dev.odestream.model.checkpoint.TrainingMetadata TRAINED =
            new dev.odestream.model.checkpoint.TrainingMetadata(java.time.Instant.parse("2026-12-01T00:00:00Z"),
                    java.util.OptionalLong.empty(), new dev.odestream.model.checkpoint.DataRange(
                            java.time.Instant.EPOCH, java.time.Instant.EPOCH, 0), Map.of(), "");
    private static final double FLOOR = 1e-5;

    private final ModelConfig fixed = new ModelConfig(2, 2, 3, 5, 4, 6, 5, Activation.TANH, 0.3, 2, 1e-6, 1e-8)
            .withTolerances(1e-10, 1e-10);
    private final ModelConfig learned = fixed.withLearnedNoise(true);
    private final double[] eps = Fixtures.normals(new SplittableRandom(9L), 2 * fixed.latentDim());

    @Test
    void shouldAddOneBlockOfLogStdAfterTheDecoderStartingAtTheConfiguredNoise() {
        LatentOdeModel model = new LatentOdeModel(learned, 7L);
        List<ParameterBlock> blocks = model.parameters().layout().blocks();
        ParameterBlock noise = blocks.getLast();
        assertEquals(LatentOdeModel.NOISE, noise.name());
        assertEquals(2, noise.size());
        assertEquals(new LatentOdeModel(fixed, 7L).parameters().layout().blocks(), blocks.subList(0,
                blocks.size() - 1), "every other block stays where it was");
        assertEquals(0.3, model.observationStd(0), 1e-15);
        assertEquals(0.3, model.observationStd(1), 1e-15);
        assertEquals(new BatchedElbo(learned, Recognition.ODE_RNN, 1, Stepping.CONTINUOUS).parameters().layout(),
                model.parameters().layout());
    }

    @Test
    void shouldMatchFiniteDifferencesInEveryBlockWithTheNoiseBlockIncluded() {
        LatentOdeModel model = perturbed(new LatentOdeModel(learned, 7L));
        List<Window> w = List.of(Fixtures.window(learned, 5L), Fixtures.window(learned, 11L));
        BatchedElbo elbo = Fixtures.elbo(model, Recognition.ODE_RNN, 2, Stepping.CONTINUOUS);
        double[] analytic = new double[model.parameters().size()];
        elbo.run(w, 0, 2, eps, 0.7, analytic);
        ParameterBlock noise = model.parameters().block(LatentOdeModel.NOISE);
        for (int i = noise.offset(); i < noise.end(); i++) {
            assertNotEquals(0.0, analytic[i], "the noise block has a gradient");
        }
        GradientCheck check = new GradientCheck(1e-3, FLOOR * largest(analytic));
        Parameters p = elbo.parameters();
        StringBuilder failures = new StringBuilder();
        for (ParameterBlock b : p.layout().blocks()) {
            for (int i = b.offset(); i < b.end(); i++) {
                double numeric = check.derivative(x -> elbo.run(w, 0, 2, eps, 0.7, null), p.values(), i);
                double error = check.relativeError(analytic[i], numeric);
                if (error > TOLERANCE) {
                    failures.append(String.format("%n  %s[%d]: analytic %s, numeric %s", b.name(), i - b.offset(),
                            analytic[i], numeric));
                }
            }
        }
        assertTrue(failures.isEmpty(), "gradient off:" + failures);
    }

    /** With every {@code log sigma_d} at {@code log 0.3}, a learned-noise model is the fixed model of sigma 0.3. */
    @Test
    void shouldGiveTheFixedModelsLossWhenTheLearnedNoiseEqualsIt() {
        LatentOdeModel a = perturbed(new LatentOdeModel(fixed, 7L));
        LatentOdeModel b = new LatentOdeModel(learned, 7L);
        System.arraycopy(a.parameters().values(), 0, b.parameters().values(), 0, a.parameters().size());
        List<Window> w = List.of(Fixtures.window(fixed, 5L));
        double fixedLoss = Fixtures.elbo(a).run(w, 0, 1, eps, 1.0, null);
        assertEquals(fixedLoss, Fixtures.elbo(b).run(w, 0, 1, eps, 1.0, null), 1e-12 * Math.abs(fixedLoss));
        b.parameters().values()[b.parameters().block(LatentOdeModel.NOISE).offset()] = Math.log(0.5);
        assertNotEquals(fixedLoss, Fixtures.elbo(b).run(w, 0, 1, eps, 1.0, null), 1e-6 * Math.abs(fixedLoss));
    }

    /** The forecast's variance is the samples' spread plus {@code sigma_d^2}, dimension by dimension. */
    @Test
    void shouldSpreadTheForecastByThePosteriorAndEachDimensionsLearnedNoise() {
        LatentOdeModel a = perturbed(new LatentOdeModel(fixed, 7L));
        LatentOdeModel b = new LatentOdeModel(learned, 7L);
        System.arraycopy(a.parameters().values(), 0, b.parameters().values(), 0, a.parameters().size());
        double sigma0 = 1.7;
        b.parameters().values()[b.parameters().block(LatentOdeModel.NOISE).offset()] = Math.log(sigma0);
        Window w = Fixtures.window(fixed, 21L);
        Forecast fa = forecast(a, w);
        Forecast fb = forecast(b, w);
        for (int i = 0; i < fa.size(); i++) {
            assertEquals(fa.mean(i, 0), fb.mean(i, 0), 0.0);
            assertEquals(fa.std(i, 1), fb.std(i, 1), 1e-12, "dimension 1 keeps sigma 0.3");
            double posterior = fa.std(i, 0) * fa.std(i, 0) - 0.3 * 0.3;
            assertTrue(posterior >= -1e-12);
            assertEquals(Math.sqrt(posterior + sigma0 * sigma0), fb.std(i, 0), 1e-12);
        }
    }

    @Test
    void shouldKeepTheBlockInACheckpointAndReadOldCheckpointsAsFixedNoise() throws Exception {
        LatentOdeModel model = new LatentOdeModel(learned, 7L);
        model.parameters().values()[model.parameters().block(LatentOdeModel.NOISE).offset() + 1] = Math.log(0.05);
        LoadedModel round = LoadedModel.read(dev.odestream.model.checkpoint.CheckpointCodec.encode(
                LoadedModel.of(3, model).toCheckpoint(TRAINED)));
        assertTrue(round.config().learnedNoise());
        assertEquals(0.05, round.instantiate().observationStd(1), 1e-15);
        Map<String, String> old = LoadedModel.hyperparameters(fixed, 7L);
        assertNull(old.get("learnedNoise"), "a fixed-noise model writes no learnedNoise key, as before");
        assertFalse(LoadedModel.configOf(old).learnedNoise());
        assertEquals(0.3, new LatentOdeModel(LoadedModel.configOf(old), 7L).observationStd(0));
    }

    @Test
    void shouldRefuseAnotherLayoutForTheSameHyperparameters() {
        LatentOdeModel model = new LatentOdeModel(fixed, 7L);
        var checkpoint = LoadedModel.of(3, model).toCheckpoint(TRAINED);
        Map<String, String> h = new java.util.TreeMap<>(checkpoint.hyperparameters());
        h.put("learnedNoise", "true");
        var forged = new dev.odestream.model.checkpoint.Checkpoint(3, h, checkpoint.layout(), model.parameters()
                .values(), checkpoint.training());
        assertThrows(IllegalArgumentException.class, () -> LoadedModel.load(forged));
    }

    private static Forecast forecast(LatentOdeModel model, Window w) {
        SeriesState s = Fixtures.observeContext(model, w);
        Forecast f = model.newForecast(4);
        model.forecast(s, w.targetTimes(), f);
        return f;
    }

    private static LatentOdeModel perturbed(LatentOdeModel m) {
        SplittableRandom rng = new SplittableRandom(3L);
        double[] v = m.parameters().values();
        for (int i = 0; i < v.length; i++) {
            v[i] += 0.1 * rng.nextGaussian();
        }
        return m;
    }

    private static double largest(double[] v) {
        double max = 0.0;
        for (double x : v) {
            max = Math.max(max, Math.abs(x));
        }
        return max;
    }
}
