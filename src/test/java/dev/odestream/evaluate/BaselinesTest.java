package dev.odestream.evaluate;

import dev.odestream.stream.Event;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BaselinesTest {

    private static final double EPS = 1e-12;
    private static final Prior PRIOR = new Prior(new double[] {2, 2}, new double[] {4, 4}, 0.1);
    private static final Prior NO_PRIOR = new Prior(new double[] {Double.NaN}, new double[] {Double.NaN}, Double.NaN);

    private static Event missingSecond(long t, double x) {
        return new Event(t, new double[] {x, 0}, new boolean[] {true, false}, 0);
    }

    private static Forecaster.Series fed(Forecaster forecaster, Event... events) {
        Forecaster.Series series = forecaster.open();
        for (Event e : events) {
            series.observe(e);
        }
        return series;
    }

    @Test
    void shouldForecastTheLastValueWithTheSpreadOfItsChanges() {
        Forecaster.Series s = fed(Baselines.lastValue(PRIOR), missingSecond(0, 1));
        assertEquals(1, s.at(5).mean(0), EPS);
        assertEquals(2, s.at(5).std(0), EPS, "the prior alone: sqrt(4 / 1)");
        s.observe(missingSecond(1, 3));
        s.observe(new Event(2, new double[] {99, 0}, new boolean[] {false, false}, 0));
        assertEquals(3, s.at(5).mean(0), EPS, "a missing value is not a value");
        s.observe(missingSecond(3, 6));
        assertEquals(6, s.at(5).mean(0), EPS);
        assertEquals(Math.sqrt((4 + 9 + 4) / 3.0), s.at(5).std(0), EPS, "changes 2 and 3, plus the prior");
    }

    @Test
    void shouldSkipADimensionWithoutHistoryOrSpread() {
        Forecaster.Series s = fed(Baselines.lastValue(PRIOR), missingSecond(0, 1));
        assertTrue(s.at(1).predicts(0));
        assertFalse(s.at(1).predicts(1), "the second value was never observed");
        Forecaster.Series bare = fed(Baselines.lastValue(NO_PRIOR), Event.of(0, 1));
        assertFalse(bare.at(1).predicts(0), "one value and no prior: no spread yet");
        bare.observe(Event.of(1, 3));
        assertEquals(2, bare.at(2).std(0), EPS);
        assertFalse(fed(Baselines.lastValue(NO_PRIOR), Event.of(0, 1), Event.of(1, 1)).at(2).predicts(0),
                "a zero spread is no usable Gaussian");
    }

    @Test
    void shouldSmoothWithEwmaAndTrackItsErrors() {
        Forecaster.Series s = fed(Baselines.ewma(PRIOR, 0.5), missingSecond(0, 2));
        assertEquals(2, s.at(1).mean(0), EPS);
        assertEquals(2, s.at(1).std(0), EPS, "starts at the prior change variance");
        s.observe(missingSecond(1, 4));
        assertEquals(3, s.at(2).mean(0), EPS);
        assertEquals(Math.sqrt(0.5 * 4 + 0.5 * 4), s.at(2).std(0), EPS);
        s.observe(missingSecond(2, 3));
        assertEquals(3, s.at(3).mean(0), EPS, "no error, no move");
        assertEquals(Math.sqrt(2), s.at(3).std(0), EPS, "half the variance");
    }

    @Test
    void shouldForecastTheRunningMeanWithItsRunningStd() {
        Forecaster.Series s = fed(Baselines.runningMean(PRIOR), missingSecond(0, 1), missingSecond(1, 3),
                missingSecond(2, 5));
        assertEquals(3, s.at(3).mean(0), EPS);
        assertEquals(Math.sqrt((8 + 2) / 3.0), s.at(3).std(0), EPS, "squares 8 on 2 degrees, plus the prior");
    }

    @Test
    void shouldRateAPoissonProcessByItsEventsWithAPriorEvent() {
        Forecaster.Series s = fed(Baselines.poisson(PRIOR), Event.point(0, 0));
        assertEquals(0.1, s.at(0).intensity(), EPS, "the pooled rate at first");
        s.observe(Event.point(10, 0));
        s.observe(Event.point(30, 0));
        Forecast f = s.at(50);
        assertEquals(3 / 40.0, f.intensity(), EPS, "(2 gaps + 1 prior event) / (30 + 1 / 0.1)");
        assertEquals(3 / 40.0 * 20, f.cumulativeIntensity(), EPS, "since the last event");
        assertFalse(f.predicts(0));
        assertFalse(fed(Baselines.lastValue(PRIOR), Event.of(0, 1, 1)).at(1).predictsEvents());
    }

    @Test
    void shouldPoolThePriorOverTrainingParts() {
        List<Event> a = List.of(Event.of(0, 1), Event.of(10, 3), Event.of(20, 5));
        List<Event> b = List.of(Event.of(0, 2), new Event(50, new double[] {0}, new boolean[] {false}, 0),
                Event.of(100, 4));
        Prior prior = Prior.fit(List.of(a, b), 1);
        assertEquals((8 + 2) / 3.0, prior.valueVariance(0), EPS, "within-series squares over degrees of freedom");
        assertEquals((4 + 4 + 4) / 3.0, prior.changeVariance(0), EPS, "changes between observed values");
        assertEquals(4 / 120.0, prior.ratePerMs(), EPS, "gaps over spans");
    }
}
