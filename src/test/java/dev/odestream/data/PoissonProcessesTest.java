package dev.odestream.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class PoissonProcessesTest {

    private static final long SEED = 42L;

    static Stream<Arguments> intensities() {
        return Stream.of(
                Arguments.of(new Intensity.Periodic(5, 4, 2.5), 10.7),
                Arguments.of(new Intensity.Periodic(5, 4, 2.5, 1.3), 10.7),
                Arguments.of(new Intensity.RiseDecay(20, 2, 0.5), 12.0),
                Arguments.of(new Intensity.Constant(3), 8.0));
    }

    @ParameterizedTest
    @MethodSource("intensities")
    void shouldAverageLambdaOfTEventsWithPoissonDispersion(Intensity intensity, double horizon) {
        int m = 400;
        double sum = 0;
        double sumSq = 0;
        for (double[] events : PoissonProcesses.sampleMany(intensity, horizon, m, SEED)) {
            sum += events.length;
            sumSq += (double) events.length * events.length;
        }
        double expected = intensity.cumulative(horizon);
        double mean = sum / m;
        double variance = (sumSq - m * mean * mean) / (m - 1);
        assertEquals(expected, mean, 4 * Math.sqrt(expected / m), "mean count");
        assertEquals(1.0, variance / mean, 4 * Math.sqrt(2.0 / m), "variance over mean");
    }

    @ParameterizedTest
    @MethodSource("intensities")
    void shouldRescaleInterArrivalTimesToUnitExponentials(Intensity intensity, double horizon) {
        double[] pooled = pooledIntervals(intensity, intensity, horizon, 200);
        double critical = 1.95 / Math.sqrt(pooled.length);
        double d = PoissonProcesses.exponentialKsStatistic(pooled);
        assertTrue(d < critical, "KS statistic " + d + " >= " + critical + " over " + pooled.length + " intervals");
    }

    @Test
    void shouldRejectTheWrongIntensityInTheRescalingTest() {
        Intensity truth = new Intensity.Periodic(5, 4, 2.5);
        double horizon = 10.7;
        Intensity flat = new Intensity.Constant(truth.cumulative(horizon) / horizon);
        double[] pooled = pooledIntervals(truth, flat, horizon, 200);
        double d = PoissonProcesses.exponentialKsStatistic(pooled);
        assertTrue(d > 1.95 / Math.sqrt(pooled.length), "a homogeneous model must fail, D = " + d);
    }

    private static double[] pooledIntervals(Intensity truth, Intensity model, double horizon, int sequences) {
        return PoissonProcesses.sampleMany(truth, horizon, sequences, SEED).stream()
                .map(events -> PoissonProcesses.rescaledIntervals(model, events))
                .flatMapToDouble(Arrays::stream)
                .toArray();
    }

    @ParameterizedTest
    @MethodSource("intensities")
    void shouldIntegrateTheRateInClosedForm(Intensity intensity, double horizon) {
        for (double t : new double[] {0.0, 0.37, 1.9, horizon / 2, horizon}) {
            assertEquals(trapezoid(intensity, t, 20000), intensity.cumulative(t), 1e-6 * (1 + t));
        }
    }

    private static double trapezoid(Intensity intensity, double to, int panels) {
        double h = to / panels;
        double sum = 0.5 * (intensity.rate(0) + intensity.rate(to));
        for (int i = 1; i < panels; i++) {
            sum += intensity.rate(i * h);
        }
        return sum * h;
    }

    @ParameterizedTest
    @MethodSource("intensities")
    void shouldBoundTheRateOnEverySubinterval(Intensity intensity, double horizon) {
        double[][] ranges = {{0, horizon}, {0, 0.5}, {1, 3}, {horizon / 2, horizon}};
        for (double[] r : ranges) {
            double bound = intensity.maxRate(r[0], r[1]);
            for (int i = 0; i <= 1000; i++) {
                double t = r[0] + (r[1] - r[0]) * i / 1000;
                assertTrue(intensity.rate(t) <= bound * (1 + 1e-12), "rate above bound at " + t);
            }
        }
    }

    @Test
    void shouldAgreeWithTheHomogeneousBaselineForItsOwnRate() {
        double[] events = PoissonProcesses.sample(new Intensity.RiseDecay(20, 2, 0.5), 12, SEED);
        int n = events.length;
        double mle = PoissonProcesses.logLikelihood(new Intensity.Constant(n / 12.0), events, 12);
        assertEquals(mle / n, PoissonProcesses.homogeneousLogLikelihoodPerEvent(n, 12), 1e-12);
        double off = PoissonProcesses.logLikelihood(new Intensity.Constant(1.3 * n / 12.0), events, 12);
        assertTrue(off < mle, "the MLE rate maximises the homogeneous likelihood");
    }

    @Test
    void shouldScoreTheTrueIntensityAboveTheHomogeneousBaseline() {
        Intensity truth = new Intensity.Periodic(5, 4, 2.5);
        double horizon = 10.7;
        List<double[]> sequences = PoissonProcesses.sampleMany(truth, horizon, 50, SEED);
        double trueLogLikelihood = 0;
        long events = 0;
        for (double[] s : sequences) {
            trueLogLikelihood += PoissonProcesses.logLikelihood(truth, s, horizon);
            events += s.length;
        }
        double baseline = PoissonProcesses.homogeneousLogLikelihoodPerEvent(events, 50 * horizon);
        assertTrue(trueLogLikelihood / events > baseline + 0.05,
                trueLogLikelihood / events + " per event vs baseline " + baseline);
    }

    @Test
    void shouldMeasureRelativeL2Error() {
        Intensity truth = new Intensity.RiseDecay(20, 2, 0.5);
        assertEquals(0.0, PoissonProcesses.relativeL2(truth::rate, truth, 12, 200), 1e-15);
        assertEquals(0.1, PoissonProcesses.relativeL2(t -> 1.1 * truth.rate(t), truth, 12, 200), 1e-12);
        Intensity flat = new Intensity.Constant(4);
        assertEquals(0.25, PoissonProcesses.relativeL2(t -> 5.0, flat, 3, 10), 1e-12);
    }

    @Test
    void shouldComputeTheKsStatisticOfAPerfectSample() {
        int n = 500;
        double[] quantiles = new double[n];
        for (int i = 0; i < n; i++) {
            quantiles[n - 1 - i] = -Math.log1p(-(i + 0.5) / n);
        }
        assertEquals(0.5 / n, PoissonProcesses.exponentialKsStatistic(quantiles), 1e-12);
    }

    @Test
    void shouldReproduceSequencesFromTheSeed() {
        Intensity intensity = new Intensity.Periodic(5, 4, 2.5);
        assertArrayEquals(PoissonProcesses.sample(intensity, 10, 7L), PoissonProcesses.sample(intensity, 10, 7L));
        List<double[]> many = PoissonProcesses.sampleMany(intensity, 10, 5, 7L);
        assertArrayEquals(many.get(2), PoissonProcesses.sampleMany(intensity, 10, 3, 7L).get(2));
        double[] events = many.get(0);
        for (int i = 0; i < events.length; i++) {
            assertTrue(events[i] > 0 && events[i] <= 10 && (i == 0 || events[i] > events[i - 1]));
        }
    }

    @Test
    void shouldRefuseAnIntensityThatBreaksItsOwnBound() {
        Intensity lying = new Intensity() {
            @Override
            public double rate(double t) {
                return 10;
            }

            @Override
            public double cumulative(double t) {
                return 10 * t;
            }

            @Override
            public double maxRate(double from, double to) {
                return 5;
            }
        };
        assertThrows(IllegalStateException.class, () -> PoissonProcesses.sample(lying, 10, new Random(1)));
    }

    @Test
    void shouldRejectIntensitiesThatCanGoNonPositive() {
        assertThrows(IllegalArgumentException.class, () -> new Intensity.Periodic(1, 2, 1));
        assertThrows(IllegalArgumentException.class, () -> new Intensity.RiseDecay(1, 1, 0));
    }
}
