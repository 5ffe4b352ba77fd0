package dev.odestream.train.experiments;

import dev.odestream.data.SpiralConfig;
import dev.odestream.model.checkpoint.Checkpoint;
import dev.odestream.model.checkpoint.CheckpointCodec;
import dev.odestream.train.Progress;
import dev.odestream.train.baseline.RnnObjective;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SpiralExperimentTest {

    /** 30 spirals of 30 window steps, 8 observed, 10 extrapolated: fit 21, validate 3, test 6. */
    private static SpiralExperiment.Settings tiny(int threads, RnnObjective objective, Optional<Path> checkpoint) {
        SpiralConfig data = SpiralConfig.paper(8).withCount(30).withSteps(30, 10);
        return new SpiralExperiment.Settings(data, 60, 3, threads, 8, 7, 0.02, objective, checkpoint);
    }

    @Test
    void shouldLowerTheLossAndReproduceTheTestRmseFromTheSeed() {
        List<String> lines = new ArrayList<>();
        SpiralExperiment.Report first = SpiralExperiment.run(tiny(1, RnnObjective.NEXT_STEP, Optional.empty()),
                lines::add);
        SpiralExperiment.Report again = SpiralExperiment.run(tiny(2, RnnObjective.NEXT_STEP, Optional.empty()),
                line -> { });
        List<Progress> progress = first.training().progress();
        assertTrue(progress.getLast().loss() < 0.5 * progress.getFirst().loss(), progress::toString);
        assertTrue(Double.isFinite(first.testRmse()) && Double.isFinite(first.testRmseClean()));
        assertEquals(first.testRmse(), again.testRmse(), 0.0);
        assertEquals(21, first.fitCount());
        assertEquals(3, first.validationCount());
        assertEquals(6, first.testCount());
        assertEquals(progress.size(), lines.size());
    }

    @Test
    void shouldTrainTheExtrapolationObjectiveAndWriteTheCheckpoint(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("rnn.odsc");
        SpiralExperiment.Report report = SpiralExperiment.run(tiny(2, RnnObjective.EXTRAPOLATION,
                Optional.of(file)), line -> { });
        List<Progress> progress = report.training().progress();
        assertTrue(progress.getLast().loss() < progress.getFirst().loss(), progress::toString);
        Checkpoint checkpoint = CheckpointCodec.decode(Files.readAllBytes(file));
        assertEquals("gru-rnn-baseline", checkpoint.hyperparameters().get("model"));
        assertEquals(report.training().bestMetric(), checkpoint.training().metrics().get("validation.rmse"), 0.0);
    }

    @Test
    void shouldParsePositionalArgumentsThenOptions() {
        SpiralExperiment.Settings s = SpiralExperiment.parse(
                new String[] {"50", "300", "7", "2", "count=100", "objective=next_step", "hidden=12"});
        assertEquals(50, s.data().observedPoints());
        assertEquals(100, s.data().count());
        assertEquals(300, s.iterations());
        assertEquals(7, s.seed());
        assertEquals(2, s.threads());
        assertEquals(12, s.hiddenSize());
        assertEquals(RnnObjective.NEXT_STEP, s.objective());
        SpiralExperiment.Settings defaults = SpiralExperiment.parse(new String[0]);
        assertEquals(25, defaults.hiddenSize());
        assertEquals(30, defaults.data().observedPoints());
        assertEquals(RnnObjective.EXTRAPOLATION, defaults.objective());
    }
}
