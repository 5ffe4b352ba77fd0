package dev.odestream.evaluate;

import dev.odestream.stream.Event;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Each metric on examples computed by hand. */
class TallyTest {

    private static final double EPS = 1e-6;
    private static final double DAY_MS = 86_400_000.0;
    private static final Forecast STANDARD = Forecast.ofValues(new double[] {0, 0}, new double[] {1, 1});

    @Test
    void shouldScoreAStandardGaussian() {
        Tally tally = new Tally(List.of("a", "b"), DAY_MS);
        for (double x : new double[] {0, 1, -2, 0.5}) {
            tally.add(STANDARD, new Event(0, new double[] {x, 7}, new boolean[] {true, false}, 0));
        }
        ValueMetrics v = tally.values();
        assertEquals(4, v.scored());
        assertEquals(0, v.skipped(), "a missing value is neither scored nor skipped");
        assertEquals(Math.sqrt(5.25 / 4), v.rmse(), EPS);
        assertEquals(3.5 / 4, v.mae(), EPS);
        assertEquals(0.5 * Math.log(2 * Math.PI) + 5.25 / 8, v.nll(), EPS);
        assertEquals(0.5, v.coverage50(), EPS, "0 and 0.5 are within 0.674");
        assertEquals(0.75, v.coverage90(), EPS, "and 1 within 1.645");
        assertEquals(0.75, v.coverage95(), EPS, "but 2 is beyond 1.960");
        assertEquals(0, v.byDimension().get(1).scored());
        assertTrue(Double.isNaN(v.byDimension().get(1).rmse()));
    }

    @Test
    void shouldScoreInTheDataUnitsAndCountSkippedValues() {
        Tally tally = new Tally(List.of("a", "b"), DAY_MS);
        Forecast onlyFirst = Forecast.ofValues(new double[] {10, Double.NaN}, new double[] {2, Double.NaN});
        tally.add(onlyFirst, Event.of(0, 13, 1));
        tally.add(onlyFirst, Event.of(0, 9, 1));
        ValueMetrics v = tally.values();
        assertEquals(2, v.scored());
        assertEquals(2, v.skipped());
        assertEquals(Math.sqrt(5), v.rmse(), EPS);
        assertEquals(2, v.mae(), EPS);
        assertEquals(0.5 * Math.log(2 * Math.PI) + Math.log(2) + (2.25 + 0.25) / 4, v.nll(), EPS);
        assertEquals(1, v.coverage90(), EPS);
        assertEquals(2, v.byDimension().get(1).skipped());
    }

    @Test
    void shouldComputeTheGaussianCrpsInClosedForm() {
        assertEquals(2 / Math.sqrt(2 * Math.PI) - 1 / Math.sqrt(Math.PI), Gaussian.crps(0, 0, 1), EPS);
        for (double[] c : new double[][] {{1, 0, 1}, {-3, 1, 2}, {0.3, 0, 0.1}}) {
            assertEquals(crpsByIntegration(c[0], c[1], c[2]), Gaussian.crps(c[0], c[1], c[2]), 1e-6);
        }
        assertEquals(0.975, Gaussian.cdf(1.959963984540054), 1e-7);
        assertEquals(0.15865525393145707, Gaussian.cdf(-1), 1e-7);
    }

    /** The definition: the integral of (F(y) - 1{y >= x})^2, with F from its own error function, split at x. */
    private static double crpsByIntegration(double x, double mean, double std) {
        double lo = Math.min(x, mean) - 12 * std;
        double hi = Math.max(x, mean) + 12 * std;
        return midpoint(lo, x, y -> Math.pow(Gaussian.cdf((y - mean) / std), 2))
                + midpoint(x, hi, y -> Math.pow(1 - Gaussian.cdf((y - mean) / std), 2));
    }

    private static double midpoint(double lo, double hi, java.util.function.DoubleUnaryOperator f) {
        int n = 200_000;
        double h = (hi - lo) / n;
        double sum = 0;
        for (int i = 0; i < n; i++) {
            sum += f.applyAsDouble(lo + (i + 0.5) * h) * h;
        }
        return sum;
    }

    @Test
    void shouldScoreEventTimesPerUnitOfTime() {
        Tally tally = new Tally(List.of(), DAY_MS);
        tally.add(Forecast.ofEvents(0, 0.5 / DAY_MS, 2), Event.point(0, 0));
        tally.add(Forecast.ofValues(new double[0], new double[0]), Event.point(0, 0));
        EventMetrics e = tally.events();
        assertEquals(1, e.scored());
        assertEquals(1, e.skipped());
        assertEquals(2 - Math.log(0.5), e.nll(), EPS);
        assertEquals(1, e.pitHistogram().get(1), "exp(-2) = 0.135");
        assertEquals(0.9, e.pitMaxDeviation(), EPS);
        assertEquals(9 * 0.1 * 0.1 / 0.1 + 0.9 * 0.9 / 0.1, e.pitChiSquare(), EPS);
    }

    @Test
    void shouldFindThePitOfTheTrueRateUniformAndOfAWrongRateNot() {
        double rate = 0.02;
        Tally truth = new Tally(List.of(), 1);
        Tally tooFast = new Tally(List.of(), 1);
        Random random = new Random(42);
        for (int i = 0; i < 5_000; i++) {
            double gap = -Math.log(1 - random.nextDouble()) / rate;
            truth.add(Forecast.ofEvents(0, rate, rate * gap), Event.point(0, 0));
            tooFast.add(Forecast.ofEvents(0, 3 * rate, 3 * rate * gap), Event.point(0, 0));
        }
        assertTrue(truth.events().pitMaxDeviation() < 0.015, truth.events().toString());
        assertTrue(truth.events().pitChiSquare() < 27.88, "below the 99.9% quantile of chi2(9)");
        assertTrue(tooFast.events().pitMaxDeviation() > 0.2, tooFast.events().toString());
        assertTrue(tooFast.events().pitChiSquare() > 1_000);
        assertTrue(tooFast.events().nll() > truth.events().nll());
        assertTrue(truth.events().pitKs() < 1.63 / Math.sqrt(5_000), "below the 1% critical value of KS");
        // exp(-3 Lambda) = u^3 for a uniform u: P(u^3 <= x) = x^(1/3), farthest from x at x = 3^(-3/2).
        double exact = Math.pow(3, -0.5) - Math.pow(3, -1.5);
        assertEquals(exact, tooFast.events().pitKs(), 0.02, tooFast.events().toString());
    }

    @Test
    void shouldMeasureTheKsDistanceFromUniformExactly() {
        assertEquals(0.5, EventMetrics.ksUniform(new double[] {0.5}), 1e-15);
        assertEquals(1.0, EventMetrics.ksUniform(new double[] {1.0, 1.0}), 1e-15);
        assertEquals(0.05, EventMetrics.ksUniform(new double[] {0.85, 0.05, 0.25, 0.65, 0.45, 0.15, 0.95, 0.35,
            0.55, 0.75}), 1e-12, "midpoints of ten equal bins, in any order");
        assertEquals(0.7, EventMetrics.ksUniform(new double[] {0.1, 0.1, 0.1, 0.1, 0.9}), 1e-12,
                "four of five at 0.1: F jumps to 0.8 there");
        assertTrue(Double.isNaN(EventMetrics.ksUniform(new double[0])));
    }
}
