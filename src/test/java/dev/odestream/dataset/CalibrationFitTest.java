package dev.odestream.dataset;

import dev.odestream.model.Calibration;
import dev.odestream.model.DataSpec;
import dev.odestream.model.ForecastPoint;
import dev.odestream.model.ModelConfig;
import dev.odestream.model.ValueTransform;
import dev.odestream.model.checkpoint.LoadedModel;
import dev.odestream.nn.Activation;
import dev.odestream.stream.Event;
import dev.odestream.stream.SeriesModel;
import dev.odestream.stream.SeriesSnapshot;
import dev.odestream.stream.TimeScale;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CalibrationFitTest {

    private static final long HOUR = 3_600_000;

    @Test
    void shouldFindTheScaleOfGaussianErrorsFromBothIntervals() {
        Random random = new Random(5);
        List<Double> errors = new ArrayList<>();
        for (int i = 0; i < 40_000; i++) {
            errors.add(Math.abs(2.5 * random.nextGaussian()));
        }
        assertEquals(2.5, CalibrationFit.stdScale(errors), 0.05);
        assertEquals(1.0, CalibrationFit.stdScale(errors.subList(0, CalibrationFit.MIN_VALUES - 1)),
                "too few values: no factor");
    }

    /**
     * After the fit, the calibrated model's expected counts before each validation event sum to the number of those
     * events (the intensity factor's maximum-likelihood property), and its 90% intervals cover about 90% of the
     * validation values.
     */
    @Test
    void shouldMatchTheValidationEventsCountAndCoverage() {
        ModelConfig config = new ModelConfig(1, 1, 3, 6, 8, 8, 8, Activation.TANH, 0.05, 4, 1e-6, 1e-8);
        DataSpec spec = new DataSpec(List.of("x"), List.of("event"), HOUR, List.of(new ValueTransform(0, 1, false)));
        LoadedModel model = LoadedModel.initial(config, 3L).withSpec(spec);
        Random random = new Random(8);
        Map<String, List<Event>> series = new java.util.TreeMap<>();
        for (int s = 0; s < 40; s++) {
            List<Event> events = new ArrayList<>();
            long t = 0;
            for (int i = 0; i < 30; i++) {
                t += (long) (HOUR * (0.2 + 3 * random.nextDouble()));
                events.add(Event.of(t, s % 3 + random.nextGaussian()));
            }
            series.put("s" + s, events);
        }
        Map<String, TimeSplit.Parts<Event>> parts = TimeSplit.DEFAULT.splitAll(series, Event::timeMs);
        Calibration c = CalibrationFit.fit(model, parts.values(), true);
        assertTrue(c.stdScale(0) > 2, "an untrained model's spread (noise 0.05 and the samples' spread) against"
                + " errors of about 1 must widen: " + c);
        LoadedModel calibrated = model.withSpec(spec.withCalibration(c));
        SeriesModel served = new SeriesModel(calibrated, TimeScale.seconds(), 32, 0, 1);
        double expected = 0;
        int events = 0;
        int inside = 0;
        for (TimeSplit.Parts<Event> p : parts.values()) {
            SeriesSnapshot state = null;
            for (Event e : p.train()) {
                state = ((SeriesModel.Updated) served.update(state, e)).snapshot();
            }
            for (Event e : p.validation()) {
                ForecastPoint f = served.points(state, new long[] {e.timeMs()}).getFirst();
                expected += Arrays.stream(f.expectedCount()).sum();
                events++;
                inside += Math.abs(e.values()[0] - f.mean()[0]) <= 1.6448536 * f.std()[0] ? 1 : 0;
                state = ((SeriesModel.Updated) served.update(state, e)).snapshot();
            }
        }
        assertEquals(events, expected, 1e-9 * events);
        assertEquals(0.9, inside / (double) events, 0.05);
        assertThrows(IllegalArgumentException.class, () -> CalibrationFit.fit(calibrated, parts.values(), true),
                "fitted on an uncalibrated model only");
    }
}
