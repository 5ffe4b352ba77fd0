package dev.odestream.evaluate;

import dev.odestream.stream.Event;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RecordedForecasterTest {

    private static RecordedForecast at(String key, long time, int tied, double mean) {
        return new RecordedForecast(key, time, tied, new double[] {mean}, new double[] {0.5},
                new double[] {0.002, 0.001}, new double[] {0.25, 0.5});
    }

    @Test
    void shouldReadBackExactlyWhatItWrites() {
        RecordedForecast r = new RecordedForecast("a b", 1_700_000_000_123L, 2, new double[] {0.1 + 0.2, -1e-300},
                new double[] {Math.PI, 1e300}, new double[] {1.0 / 3}, new double[] {2.0 / 3});
        assertEquals(r, RecordedForecast.parse(r.toJson()));
        assertEquals(0, RecordedForecast.parse("{\"key\":\"k\",\"time\":5,\"mean\":[],\"std\":[],\"lambda\":[1],"
                + "\"expectedCount\":[0]}").tied(), "tied defaults to 0");
    }

    @Test
    void shouldRefuseAnUnknownOrMissingField() {
        assertThrows(IllegalArgumentException.class, () -> RecordedForecast.parse("{\"key\":\"k\",\"time\":5,"
                + "\"mean\":[],\"std\":[],\"lambda\":[1],\"expectedCount\":[0],\"extra\":1}"));
        assertThrows(IllegalArgumentException.class, () -> RecordedForecast.parse("{\"key\":\"k\",\"time\":5}"));
    }

    @Test
    void shouldAnswerBySeriesTimeAndTieAndCountWhatIsMissing() {
        RecordedForecaster recorded = new RecordedForecaster("recorded", List.of(at("a", 10, 0, 1.0),
                at("a", 20, 1, 2.0), at("b", 10, 0, 3.0)), 1);
        Forecaster.Series a = recorded.open("a");
        a.observe(Event.of(5, 0.0));
        Forecast first = a.at(10);
        assertEquals(1.0, first.mean(0));
        assertEquals(0.003 / 1000, first.intensity(), 1e-18, "summed over types, per millisecond");
        assertEquals(0.75, first.cumulativeIntensity());
        a.observe(Event.of(10, 0.0));
        a.observe(Event.of(20, 0.0));
        assertEquals(2.0, a.at(20).mean(0), "the forecast between two events at 20");
        a.observe(Event.of(20, 0.0));
        assertFalse(a.at(20).predictsEvents(), "none recorded after both");
        assertFalse(recorded.open("c").at(10).predicts(0));
        assertEquals(2, recorded.answered());
        assertEquals(2, recorded.missing());
        assertTrue(recorded.open("b").at(10).predicts(0));
    }

    @Test
    void shouldRefuseTwoForecastsOfOneTargetOrTheWrongDimension() {
        assertThrows(IllegalArgumentException.class, () -> new RecordedForecaster("r",
                List.of(at("a", 10, 0, 1.0), at("a", 10, 0, 2.0)), 1));
        assertThrows(IllegalArgumentException.class, () -> new RecordedForecaster("r", List.of(at("a", 10, 0, 1.0)),
                2));
        assertEquals(0, new RecordedForecaster("r", List.of(at("a", 10, 0, 1.0)), 0).open("a").at(10).dimension(),
                "point events: the value forecast is left out");
    }
}
