package dev.odestream.model;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ValueTransformTest {

    @Test
    void shouldFitMedianAndMadSoAnOutlierDoesNotSetTheScale() {
        ValueTransform t = ValueTransform.fit(new double[] {4, 1, 100, 3, 2}, false);
        assertEquals(3.0, t.location());
        assertEquals(1.4826, t.scale(), 1e-12, "MAD of {2,1,0,1,97} is 1");
        assertEquals((100 - 3) / 1.4826, t.toModel(100), 1e-12);
    }

    @Test
    void shouldFallBackToTheInterquartileRangeWhenMostValuesAreEqual() {
        ValueTransform t = ValueTransform.fit(new double[] {5, 5, 5, 5, 5, 5, 1, 9}, false);
        assertEquals(5.0, t.location());
        assertTrue(t.scale() > 0);
        assertEquals(1.0, ValueTransform.fit(new double[] {7, 7, 7}, false).scale(), "constant data: scale 1");
    }

    @Test
    void shouldRoundTripValuesThroughTheModelScale() {
        for (ValueTransform t : List.of(new ValueTransform(2.5, 0.7, false), new ValueTransform(-1.0, 2.0, true))) {
            for (double x : new double[] {0.01, 1.0, 3.3, 1e4}) {
                assertEquals(x, t.toValue(t.toModel(x)), 1e-9 * x);
            }
        }
    }

    @Test
    void shouldMapAGaussianOnTheLogScaleToTheLogNormalMoments() {
        ValueTransform t = new ValueTransform(0.3, 2.0, true);
        double m = 0.4;
        double s = 0.25;
        double mu = 0.3 + 2.0 * m;
        double sigma = 2.0 * s;
        SplittableRandom rng = new SplittableRandom(7);
        int n = 400_000;
        double sum = 0;
        double sumSq = 0;
        for (int i = 0; i < n; i++) {
            double x = Math.exp(mu + sigma * rng.nextGaussian());
            sum += x;
            sumSq += x * x;
        }
        double mean = sum / n;
        double std = Math.sqrt(sumSq / n - mean * mean);
        assertEquals(mean, t.meanToValue(m, s), 0.01 * mean);
        assertEquals(std, t.stdToValue(m, s), 0.02 * std);
        assertEquals(Math.exp(mu), t.toValue(m), 1e-12, "the median maps through exp");
    }

    @Test
    void shouldScaleMeanAndStdLinearlyWithoutTheLog() {
        ValueTransform t = new ValueTransform(10, 4, false);
        assertEquals(10 + 4 * 1.5, t.meanToValue(1.5, 0.5));
        assertEquals(2.0, t.stdToValue(1.5, 0.5));
    }

    @Test
    void shouldPreferTheLogForRightSkewedPositiveValuesOnly() {
        SplittableRandom rng = new SplittableRandom(3);
        double[] lognormal = new double[2000];
        double[] normal = new double[2000];
        for (int i = 0; i < lognormal.length; i++) {
            lognormal[i] = Math.exp(1.0 * rng.nextGaussian());
            normal[i] = 50 + 5 * rng.nextGaussian();
        }
        assertTrue(ValueTransform.prefersLog(lognormal));
        assertFalse(ValueTransform.prefersLog(normal));
        assertFalse(ValueTransform.prefersLog(new double[] {-1, 2, 300}), "a non-positive value rules the log out");
        assertThrows(IllegalArgumentException.class, () -> ValueTransform.fit(new double[] {1, 0}, true));
    }

    @Test
    void shouldChooseTheRoundUnitNearestTheMedianGap() {
        assertEquals(3_600_000.0, DataSpec.chooseTimeUnitMs(new long[] {50 * 60_000L, 40 * 60_000L, 70 * 60_000L}));
        assertEquals(86_400_000.0, DataSpec.chooseTimeUnitMs(new long[] {0, 20 * 3_600_000L, 30 * 3_600_000L}));
        assertEquals(1000.0, DataSpec.chooseTimeUnitMs(new long[] {0, 0}), "no positive gap: one second");
    }

    @Test
    void shouldRoundTripADataSpecThroughHyperparameters() {
        DataSpec spec = new DataSpec(List.of("bili", "albumin"), List.of("visit"), 86_400_000.0,
                List.of(new ValueTransform(0.3, 0.9, true), new ValueTransform(3.5, 0.4, false)));
        Map<String, String> h = spec.toHyperparameters();
        assertEquals(spec, DataSpec.fromHyperparameters(h, 2, 1));
        assertEquals("2 values (bili, albumin), 1 event type (visit)", spec.shape());
        IllegalArgumentException wrong = assertThrows(IllegalArgumentException.class,
                () -> DataSpec.fromHyperparameters(h, 1, 1));
        assertTrue(wrong.getMessage().contains("more values"), wrong.getMessage());
        assertEquals(DataSpec.identity(4, 1), DataSpec.fromHyperparameters(Map.of(), 4, 1));
    }
}
