package dev.odestream.model;

import dev.odestream.ode.Method;
import dev.odestream.ode.OdeSolver;
import dev.odestream.ode.SolverOptions;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ForecastTest {

    private final ModelConfig config = Fixtures.small();

    private static List<ForecastPoint> forecast(LatentOdeModel model, Window w) {
        SeriesState s = Fixtures.observeContext(model, w);
        Forecast f = model.newForecast(4);
        model.forecast(s, w.targetTimes(), f);
        return f.points();
    }

    @Test
    void shouldBeDeterministicGivenTheSeed() {
        Window w = Fixtures.window(config, 21L);
        List<ForecastPoint> a = forecast(new LatentOdeModel(config, 5L), w);
        assertEquals(a, forecast(new LatentOdeModel(config, 5L), w));
        assertNotEquals(a, forecast(new LatentOdeModel(config, 6L), w));
        LatentOdeModel model = new LatentOdeModel(config, 6L);
        System.arraycopy(new LatentOdeModel(config, 5L).parameters().values(), 0, model.parameters().values(), 0,
                model.parameters().size());
        assertNotEquals(a, forecast(model, w), "the forecast noise must depend on the seed, too");
        assertEquals(a, forecast(new LatentOdeModel(config, 5L).copy(), w));
    }

    @Test
    void shouldUseAntitheticNoiseWithZeroMean() {
        double[] eps = new LatentOdeModel(config.withForecastSamples(5), 1L).forecastEpsilon();
        int l = config.latentDim();
        for (int k = 0; k < l; k++) {
            assertEquals(-eps[k], eps[l + k]);
            assertEquals(-eps[2 * l + k], eps[3 * l + k]);
            assertEquals(0.0, eps[4 * l + k], "odd S: the last sample is the posterior mean");
        }
    }

    /** {@code Lambda} carried in the solve equals a Simpson quadrature of {@code lambda} along a separately solved path. */
    @Test
    void shouldCarryTheIntegralOfTheIntensityAlongThePath() {
        LatentOdeModel model = new LatentOdeModel(config.withForecastSamples(1), 9L);
        LatentSystem system = model.latentSystem();
        system.setRows(1);
        double[] y0 = {0.4, -0.8, 1.1, 0.2, 0.0, 0.0};
        int n = 400;
        double horizon = 3.0;
        double[] times = new double[n + 1];
        double[][] path = new double[n + 1][y0.length];
        for (int i = 0; i <= n; i++) {
            times[i] = horizon * i / n;
        }
        new OdeSolver(y0.length, SolverOptions.of(Method.DOPRI5, 1e-11, 1e-13)).integrate(system, 0, y0, times, path);
        double[] integral = new double[2];
        for (int i = 0; i <= n; i++) {
            double weight = (i == 0 || i == n) ? 1 : (i % 2 == 1 ? 4 : 2);
            double[] rate = Fixtures.intensity(model.parameters(), Arrays.copyOf(path[i], 4));
            integral[0] += weight * rate[0] * horizon / (3.0 * n);
            integral[1] += weight * rate[1] * horizon / (3.0 * n);
        }
        assertEquals(integral[0], path[n][4], 1e-9);
        assertEquals(integral[1], path[n][5], 1e-9);
        assertTrue(Math.abs(path[n][0] - y0[0]) > 1e-3, "the path must move for this to test anything");
    }

    @Test
    void shouldStartAtTheOriginWithNoEventsAndTheNoiseFloor() {
        LatentOdeModel model = new LatentOdeModel(config, 2L);
        SeriesState s = Fixtures.observeContext(model, Fixtures.window(config, 22L));
        Forecast f = model.newForecast(2);
        model.forecast(s, new double[] {s.lastTime(), s.lastTime() + 1}, f);
        assertEquals(2, f.size());
        for (int k = 0; k < config.eventTypes(); k++) {
            assertEquals(0.0, f.expectedCount(0, k));
            assertTrue(f.expectedCount(1, k) > 0);
        }
        assertEquals(1.0, f.probabilityNoEvent(0));
        assertTrue(f.probabilityNoEvent(1) < 1.0);
        for (int d = 0; d < config.observationDim(); d++) {
            assertTrue(f.std(1, d) >= config.observationStd());
        }
    }

    @Test
    void shouldSnapshotPointsEqualToTheHolder() {
        LatentOdeModel model = new LatentOdeModel(config, 2L);
        Window w = Fixtures.window(config, 23L);
        SeriesState s = Fixtures.observeContext(model, w);
        Forecast f = model.newForecast(4);
        model.forecast(s, w.targetTimes(), f);
        ForecastPoint p = f.point(2);
        assertEquals(f.time(2), p.time());
        assertEquals(f.probabilityNoEvent(2), p.probabilityNoEvent());
        assertArrayEquals(new double[] {f.mean(2, 0), f.mean(2, 1), f.mean(2, 2)}, p.mean());
        assertArrayEquals(new double[] {f.std(2, 0), f.std(2, 1), f.std(2, 2)}, p.std());
        assertArrayEquals(new double[] {f.intensity(2, 0), f.intensity(2, 1)}, p.intensity());
        assertArrayEquals(new double[] {f.expectedCount(2, 0), f.expectedCount(2, 1)}, p.expectedCount());
        p.mean()[0] = 99;
        assertEquals(f.mean(2, 0), p.mean()[0], "records copy their arrays out");
        assertThrows(IndexOutOfBoundsException.class, () -> f.mean(4, 0));
    }

    @Test
    void shouldRejectBadQueries() {
        LatentOdeModel model = new LatentOdeModel(config, 2L);
        Forecast f = model.newForecast(2);
        SeriesState fresh = model.newState();
        assertThrows(IllegalStateException.class, () -> model.forecast(fresh, new double[] {1.0}, f));
        SeriesState s = Fixtures.observeContext(model, Fixtures.window(config, 24L));
        double tau = s.lastTime();
        IllegalArgumentException before = assertThrows(IllegalArgumentException.class,
                () -> model.forecast(s, new double[] {tau - 0.1}, f));
        assertTrue(before.getMessage().contains("not before the last event time"), before.getMessage());
        assertThrows(IllegalArgumentException.class, () -> model.forecast(s, new double[] {tau + 2, tau + 1}, f));
        assertThrows(IllegalArgumentException.class, () -> model.forecast(s, new double[] {tau + 1, tau + 1}, f));
        assertThrows(IllegalArgumentException.class, () -> model.forecast(s, new double[] {1, 2, 3}, f));
        assertThrows(IllegalArgumentException.class, () -> model.forecast(s, new double[0], f));
        assertThrows(IllegalArgumentException.class,
                () -> model.forecast(s, new double[] {tau + 1}, new Forecast(2, 2, 2)));
    }
}
