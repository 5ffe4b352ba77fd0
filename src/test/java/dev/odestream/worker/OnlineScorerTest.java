package dev.odestream.worker;

import dev.odestream.model.Calibration;
import dev.odestream.model.DataSpec;
import dev.odestream.model.ForecastPoint;
import dev.odestream.model.LevelRule;
import dev.odestream.model.ModelConfig;
import dev.odestream.model.checkpoint.LoadedModel;
import dev.odestream.stream.Event;
import dev.odestream.stream.SeriesModel;
import dev.odestream.stream.SeriesSnapshot;
import dev.odestream.stream.TimeScale;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class OnlineScorerTest {

    private static final LoadedModel MODEL = LoadedModel.initial(ModelConfig.reference(), 7);

    private static List<Event> series(int n) {
        List<Event> events = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            double t = 0.7 * i + 0.2 * Math.sin(i);
            events.add(new Event(1_000_000L + Math.round(t * 1000), new double[] {Math.sin(t), Math.cos(t),
                    0.5 * t, -0.1 * i}, null, 0));
        }
        return events;
    }

    @Test
    void shouldScoreOnlyAfterTheContextAndAgreeWithTheHeldOutScoring() {
        int context = 4;
        List<Event> events = series(10);
        OnlineScorer live = new OnlineScorer(MODEL, TimeScale.seconds(), 10, context);
        List<LiveScore> liveScores = new ArrayList<>();
        for (int i = 0; i < events.size(); i++) {
            List<Event> before = events.subList(0, i);
            LiveScore s = live.next("a", events.get(i), () -> before);
            if (i < context) {
                assertNull(s, "event " + i + " has fewer than " + context + " events before it");
            } else {
                assertNotNull(s, "event " + i);
                liveScores.add(s);
            }
        }
        List<LiveScore> heldOut = new OnlineScorer(MODEL, TimeScale.seconds(), 1, 1).score(events, context);
        assertEquals(heldOut.size(), liveScores.size());
        for (int i = 0; i < heldOut.size(); i++) {
            assertEquals(heldOut.get(i).nll(), liveScores.get(i).nll(), 1e-12);
            assertEquals(heldOut.get(i).squaredError(), liveScores.get(i).squaredError(), 1e-12);
            assertTrue(Double.isFinite(liveScores.get(i).nll()));
        }
    }

    /**
     * A model with a level rule and a calibration is scored as the engine serves it: the level of the series' recent
     * events added to the mean, the spread and intensity scaled; live, the series met late (its history buffered),
     * and held out alike.
     */
    @Test
    void shouldScoreALevelledCalibratedModelAsTheEngineServesIt() {
        int context = 3;
        List<Event> events = series(12);
        DataSpec spec = MODEL.spec().withLevel(new LevelRule(0.5, 4)).withCalibration(new Calibration(new double[] {
            2, 1, 0.5, 3}, 1.5));
        LoadedModel levelled = MODEL.withSpec(spec);
        SeriesModel served = new SeriesModel(levelled, TimeScale.seconds(), 32, 0, 1);
        OnlineScorer live = new OnlineScorer(levelled, TimeScale.seconds(), 10, context);
        List<LiveScore> held = new OnlineScorer(levelled, TimeScale.seconds(), 1, 1).score(events, context);
        SeriesSnapshot state = null;
        for (int i = 0; i < events.size(); i++) {
            Event e = events.get(i);
            List<Event> before = events.subList(0, i);
            LiveScore s = live.next("a", e, () -> before);
            if (i == 5) {
                live = new OnlineScorer(levelled, TimeScale.seconds(), 10, context);
            }
            if (i >= context && s != null) {
                double[][] m = served.modelScale(state, e.timeMs());
                ForecastPoint p = served.points(state, new long[] {e.timeMs()}).getFirst();
                double squared = 0;
                double nll = -Math.log(p.intensity()[0]) + p.expectedCount()[0];
                for (int d = 0; d < 4; d++) {
                    double err = m[0][d] - e.values()[d];
                    double std = m[1][d] * spec.calibration().stdScale(d);
                    squared += err * err;
                    nll += 0.5 * (Math.log(2 * Math.PI) + 2 * Math.log(std) + err * err / (std * std));
                }
                assertEquals(squared, s.squaredError(), 1e-9 * squared, "event " + i);
                assertEquals(squared, held.get(i - context).squaredError(), 1e-9 * squared, "event " + i);
                assertEquals(nll, s.nll(), 1e-9 * Math.abs(nll), "event " + i);
            }
            state = ((SeriesModel.Updated) served.update(state, e)).snapshot();
        }
    }

    @Test
    void shouldCountTheBufferedHistoryOfASeriesItMeetsLate() {
        List<Event> events = series(6);
        OnlineScorer live = new OnlineScorer(MODEL, TimeScale.seconds(), 10, 4);
        assertNull(live.next("b", events.get(3), () -> events.subList(0, 2)), "2 buffered events, 4 needed");
        assertNotNull(live.next("c", events.get(4), () -> events.subList(0, 4)), "4 buffered events suffice");
        assertThrows(IllegalArgumentException.class, () -> new OnlineScorer(MODEL, TimeScale.seconds(), 10, 0));
    }
}
