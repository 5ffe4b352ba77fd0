package dev.odestream.train;

import dev.odestream.model.checkpoint.Checkpoint;
import dev.odestream.model.checkpoint.CheckpointCodec;
import dev.odestream.model.checkpoint.DataRange;
import dev.odestream.nn.AdamSettings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.OptionalLong;
import java.util.Random;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TrainerTest {

    private static final DataRange RANGE = new DataRange(Instant.EPOCH, Instant.EPOCH.plusSeconds(3), 40);
    private static final Consumer<String> QUIET = line -> { };

    private static List<double[]> windows(int count, int dim, long seed) {
        Random rng = new Random(seed);
        List<double[]> windows = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            double[] w = new double[dim];
            for (int j = 0; j < dim; j++) {
                w[j] = 2.0 * rng.nextDouble() - 0.5;
            }
            windows.add(w);
        }
        return windows;
    }

    private static List<double[]> constant(int count, double... w) {
        return new ArrayList<>(java.util.Collections.nCopies(count, w));
    }

    private static TrainerConfig.Builder config() {
        return TrainerConfig.builder().threads(1).iterations(100).batchSize(8).adam(AdamSettings.of(0.05))
                .evaluateEvery(10).logEvery(10);
    }

    private static TrainingResult train(QuadraticModel model, TrainerConfig config, List<double[]> train,
                                        List<double[]> validation) {
        try (Trainer<double[]> trainer = new Trainer<>(model, config, QUIET)) {
            return trainer.train(train, validation, RANGE);
        }
    }

    private static double[] gradient(QuadraticModel model, List<double[]> batch, int threads, int shards,
                                     double[] lossOut) {
        double[] g = new double[model.parameters().size()];
        TrainerConfig config = config().threads(threads).shards(shards).build();
        try (Trainer<double[]> trainer = new Trainer<>(model, config, QUIET)) {
            lossOut[0] = trainer.lossAndGradient(batch, new TrainingStep(1, 1.0), g);
        }
        return g;
    }

    @Test
    void shouldConvergeOnAQuadraticToyModelToTheMeanTarget() {
        List<double[]> data = windows(40, 3, 11);
        QuadraticModel model = new QuadraticModel(3, 0.0);
        TrainerConfig config = config().threads(2).batchSize(40).iterations(600)
                .learningRate(Schedule.exponentialDecay(0.05, 0.99, 1e-5)).logEvery(10).build();
        TrainingResult result = train(model, config, data, List.of());
        double[] mean = new double[3];
        for (double[] w : data) {
            for (int j = 0; j < 3; j++) {
                mean[j] += w[j] / data.size();
            }
        }
        double minimum = 0.0;
        for (double[] w : data) {
            for (int j = 0; j < 3; j++) {
                minimum += 0.5 * (w[j] - mean[j]) * (w[j] - mean[j]) / data.size();
            }
        }
        assertArrayEquals(mean, model.parameters().values(), 1e-3);
        assertEquals(minimum, result.finalLoss(), 1e-6);
        assertTrue(result.progress().getFirst().loss() > minimum + 0.1, "the first interval starts far off");
        assertEquals(600, result.iterations());
        assertFalse(result.stoppedEarly());
    }

    @Test
    void shouldComputeBitwiseTheSameGradientOnAnyNumberOfThreadsForAFixedShardCount() {
        QuadraticModel model = new QuadraticModel(5, 0.1);
        double[] theta = windows(1, 5, 3).getFirst();
        System.arraycopy(theta, 0, model.parameters().values(), 0, 5);
        List<double[]> batch = windows(23, 5, 4);
        double[] loss1 = new double[1];
        double[] loss4 = new double[1];
        double[] serial = gradient(model, batch, 1, 4, loss1);
        double[] parallel = gradient(model, batch, 4, 4, loss4);
        assertArrayEquals(serial, parallel, 0.0);
        assertEquals(loss1[0], loss4[0], 0.0);
    }

    @Test
    void shouldAgreeToRoundingAcrossShardCountsWithTheDirectMeanGradient() {
        QuadraticModel model = new QuadraticModel(5, 0.1);
        System.arraycopy(windows(1, 5, 5).getFirst(), 0, model.parameters().values(), 0, 5);
        List<double[]> batch = windows(31, 5, 6);
        double[] direct = new double[5];
        double directLoss = model.replicate().lossAndGradient(batch, new TrainingStep(1, 1.0), direct) / 31;
        double[] loss = new double[1];
        for (int shards : new int[] {1, 2, 3, 7}) {
            double[] g = gradient(model, batch, Math.min(shards, 3), shards, loss);
            for (int i = 0; i < 5; i++) {
                assertEquals(direct[i] / 31, g[i], 1e-12 * Math.abs(direct[i] / 31), "shards " + shards);
            }
            assertEquals(directLoss, loss[0], 1e-12 * directLoss);
        }
    }

    @Test
    void shouldReproduceARunBitwiseFromItsSeedWhateverTheThreadCount() {
        List<double[]> data = windows(30, 4, 7);
        List<double[]> validation = windows(6, 4, 8);
        TrainerConfig.Builder base = config().shards(3).batchSize(8).iterations(60).adam(AdamSettings.of(0.02));
        QuadraticModel one = new QuadraticModel(4, 0.05);
        QuadraticModel three = new QuadraticModel(4, 0.05);
        QuadraticModel otherSeed = new QuadraticModel(4, 0.05);
        TrainingResult a = train(one, base.seed(5).threads(1).build(), data, validation);
        TrainingResult b = train(three, base.seed(5).threads(3).build(), data, validation);
        train(otherSeed, base.seed(6).threads(1).build(), data, validation);
        assertArrayEquals(one.parameters().values(), three.parameters().values(), 0.0);
        assertEquals(a.progress().stream().map(Progress::loss).toList(),
                b.progress().stream().map(Progress::loss).toList());
        assertFalse(Arrays.equals(one.parameters().values(), otherSeed.parameters().values()),
                "another seed shuffles differently");
    }

    @Test
    void shouldStopEarlyAndRestoreTheParametersOfTheBestValidation() {
        // Training pulls theta from 0 towards (2, 2); the validation optimum (1, 1) lies on the way, so the
        // validation loss falls, then rises.
        QuadraticModel model = new QuadraticModel(2, 0.0);
        TrainerConfig config = config().adam(AdamSettings.of(0.01)).iterations(1000).evaluateEvery(5).logEvery(5)
                .patience(3).build();
        TrainingResult result;
        double restored;
        try (Trainer<double[]> trainer = new Trainer<>(model, config, QUIET)) {
            result = trainer.train(constant(10, 2.0, 2.0), constant(4, 1.0, 1.0), RANGE);
            restored = trainer.validate(constant(4, 1.0, 1.0));
        }
        assertTrue(result.stoppedEarly());
        assertEquals(result.bestIteration() + 3 * 5, result.iterations());
        double lowest = result.progress().stream().mapToDouble(Progress::validation).min().orElseThrow();
        assertEquals(lowest, result.bestMetric(), 0.0);
        assertEquals(result.bestMetric(), restored, 0.0);
        assertTrue(result.progress().getLast().validation() > result.bestMetric());
        assertEquals(1.0, model.parameters().values()[0], 0.05);
    }

    @Test
    void shouldFollowTheSchedulesAndHandTheKlWeightToTheModel() {
        Schedule beta = Schedule.linearRamp(0.0, 1.0, 10, 20);
        Schedule rate = Schedule.exponentialDecay(0.01, 0.9, 0.001);
        QuadraticModel model = new QuadraticModel(2, 0.0);
        TrainingResult result = train(model, config().threads(2).shards(2).iterations(40).beta(beta)
                .learningRate(rate).logEvery(7).build(), windows(16, 2, 9), List.of());
        assertEquals(40 * 2, model.seen.size());
        for (TrainingStep step : model.seen) {
            assertEquals(beta.at(step.iteration()), step.beta(), 0.0);
        }
        for (Progress line : result.progress()) {
            assertEquals(rate.at(line.iteration()), line.learningRate(), 0.0);
            assertEquals(beta.at(line.iteration()), line.beta(), 0.0);
        }
        assertEquals(List.of(7L, 14L, 21L, 28L, 35L, 40L),
                result.progress().stream().map(Progress::iteration).toList());
    }

    @Test
    void shouldReportTheModelsCountersPerTrainingIteration() {
        QuadraticModel model = new QuadraticModel(2, 0.0);
        List<String> lines = new ArrayList<>();
        TrainerConfig config = config().threads(2).shards(3).iterations(20).logEvery(5).evaluateEvery(5).build();
        TrainingResult result;
        try (Trainer<double[]> trainer = new Trainer<>(model, config, lines::add)) {
            result = trainer.train(windows(12, 2, 1), windows(6, 2, 2), RANGE);
        }
        for (Progress line : result.progress()) {
            assertEquals(3.0, line.counters().get("calls"), 0.0, "one call per shard, validation excluded");
        }
        assertEquals(4, lines.size());
        assertTrue(lines.getFirst().contains("calls/it 3.0") && lines.getFirst().contains("val.loss"), lines::toString);
    }

    @Test
    void shouldSkipAStepWhoseLossIsNotFinite() {
        QuadraticModel model = new QuadraticModel(2, 0.0);
        model.poisonIteration = 3;
        TrainingResult result = train(model, config().iterations(10).build(), windows(8, 2, 3), List.of());
        assertEquals(1, result.skippedSteps());
        assertTrue(Double.isFinite(model.parameters().values()[0]));
        assertTrue(Double.isFinite(result.finalLoss()));
    }

    @Test
    void shouldPropagateAFailureOnAWorkerThread() {
        QuadraticModel model = new QuadraticModel(3, 0.0);
        List<double[]> batch = List.of(new double[3], new double[3], new double[1]);
        try (Trainer<double[]> trainer = new Trainer<>(model, config().threads(3).shards(3).build(), QUIET)) {
            assertThrows(ArrayIndexOutOfBoundsException.class,
                    () -> trainer.lossAndGradient(batch, new TrainingStep(1, 1.0), new double[3]));
        }
    }

    @Test
    void shouldWriteACheckpointThatDecodesToTheKeptParameters(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("model.odsc");
        QuadraticModel model = new QuadraticModel(3, 0.0);
        TrainerConfig config = config().iterations(30).checkpoint(new CheckpointTarget(file, 3, OptionalLong.of(2)))
                .build();
        TrainingResult result = train(model, config, windows(10, 3, 1), windows(4, 3, 2));
        Checkpoint decoded = CheckpointCodec.decode(Files.readAllBytes(file));
        assertEquals(result.checkpoint(), decoded);
        assertArrayEquals(model.parameters().values(), decoded.parameters(), 0.0);
        assertEquals(model.parameters().layout().blocks(), decoded.layout());
        assertEquals(model.hyperparameters(), decoded.hyperparameters());
        assertEquals(3, decoded.modelVersion());
        assertEquals(OptionalLong.of(2), decoded.training().parentVersion());
        assertEquals(RANGE, decoded.training().dataRange());
        assertEquals(result.bestMetric(), decoded.training().metrics().get("validation.loss"), 0.0);
        assertEquals(30.0, decoded.training().metrics().get("train.iterations"), 0.0);
        assertTrue(decoded.training().notes().contains("optimizer=ADAM"), decoded.training().notes());
    }
}
