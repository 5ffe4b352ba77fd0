package dev.odestream.train.baseline;

import dev.odestream.data.Spiral;
import dev.odestream.data.SpiralConfig;
import dev.odestream.data.SpiralDataset;
import dev.odestream.data.Spirals;
import dev.odestream.nn.GradientCheck;
import dev.odestream.nn.GruCell;
import dev.odestream.nn.Linear;
import dev.odestream.nn.Parameters;
import dev.odestream.testing.Allocations;
import dev.odestream.train.Trainer;
import dev.odestream.train.TrainerConfig;
import dev.odestream.train.TrainingStep;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class GruRnnBaselineTest {

    private static final int H = 4;
    /** Six observations in a 20-step window, five extrapolation targets. */
    private static final SpiralConfig DATA = SpiralConfig.paper(6).withCount(6).withSteps(20, 5);
    private static final List<Spiral> SPIRALS = Spirals.generate(DATA, 17).spirals().subList(0, 3);
    private static final int MAX_STEPS = 6 - 1 + 5;

    private static GruRnnBaseline model(RnnObjective objective, int maxBatch) {
        GruRnnBaselineConfig config = new GruRnnBaselineConfig(H, 10.0, 3.0, objective, maxBatch, MAX_STEPS);
        GruRnnBaseline model = new GruRnnBaseline(config, 5);
        SplittableRandom rng = new SplittableRandom(8);
        double[] v = model.parameters().values();
        for (int i = 0; i < v.length; i++) {
            v[i] += rng.nextDouble(-0.3, 0.3);
        }
        return model;
    }

    private static double[] gradient(GruRnnBaseline model, List<Spiral> spirals, double[] lossOut) {
        double[] g = new double[model.parameters().size()];
        lossOut[0] = model.lossAndGradient(spirals, TrainingStep.OUTSIDE_TRAINING, g);
        return g;
    }

    @ParameterizedTest
    @EnumSource(RnnObjective.class)
    void shouldMatchCentralDifferencesThroughTimeAndFeedback(RnnObjective objective) {
        GruRnnBaseline model = model(objective, 2);
        double[] analytic = gradient(model, SPIRALS, new double[1]);
        double[] scratch = new double[analytic.length];
        GradientCheck.Result result = GradientCheck.DEFAULT.check(
                theta -> model.lossAndGradient(SPIRALS, TrainingStep.OUTSIDE_TRAINING, scratch),
                model.parameters().values(), analytic);
        assertTrue(result.maxRelativeError() <= 1e-6, objective + " " + result);
    }

    /** An independent unroll of the documented recurrence, one spiral at a time, with layers of the same layout. */
    @Test
    void shouldExtrapolateByTheDocumentedRecurrence() {
        GruRnnBaseline model = model(RnnObjective.NEXT_STEP, 2);
        Parameters p = new Parameters();
        GruCell cell = new GruCell(p, "rnn.gru", 3, H, 1);
        Linear out = new Linear(p, "rnn.readout", H, 2, 1);
        assertEquals(model.parameters().layout(), p.layout());
        System.arraycopy(model.parameters().values(), 0, p.values(), 0, p.size());
        List<double[]> predictions = model.extrapolate(SPIRALS);
        for (int i = 0; i < SPIRALS.size(); i++) {
            assertArrayEquals(unroll(SPIRALS.get(i), cell, out), predictions.get(i), 1e-13);
        }
    }

    private static double[] unroll(Spiral spiral, GruCell cell, Linear out) {
        int n = spiral.observedCount();
        int m = spiral.targetCount();
        double[] h = new double[H];
        double[] y = new double[2];
        double[] predictions = new double[2 * m];
        double[] u = new double[3];
        for (int s = 0; s < n - 1 + m; s++) {
            u[0] = s < n ? spiral.observedValue(s, 0) / 3.0 : y[0];
            u[1] = s < n ? spiral.observedValue(s, 1) / 3.0 : y[1];
            double next = s + 1 < n ? spiral.observedTime(s + 1) : spiral.targetTime(s + 1 - n);
            double now = s < n ? spiral.observedTime(s) : spiral.targetTime(s - n);
            u[2] = (next - now) * 10.0;
            cell.forward(u, h, h, 1);
            out.forward(h, y, 1);
            if (s >= n - 1) {
                predictions[2 * (s - n + 1)] = 3.0 * y[0];
                predictions[2 * (s - n + 1) + 1] = 3.0 * y[1];
            }
        }
        return predictions;
    }

    @Test
    void shouldScoreTheExtrapolationAsSpiralDatasetRmseDoes() {
        GruRnnBaseline model = model(RnnObjective.NEXT_STEP, 2);
        double rmse = SpiralDataset.rmse(SPIRALS, model.extrapolate(SPIRALS), false);
        assertEquals(rmse, model.metric(model.evaluate(SPIRALS)), 1e-12 * rmse);
        assertEquals(3L * 5 * 2, model.evaluate(SPIRALS).count());
    }

    @Test
    void shouldNeverReadTheTargetsItExtrapolatesTo() {
        GruRnnBaseline model = model(RnnObjective.NEXT_STEP, 2);
        List<Spiral> shifted = new ArrayList<>();
        for (Spiral s : SPIRALS) {
            double[] targets = s.targetValues();
            targets[0] += 100.0;
            shifted.add(new Spiral(s.index(), s.curve(), s.observedTimes(), s.observedValues(), s.targetTimes(),
                    targets, s.targetTruth()));
        }
        for (int i = 0; i < SPIRALS.size(); i++) {
            assertArrayEquals(model.extrapolate(SPIRALS).get(i), model.extrapolate(shifted).get(i), 0.0);
        }
        double[] loss = new double[1];
        double[] shiftedLoss = new double[1];
        gradient(model, SPIRALS, loss);
        gradient(model, shifted, shiftedLoss);
        assertEquals(loss[0], shiftedLoss[0], 0.0, "teacher forcing fits the window only");
        GruRnnBaseline rollout = model(RnnObjective.EXTRAPOLATION, 2);
        gradient(rollout, SPIRALS, loss);
        gradient(rollout, shifted, shiftedLoss);
        assertNotEquals(loss[0], shiftedLoss[0], "the extrapolation objective fits the targets");
    }

    @Test
    void shouldGiveTheSameLossAndGradientWhateverTheChunkSize() {
        for (RnnObjective objective : RnnObjective.values()) {
            double[] loss1 = new double[1];
            double[] loss8 = new double[1];
            double[] g1 = gradient(model(objective, 1), SPIRALS, loss1);
            double[] g8 = gradient(model(objective, 8), SPIRALS, loss8);
            double scale = 0.0;
            for (double g : g8) {
                scale = Math.max(scale, Math.abs(g));
            }
            assertArrayEquals(g8, g1, 1e-12 * scale);
            assertEquals(loss8[0], loss1[0], 1e-12 * loss8[0]);
            double sum = 0.0;
            for (Spiral s : SPIRALS) {
                double[] unused = new double[g1.length];
                sum += model(objective, 8).lossAndGradient(List.of(s), TrainingStep.OUTSIDE_TRAINING, unused);
            }
            assertEquals(sum, loss8[0], 1e-12 * sum, "the loss is a sum over windows");
        }
    }

    @Test
    void shouldComputeBitwiseTheSameBatchGradientOnOneOrThreeThreads() {
        GruRnnBaseline model = model(RnnObjective.EXTRAPOLATION, 2);
        List<Spiral> batch = Spirals.generate(DATA, 3).spirals();
        double[][] g = new double[2][model.parameters().size()];
        int[] threads = {1, 3};
        for (int k = 0; k < 2; k++) {
            TrainerConfig config = TrainerConfig.builder().threads(threads[k]).shards(3).build();
            try (Trainer<Spiral> trainer = new Trainer<>(model, config, line -> { })) {
                trainer.lossAndGradient(batch, new TrainingStep(1, 1.0), g[k]);
            }
        }
        assertArrayEquals(g[0], g[1], 0.0);
        assertTrue(g[0][0] != 0.0);
    }

    @Test
    void shouldReplicateTheArchitectureAndTheValues() {
        GruRnnBaseline model = model(RnnObjective.NEXT_STEP, 2);
        GruRnnBaseline copy = model.replicate();
        assertEquals(model.parameters().layout(), copy.parameters().layout());
        assertArrayEquals(model.parameters().values(), copy.parameters().values(), 0.0);
        assertFalse(model.parameters().values() == copy.parameters().values());
        assertEquals(model.hyperparameters(), copy.hyperparameters());
        assertEquals(Integer.toString(H), copy.hyperparameters().get("hiddenSize"));
        assertEquals("gru-rnn-baseline", copy.hyperparameters().get("model"));
    }

    @Test
    void shouldRejectBatchesItWasNotSizedFor() {
        GruRnnBaseline model = model(RnnObjective.NEXT_STEP, 2);
        Spiral other = Spirals.generate(DATA.withObservedPoints(5), 17).spirals().get(1);
        List<Spiral> mixed = List.of(SPIRALS.get(0), other);
        double[] g = new double[model.parameters().size()];
        assertThrows(IllegalArgumentException.class,
                () -> model.lossAndGradient(mixed, TrainingStep.OUTSIDE_TRAINING, g));
        Spiral longer = Spirals.generate(DATA.withSteps(20, 9), 17).spirals().getFirst();
        assertThrows(IllegalArgumentException.class, () -> model.evaluate(List.of(longer)));
    }

    @Test
    void shouldNotAllocateInLossAndGradientOnceWarm() {
        GruRnnBaseline model = model(RnnObjective.EXTRAPOLATION, 2);
        double[] g = new double[model.parameters().size()];
        assertEquals(0, Allocations.fewestBytes(
                () -> model.lossAndGradient(SPIRALS, TrainingStep.OUTSIDE_TRAINING, g), 5_000, 500));
    }
}
