package dev.odestream.train.experiments;

import dev.odestream.data.Intensity;
import dev.odestream.data.PoissonProcesses;
import dev.odestream.model.Window;
import dev.odestream.train.Progress;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;

import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PoissonExperimentTest {

    private static PoissonExperiment.Settings tiny(PoissonExperiment.Process p, int threads) {
        return PoissonExperiment.Settings.defaults(p, 40, 3L, threads).withCounts(40, 10, 20)
                .withTraining(10, 0.02, 10, 10, 10);
    }

    @Test
    void shouldLowerTheLossKeepEveryOutputFiniteAndRepeatFromTheSeed() throws Exception {
        PoissonExperiment.Report r = PoissonExperiment.run(tiny(PoissonExperiment.Process.riseDecay(), 1), l -> { });
        PoissonExperiment.Report again = PoissonExperiment.run(tiny(PoissonExperiment.Process.riseDecay(), 2),
                l -> { });
        List<Progress> progress = r.training().progress();
        assertTrue(progress.getLast().loss() < progress.getFirst().loss(), progress::toString);
        assertTrue(Arrays.stream(r.learned()).allMatch(v -> v > 0 && Double.isFinite(v)));
        assertTrue(Arrays.stream(r.forecast()).allMatch(v -> v > 0 && Double.isFinite(v)));
        assertTrue(Double.isFinite(r.relativeL2()) && Double.isFinite(r.heldOutPerEvent()));
        assertArrayEquals(r.learned(), again.learned(), 0.0, "one seed, any thread count");
        Document svg = Svg.parse(ExperimentFigures.intensities(List.of(r, again)).toSvg());
        assertEquals(2 * 3, Svg.count(svg, "path", "line"), "true, learned and forecast intensity in 2 panels");
        assertEquals(2, Svg.count(svg, "path", "rug"), "one held-out sequence's events per panel");
    }

    @Test
    void shouldScoreTheBaselinesAgainstTheirClosedForms() {
        PoissonExperiment.Report r = PoissonExperiment.run(tiny(PoissonExperiment.Process.periodic(), 2), l -> { });
        List<double[]> all = PoissonProcesses.sampleMany(r.process().intensity(), 10.0, 70, 3L);
        long trainEvents = all.subList(0, 40).stream().mapToLong(e -> e.length).sum();
        long testEvents = all.subList(50, 70).stream().mapToLong(e -> e.length).sum();
        double rate = trainEvents / 400.0;
        double expected = (testEvents * Math.log(rate) - rate * 200.0) / testEvents;
        assertEquals(expected, r.homogeneousPerEvent(), 1e-12);
        assertEquals(Math.log(testEvents / 200.0) - 1, r.homogeneousInSamplePerEvent(), 1e-12);
        assertTrue(r.truePerEvent() > r.homogeneousInSamplePerEvent(), "the truth beats any constant rate");
    }

    /** The relative error of a curve given on the Simpson grid: zero for the truth, exactly 10% for 1.1 times it. */
    @Test
    void shouldMeasureTheRelativeL2OnItsGrid() {
        PoissonExperiment.Process p = new PoissonExperiment.Process("test", new Intensity.RiseDecay(2, 1, 0.3), 6);
        double[] t = PoissonExperiment.grid(p.horizon());
        double[] truth = Arrays.stream(t).map(p.intensity()::rate).toArray();
        double[] high = Arrays.stream(truth).map(v -> 1.1 * v).toArray();
        assertEquals(0.0, PoissonExperiment.relativeL2(truth, p), 1e-15);
        assertEquals(0.1, PoissonExperiment.relativeL2(high, p), 1e-12);
    }

    @Test
    void shouldTurnASequenceIntoAStartMarkerAndTargetEvents() {
        Window w = PoissonExperiment.windows(List.of(new double[] {0.5, 2.0, 7.5}), 10.0).get(0);
        assertEquals(1, w.contextCount());
        assertEquals(0.0, w.tau());
        assertEquals(null, w.contextValues()[0], "a pure point event");
        assertArrayEquals(new double[] {0.5, 2.0, 7.5}, w.eventTimes(), 0.0);
        assertEquals(0, w.targetCount());
        assertEquals(10.0, w.end());
    }

    @Test
    void shouldTabulateEveryProcess() {
        PoissonExperiment.Report r = PoissonExperiment.run(tiny(PoissonExperiment.Process.riseDecay(), 2)
                .withCounts(10, 2, 5), l -> { });
        String table = PoissonExperiment.table(List.of(r));
        assertTrue(table.lines().count() == 3 && table.contains("| rise-decay |"), table);
    }
}
