package dev.odestream.train.experiments;

import dev.odestream.data.Spiral;
import dev.odestream.data.SpiralConfig;
import dev.odestream.data.SpiralDataset;
import dev.odestream.data.Spirals;
import dev.odestream.model.Forecast;
import dev.odestream.model.LatentOdeModel;
import dev.odestream.model.ModelConfig;
import dev.odestream.model.SeriesState;
import dev.odestream.model.Window;
import dev.odestream.model.checkpoint.Checkpoint;
import dev.odestream.model.checkpoint.CheckpointCodec;
import dev.odestream.model.checkpoint.LoadedModel;
import dev.odestream.nn.Activation;
import dev.odestream.train.LatentOdeTrainable;
import dev.odestream.train.Progress;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LatentSpiralExperimentTest {

    /** 20 spirals of 24 window steps, 8 observed, 10 extrapolated: fit 14, validate 2, test 4; a small model. */
    private static LatentSpiralExperiment.Settings tiny(int threads, Path checkpoint) {
        ModelConfig model = new ModelConfig(2, 1, 4, 8, 8, 12, 12, Activation.TANH, 0.1, 3, 1e-5, 1e-7);
        return LatentSpiralExperiment.Settings.paper(8, 30, 5L, threads)
                .withData(SpiralConfig.paper(8).withCount(20).withSteps(24, 10)).withModel(model)
                .withTraining(7, 0.02, 10, 10, 10).withCheckpoint(checkpoint);
    }

    @Test
    void shouldLowerTheLossReproduceFromTheSeedAndCheckpointTheKeptModel(@TempDir Path dir) throws Exception {
        LatentSpiralExperiment.Report first = LatentSpiralExperiment.run(tiny(1, dir.resolve("a.odsc")), l -> { });
        LatentSpiralExperiment.Report again = LatentSpiralExperiment.run(tiny(2, dir.resolve("b.odsc")), l -> { });
        List<Progress> progress = first.training().progress();
        assertTrue(progress.getLast().loss() < 0.75 * progress.getFirst().loss(), progress::toString);
        assertTrue(Double.isFinite(first.testRmse()) && Double.isFinite(first.testRmseClean()));
        first.predictions().forEach(p -> assertTrue(java.util.Arrays.stream(p).allMatch(Double::isFinite)));
        assertEquals(first.testRmse(), again.testRmse(), 0.0, "one seed, any thread count");
        assertEquals(List.of(14, 2, 4), List.of(first.fit().size(), first.validation().size(), first.test().size()));
        Checkpoint a = CheckpointCodec.decode(Files.readAllBytes(dir.resolve("a.odsc")));
        Checkpoint b = CheckpointCodec.decode(Files.readAllBytes(dir.resolve("b.odsc")));
        assertArrayEquals(a.parameters(), b.parameters(), 0.0);
        assertArrayEquals(first.model().parameters().values(), a.parameters(), 0.0, "the checkpoint is the kept model");
        assertEquals(first.valueScale(), LoadedModel.valueScale(a));
        assertForecastsAgree(first.model(), LoadedModel.load(a), first.test().get(0), first.valueScale());
        assertEquals(first.testRmse(), rmseOf(LoadedModel.load(a), first), 0.0);
        LatentOdeTrainable scorer = new LatentOdeTrainable(first.model(), LatentOdeTrainable.Validation.RMSE, 0L,
                first.valueScale(), LatentOdeTrainable.Options.perWindow());
        double validationWay = scorer.metric(scorer.evaluate(LatentSpiralExperiment.windows(first.test(),
                first.valueScale())));
        assertEquals(first.testRmse(), validationWay, 1e-9 * first.testRmse(), "test and validation score alike");
    }

    @Test
    void shouldTrainOnTheBatchedPathReproduciblyAndCheckpointAModelTheEngineLoads(@TempDir Path dir)
            throws Exception {
        LatentSpiralExperiment.Report first = LatentSpiralExperiment.run(tiny(1, dir.resolve("a.odsc"))
                .withBatched(true), l -> { });
        LatentSpiralExperiment.Report again = LatentSpiralExperiment.run(tiny(2, dir.resolve("b.odsc"))
                .withBatched(true), l -> { });
        List<Progress> progress = first.training().progress();
        assertTrue(progress.getLast().loss() < 0.75 * progress.getFirst().loss(), progress::toString);
        assertTrue(Double.isFinite(first.testRmse()));
        assertEquals(first.testRmse(), again.testRmse(), 0.0, "one seed, one or two threads");
        Checkpoint a = CheckpointCodec.decode(Files.readAllBytes(dir.resolve("a.odsc")));
        assertEquals(first.testRmse(), rmseOf(LoadedModel.load(a), first), 0.0);
    }

    @Test
    void shouldDrawTheSpiralFigure(@TempDir Path dir) throws Exception {
        LatentSpiralExperiment.Settings s = tiny(2, dir.resolve("c.odsc"));
        LatentSpiralExperiment.Report report = LatentSpiralExperiment.run(s, l -> { });
        Document svg = Svg.parse(ExperimentFigures.spirals(report, Optional.of(report.predictions()), 1, 2).toSvg());
        assertEquals(2 * 4, Svg.count(svg, "path", "line"), "truth, backward path, extrapolation, baseline x 2");
        assertEquals(2 * 8, Svg.count(svg, "circle", "point"), "8 observations in each of 2 panels");
    }

    @Test
    void shouldSplitEachSpiralIntoContextPrefixesWithTheRestAsTargets() {
        Spiral s = dev.odestream.data.Spirals.generate(SpiralConfig.paper(8).withCount(2).withSteps(24, 10), 1L)
                .spirals().get(1);
        List<dev.odestream.model.Window> w = LatentSpiralExperiment.trainingWindows(List.of(s), 2.0, 2);
        assertEquals(2, w.size());
        assertEquals(4, w.get(0).contextCount());
        assertEquals(4 + 10, w.get(0).targetCount());
        assertEquals(s.observedTime(4), w.get(0).targetTimes()[0]);
        assertEquals(s.observedValue(5, 1) / 2.0, w.get(0).targetValues()[1][1]);
        assertEquals(LatentSpiralExperiment.window(s, 2.0, true), w.get(1), "the last split is the protocol's");
        assertEquals(8, w.get(1).contextCount());
        assertEquals(s.targetValue(9, 0) / 2.0, w.get(1).targetValues()[9][0]);
    }

    @Test
    void shouldPutThePapersNumbersBesideOurs() {
        String table = LatentSpiralExperiment.table(50, 0.2, Double.NaN);
        assertTrue(table.contains("| 50 | 0.2000 | n/a | 0.1502 | 0.3202 |"), table);
    }

    /** The engine's path: observe the context, forecast at the targets; the loaded model must match exactly. */
    private static void assertForecastsAgree(LatentOdeModel trained, LatentOdeModel loaded, Spiral s, double scale) {
        double[] times = s.targetTimes();
        Forecast expected = forecast(trained, s, scale, times);
        Forecast actual = forecast(loaded, s, scale, times);
        assertEquals(expected.points(), actual.points());
    }

    private static Forecast forecast(LatentOdeModel model, Spiral s, double scale, double[] times) {
        SeriesState state = model.newState();
        for (int i = 0; i < s.observedCount(); i++) {
            model.observe(state, s.observedTime(i), new double[] {s.observedValue(i, 0) / scale,
                s.observedValue(i, 1) / scale}, null, 0);
        }
        Forecast f = model.newForecast(times.length);
        model.forecast(state, times, f);
        return f;
    }

    private static double rmseOf(LatentOdeModel model, LatentSpiralExperiment.Report r) {
        return dev.odestream.data.SpiralDataset.rmse(r.test(),
                LatentSpiralExperiment.extrapolate(model, r.test(), r.valueScale()), false);
    }
}
