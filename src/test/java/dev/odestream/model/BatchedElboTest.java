package dev.odestream.model;

import dev.odestream.data.Spiral;
import dev.odestream.data.SpiralConfig;
import dev.odestream.data.Spirals;
import dev.odestream.model.BatchedElbo.Stepping;
import dev.odestream.model.checkpoint.Checkpoint;
import dev.odestream.model.checkpoint.DataRange;
import dev.odestream.model.checkpoint.LoadedModel;
import dev.odestream.model.checkpoint.TrainingMetadata;
import dev.odestream.nn.Activation;
import dev.odestream.nn.AdamSettings;
import dev.odestream.nn.GradientCheck;
import dev.odestream.nn.ParameterBlock;
import dev.odestream.testing.Allocations;
import dev.odestream.train.Evaluation;
import dev.odestream.train.LatentOdeTrainable;
import dev.odestream.train.Trainer;
import dev.odestream.train.TrainerConfig;
import dev.odestream.train.TrainingResult;
import dev.odestream.train.TrainingStep;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A batch of windows against the same windows each a batch of its own (what {@link ElboGradientTest} checks against
 * finite differences), on windows whose grids differ (their own {@code tau}, context times, masks, point events,
 * target events, coinciding times); the batch's gradient against central finite differences of its own loss; and
 * {@link LatentOdeTrainable}, which trains and scores through it.
 */
class BatchedElboTest {

    /** K = 2, every size distinct and small, tight tolerances so that the two paths' step choices do not show. */
    private final ModelConfig config = new ModelConfig(2, 2, 3, 5, 4, 6, 5, Activation.TANH, 0.3, 2, 1e-10, 1e-10);
    private final TrainingStep step = new TrainingStep(7, 0.6);

    @ParameterizedTest
    @EnumSource(Stepping.class)
    void shouldEqualBatchesOfOneInTheSumOfLossesAndGradients(Stepping stepping) {
        LatentOdeModel model = perturbed(new LatentOdeModel(config, 7L), 3L);
        List<Window> windows = windows();
        double[] single = new double[model.parameters().size()];
        double[] batched = single.clone();
        double expected = trainable(model, BatchedElbo.Recognition.ODE_RNN, 1, stepping)
                .lossAndGradient(windows, step, single);
        double actual = trainable(model, BatchedElbo.Recognition.ODE_RNN, 8, stepping)
                .lossAndGradient(windows, step, batched);
        assertEquals(expected, actual, 1e-8 * Math.abs(expected));
        assertClose(single, batched, 1e-6);
    }

    @ParameterizedTest
    @EnumSource(Stepping.class)
    void shouldGiveEachWindowItsLossAloneWithinTheBatch(Stepping stepping) {
        LatentOdeModel model = perturbed(new LatentOdeModel(config, 11L), 13L);
        List<Window> windows = windows();
        double[] eps = Fixtures.normals(new SplittableRandom(17L), windows.size() * config.latentDim());
        BatchedElbo batch = Fixtures.elbo(model, BatchedElbo.Recognition.ODE_RNN, windows.size(), stepping);
        double sum = batch.run(windows, 0, windows.size(), eps, step.beta(), null);
        BatchedElbo one = Fixtures.elbo(model, BatchedElbo.Recognition.ODE_RNN, 1, stepping);
        double total = 0.0;
        for (int b = 0; b < windows.size(); b++) {
            double[] row = Arrays.copyOfRange(eps, b * config.latentDim(), (b + 1) * config.latentDim());
            double alone = one.run(windows, b, 1, row, step.beta(), null);
            assertEquals(alone, batch.loss(b), 1e-8 * Math.abs(alone), windows.get(b).toString());
            total += batch.loss(b);
        }
        assertEquals(sum, total, 1e-12 * Math.abs(sum));
    }

    /** The trainable adds nothing to the loss: its window's noise, the step's beta, the sum. */
    @Test
    void shouldTrainOnTheLossOfEachWindowWithItsOwnNoise() {
        LatentOdeModel model = perturbed(new LatentOdeModel(config, 11L), 13L);
        BatchedElbo elbo = Fixtures.elbo(model);
        for (Window w : windows()) {
            double[] viaTrainable = new double[model.parameters().size()];
            double[] direct = viaTrainable.clone();
            double expected = trainable(model, BatchedElbo.Recognition.ODE_RNN, 1)
                    .lossAndGradient(List.of(w), step, viaTrainable);
            double[] eps = new double[config.latentDim()];
            LatentOdeTrainable.fillNoise(5L, step.iteration(), w, eps, 0, eps.length);
            double actual = elbo.run(List.of(w), 0, 1, eps, step.beta(), direct);
            assertEquals(expected, actual, 0.0, w.toString());
            assertArrayEquals(direct, viaTrainable, 0.0);
        }
    }

    @Test
    void shouldGiveTheSameSumWhateverTheChunking() {
        LatentOdeModel model = perturbed(new LatentOdeModel(config, 17L), 19L);
        List<Window> windows = windows();
        double[] whole = new double[model.parameters().size()];
        double[] chunked = whole.clone();
        double a = trainable(model, BatchedElbo.Recognition.ODE_RNN, 8).lossAndGradient(windows, step,
                whole);
        double b = trainable(model, BatchedElbo.Recognition.ODE_RNN, 2).lossAndGradient(windows, step,
                chunked);
        assertEquals(a, b, 1e-8 * Math.abs(a));
        assertClose(whole, chunked, 1e-6);
    }

    @ParameterizedTest
    @EnumSource(Stepping.class)
    void shouldMatchFiniteDifferencesWithTheOdeRnnEncoder(Stepping stepping) {
        assertMatchesFiniteDifferences(BatchedElbo.Recognition.ODE_RNN, stepping, 0.7);
    }

    @Test
    void shouldMatchFiniteDifferencesWithThePlainRecurrentEncoder() {
        double[] grad = assertMatchesFiniteDifferences(BatchedElbo.Recognition.RNN, Stepping.CONTINUOUS,
                0.4);
        LatentOdeModel model = new LatentOdeModel(config, 1L);
        for (ParameterBlock b : model.parameters().layout().blocks()) {
            if (b.name().startsWith("encoder.ode.")) {
                for (int i = b.offset(); i < b.end(); i++) {
                    assertEquals(0.0, grad[i], 0.0, "no encoder ODE, no gradient for " + b.name());
                }
            }
        }
    }

    @Test
    void shouldScoreValidationInABatchAsInBatchesOfOne() {
        LatentOdeModel model = perturbed(new LatentOdeModel(config, 23L), 29L);
        List<Window> windows = windows();
        for (LatentOdeTrainable.Validation v : LatentOdeTrainable.Validation.values()) {
            LatentOdeTrainable single = new LatentOdeTrainable(model, v, 5L, 2.0,
                    LatentOdeTrainable.Options.perWindow());
            Evaluation expected = single.evaluate(windows);
            LatentOdeTrainable batched = new LatentOdeTrainable(model, v, 5L, 2.0,
                    new LatentOdeTrainable.Options(BatchedElbo.Recognition.ODE_RNN, 8));
            Evaluation actual = batched.evaluate(windows);
            assertEquals(expected.count(), actual.count(), v.name());
            assertEquals(expected.sum(), actual.sum(), 1e-8 * Math.abs(expected.sum()), v.name());
            assertEquals(single.metric(expected), batched.metric(actual), 1e-8, v.name());
        }
    }

    @Test
    void shouldTrainSpiralsWithFiniteOutputsAndAFallingLoss() {
        TrainingResult result = train(3L);
        double first = result.progress().get(0).loss();
        double last = result.progress().get(result.progress().size() - 1).loss();
        assertTrue(Double.isFinite(last) && last < first, "loss " + first + " -> " + last);
        assertEquals(0, result.skippedSteps());
        assertTrue(result.progress().stream().allMatch(p -> p.counters().get("nfe.forward") > 0));
    }

    @Test
    void shouldRepeatASeededRunBitwise() {
        assertArrayEquals(train(5L).checkpoint().parameters(), train(5L).checkpoint().parameters());
    }

    @ParameterizedTest
    @EnumSource(Stepping.class)
    void shouldNotAllocateOnTheSolverPathOnceWarm(Stepping stepping) {
        LatentOdeModel model = perturbed(new LatentOdeModel(config.withTolerances(1e-6, 1e-8), 31L), 37L);
        BatchedElbo elbo = Fixtures.elbo(model, BatchedElbo.Recognition.ODE_RNN, 8, stepping);
        List<Window> windows = windows();
        double[] eps = Fixtures.normals(new SplittableRandom(41L), windows.size() * config.latentDim());
        double[] grad = new double[model.parameters().size()];
        long bytes = Allocations.fewestBytes(() -> elbo.run(windows, 0, windows.size(), eps, 0.5, grad), 20, 5);
        assertEquals(0, bytes, "bytes allocated by five warm loss-and-gradient calls");
    }

    @Test
    void shouldMarkAPlainRecurrentModelSoTheEngineLoaderRefusesIt() {
        LatentOdeModel model = new LatentOdeModel(config, 1L);
        LatentOdeTrainable rnn = trainable(model, BatchedElbo.Recognition.RNN, 4);
        LatentOdeTrainable odeRnn = trainable(model, BatchedElbo.Recognition.ODE_RNN, 4);
        assertEquals(LatentOdeTrainable.RNN_MODEL_NAME, rnn.hyperparameters().get("model"));
        Checkpoint ok = checkpoint(odeRnn);
        assertEquals(model.parameters().layout(), LoadedModel.load(ok).parameters().layout());
        assertThrows(IllegalArgumentException.class, () -> LoadedModel.load(checkpoint(rnn)));
        assertThrows(IllegalArgumentException.class,
                () -> new LatentOdeTrainable.Options(BatchedElbo.Recognition.RNN, 0));
    }

    private double[] assertMatchesFiniteDifferences(BatchedElbo.Recognition recognition, Stepping stepping,
                                                    double beta) {
        LatentOdeModel model = perturbed(new LatentOdeModel(config, 43L), 47L);
        BatchedElbo elbo = new BatchedElbo(config, recognition, 4, stepping);
        double[] values = elbo.parameters().values();
        System.arraycopy(model.parameters().values(), 0, values, 0, values.length);
        List<Window> windows = windows().subList(0, 4);
        double[] eps = Fixtures.normals(new SplittableRandom(53L), windows.size() * config.latentDim());
        double[] analytic = new double[values.length];
        elbo.run(windows, 0, windows.size(), eps, beta, analytic);
        GradientCheck check = new GradientCheck(1e-3, 1e-5 * largest(analytic));
        StringBuilder failures = new StringBuilder();
        for (ParameterBlock b : elbo.parameters().layout().blocks()) {
            double worst = 0.0;
            for (int i = b.offset(); i < b.end(); i++) {
                double numeric = check.derivative(v -> elbo.run(windows, 0, windows.size(), eps, beta, null), values,
                        i);
                worst = Math.max(worst, check.relativeError(analytic[i], numeric));
            }
            if (worst > 1e-6) {
                failures.append(String.format("%n  %s relative error %.2e", b.name(), worst));
            }
        }
        assertTrue(failures.isEmpty(), "gradient off in blocks:" + failures);
        return analytic;
    }

    /**
     * Five windows on different grids: two seeded irregular ones, one with coinciding times, one of events only, one
     * sharing the first one's context but ending later; a context that starts late and one that ends early.
     */
    private List<Window> windows() {
        List<Window> w = new ArrayList<>();
        w.add(Fixtures.window(config, 5L));
        w.add(Window.builder()
                .context(0.3, new double[] {0.2, -0.1}, null, 0)
                .context(0.3, null, null, 1)
                .context(0.8, new double[] {0.5, 0.5}, new boolean[] {false, true}, 1)
                .target(0.8, new double[] {0.4, 0.6}, null)
                .target(1.3, new double[] {-0.2, 0.1}, new boolean[] {true, false})
                .event(1.3, 0).event(1.3, 1).event(1.7, 1)
                .target(1.7, new double[] {0.0, 0.3}, null)
                .end(2.0).build());
        w.add(Window.builder()
                .context(0.1, new double[] {0.4, -0.2}, null, 0)
                .context(0.5, null, null, 1)
                .context(0.9, new double[] {Double.NaN, 0.3}, new boolean[] {false, true}, 0)
                .event(1.2, 1).event(1.5, 0).event(1.5, 1).event(2.0, 0)
                .end(2.3).build());
        w.add(Fixtures.window(config, 11L));
        w.add(Window.builder()
                .context(1.0, new double[] {0.1, 0.7}, null, 1)
                .context(1.4, new double[] {-0.5, 0.2}, new boolean[] {true, false}, 0)
                .target(1.9, new double[] {0.3, -0.3}, null)
                .target(3.1, new double[] {0.2, 0.1}, null)
                .build());
        return w;
    }

    private LatentOdeTrainable trainable(LatentOdeModel model, BatchedElbo.Recognition r, int max) {
        return trainable(model, r, max, Stepping.CONTINUOUS);
    }

    private LatentOdeTrainable trainable(LatentOdeModel model, BatchedElbo.Recognition r, int max,
                                             Stepping stepping) {
        return new LatentOdeTrainable(model, LatentOdeTrainable.Validation.RMSE, 5L, 1.0,
                new LatentOdeTrainable.Options(r, max, stepping));
    }

    private static Checkpoint checkpoint(LatentOdeTrainable t) {
        return new Checkpoint(0, t.hyperparameters(), t.parameters().layout().blocks(), t.parameters().values(),
                new dev.odestream.model.checkpoint.TrainingMetadata(Instant.EPOCH, java.util.OptionalLong.empty(),
                        new DataRange(Instant.EPOCH, Instant.EPOCH, 0), java.util.Map.of(), ""));
    }

    /** Twenty iterations on twelve small spirals, two threads on two shards of six. */
    private static TrainingResult train(long seed) {
        ModelConfig c = new ModelConfig(Spiral.DIMENSION, 1, 4, 8, 8, 12, 12, Activation.TANH, 0.3, 1, 1e-5, 1e-7);
        List<Window> windows = new ArrayList<>();
        for (Spiral s : Spirals.generate(SpiralConfig.paper(10).withCount(12), seed).spirals()) {
            Window.Builder b = Window.builder();
            for (int i = 0; i < s.observedCount(); i++) {
                b.context(s.observedTime(i), new double[] {s.observedValue(i, 0) / 3, s.observedValue(i, 1) / 3},
                        null, 0);
            }
            for (int j = 0; j < 20; j++) {
                b.target(s.targetTime(j), new double[] {s.targetValue(j, 0) / 3, s.targetValue(j, 1) / 3}, null);
            }
            windows.add(b.build());
        }
        LatentOdeTrainable model = new LatentOdeTrainable(new LatentOdeModel(c, seed),
                LatentOdeTrainable.Validation.RMSE, seed, 3.0, LatentOdeTrainable.Options.defaults());
        TrainerConfig config = TrainerConfig.builder().iterations(20).batchSize(12).threads(2).shards(2).seed(seed)
                .adam(AdamSettings.of(0.02)).evaluateEvery(20).logEvery(5).build();
        try (Trainer<Window> t = new Trainer<>(model, config, line -> { })) {
            return t.train(windows, List.of(), new DataRange(Instant.EPOCH, Instant.EPOCH, 0));
        }
    }

    private static void assertClose(double[] expected, double[] actual, double tolerance) {
        GradientCheck metric = new GradientCheck(1e-3, 1e-5 * largest(expected));
        for (int i = 0; i < expected.length; i++) {
            assertTrue(metric.relativeError(expected[i], actual[i]) < tolerance,
                    "parameter " + i + ": " + expected[i] + " vs " + actual[i]);
        }
    }

    private static double largest(double[] v) {
        double max = 0.0;
        for (double x : v) {
            max = Math.max(max, Math.abs(x));
        }
        return max;
    }

    private static LatentOdeModel perturbed(LatentOdeModel m, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        double[] v = m.parameters().values();
        for (int i = 0; i < v.length; i++) {
            v[i] += 0.1 * rng.nextGaussian();
        }
        return m;
    }
}
