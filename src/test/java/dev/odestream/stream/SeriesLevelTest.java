package dev.odestream.stream;

import dev.odestream.dataset.EventWindows;
import dev.odestream.model.Calibration;
import dev.odestream.model.DataSpec;
import dev.odestream.model.ForecastPoint;
import dev.odestream.model.LevelRule;
import dev.odestream.model.ValueTransform;
import dev.odestream.model.Window;
import dev.odestream.model.checkpoint.LoadedModel;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

/**
 * The per-series level and the calibration on the serving path, against hand-computed levels: the engine adds to the
 * decoder's mean the level that training subtracted from the window's targets, and scales the spread and the
 * intensity by the calibration, and nothing else changes.
 */
class SeriesLevelTest {

    private static final long MINUTE = 60_000;
    private static final LevelRule EWMA = new LevelRule(0.3, 3);
    private static final DataSpec SPEC = new DataSpec(List.of("delay", "depth"), List.of("arrival", "departure"),
            MINUTE, List.of(new ValueTransform(10.0, 2.0, false), new ValueTransform(0.5, 0.25, true)));
    private static final double[][] VALUES = {{12.0, 2.0}, {9.0, 1.5}, {14.0, 3.0}, {11.0, 2.5}, {16.0, 1.2}};
    private static final boolean[][] MASKS = {null, {false, true}, null, {true, false}, null};

    private static List<Event> events() {
        List<Event> events = new ArrayList<>();
        for (int i = 0; i < VALUES.length; i++) {
            events.add(new Event(i * 3 * MINUTE, VALUES[i], MASKS[i], 0));
        }
        return events;
    }

    /** The level of dimension {@code d} after the first {@code end} events, by the rule's definition. */
    private static double handLevel(List<Event> events, int end, int d) {
        double level = 0;
        int n = 0;
        for (int i = Math.max(0, end - EWMA.window()); i < end; i++) {
            if (events.get(i).isPresent(d)) {
                n++;
                double y = SPEC.transforms().get(d).toModel(events.get(i).values()[d]);
                level += Math.max(EWMA.alpha(), 1.0 / n) * (y - level);
            }
        }
        return level;
    }

    @Test
    void shouldAddTheLevelOfTheRingsLastEventsToTheMeanOnTheModelsScale() {
        LoadedModel plain = LoadedModel.initial(EngineFixture.smallModel(), 11L).withSpec(SPEC);
        SeriesModel without = new SeriesModel(plain, TimeScale.seconds(), 8, 0, 8);
        SeriesModel with = new SeriesModel(plain.withSpec(SPEC.withLevel(EWMA)), TimeScale.seconds(), 8, 0, 8);
        List<Event> events = events();
        SeriesSnapshot a = null;
        SeriesSnapshot b = null;
        for (Event e : events) {
            a = updated(without.update(a, e));
            b = updated(with.update(b, e));
        }
        assertEquals(a.hidden().length, b.hidden().length);
        long at = 17 * MINUTE;
        ForecastPoint p = without.points(a, new long[] {at}).getFirst();
        ForecastPoint q = with.points(b, new long[] {at}).getFirst();
        assertEquals(p.mean()[0] + 2.0 * handLevel(events, events.size(), 0), q.mean()[0], 1e-9);
        assertEquals(p.std()[0], q.std()[0], 1e-12, "a level moves the mean, not the spread");
        double[][] plainScale = without.modelScale(a, at);
        double[][] levelScale = with.modelScale(b, at);
        assertEquals(plainScale[0][1] + handLevel(events, events.size(), 1), levelScale[0][1], 1e-12);
        assertEquals(0.5 + 0.25 * levelScale[0][1], Math.log(q.mean()[1]) - Math.pow(0.25 * levelScale[1][1], 2)
                / 2, 1e-9, "log-normal mean about the shifted location");
        assertEquals(p.probabilityNoEvent(), q.probabilityNoEvent(), 0.0);
    }

    @Test
    void shouldSubtractFromTheTargetsTheLevelAtTheLastContextEventOverTheWholeSeries() {
        DataSpec spec = SPEC.withLevel(EWMA);
        List<Event> events = events();
        Window w = EventWindows.window(events, 1, 5, 2, spec);
        for (int t = 0; t < w.targetCount(); t++) {
            Event e = events.get(3 + t);
            double[] row = w.targetValuesRow(t);
            for (int d = 0; d < 2; d++) {
                if (e.isPresent(d)) {
                    assertEquals(SPEC.transforms().get(d).toModel(e.values()[d]) - handLevel(events, 3, d), row[d],
                            1e-12, "target " + t + " dimension " + d);
                }
            }
        }
        Window none = EventWindows.window(events, 1, 5, 2, SPEC);
        assertEquals(SPEC.transforms().get(0).toModel(events.get(3).values()[0]), none.targetValuesRow(0)[0], 1e-12,
                "without a level rule the targets are the values on the model's scale");
    }

    @Test
    void shouldScaleTheSpreadOnTheModelsScaleAndTheIntensityByTheCalibration() {
        LoadedModel plain = LoadedModel.initial(EngineFixture.smallModel(), 11L).withSpec(SPEC);
        SeriesModel without = new SeriesModel(plain, TimeScale.seconds(), 8, 0, 8);
        SeriesModel with = new SeriesModel(plain.withSpec(SPEC.withCalibration(new Calibration(new double[] {2.0,
            0.5}, 3.0))), TimeScale.seconds(), 8, 0, 8);
        SeriesSnapshot a = null;
        SeriesSnapshot b = null;
        for (Event e : events()) {
            a = updated(without.update(a, e));
            b = updated(with.update(b, e));
        }
        long at = 13 * MINUTE;
        ForecastPoint p = without.points(a, new long[] {at}).getFirst();
        ForecastPoint q = with.points(b, new long[] {at}).getFirst();
        assertEquals(p.mean()[0], q.mean()[0], 1e-12);
        assertEquals(2.0 * p.std()[0], q.std()[0], 1e-12);
        double[][] m = without.modelScale(a, at);
        double s = 0.5 * m[1][1] * 0.25;
        assertEquals(Math.exp(0.5 + 0.25 * m[0][1] + s * s / 2), q.mean()[1], 1e-9, "log-normal of the halved spread");
        for (int k = 0; k < 2; k++) {
            assertEquals(3.0 * p.intensity()[k], q.intensity()[k], 1e-12 * q.intensity()[k]);
            assertEquals(3.0 * p.expectedCount()[k], q.expectedCount()[k], 1e-12 * q.expectedCount()[k]);
        }
        assertEquals(true, q.probabilityNoEvent() < p.probabilityNoEvent());
    }

    private static SeriesSnapshot updated(SeriesModel.Outcome outcome) {
        return assertInstanceOf(SeriesModel.Updated.class, outcome).snapshot();
    }
}
