package dev.odestream.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class SpiralsTest {

    private static final long SEED = 20180619L;

    @Test
    void shouldSplitDirectionsHalfAndHalfAndTurnTheWayTheyClaim() {
        SpiralDataset data = Spirals.generate(SpiralConfig.paper(30).withCount(40), SEED);
        int clockwise = 0;
        for (Spiral s : data.spirals()) {
            clockwise += s.clockwise() ? 1 : 0;
            assertEquals(s.clockwise(), turnsClockwise(s), "direction of spiral " + s.index());
        }
        assertEquals(20, clockwise);
        SpiralDataset.Split split = data.split(10);
        assertEquals(5, split.train().stream().filter(Spiral::clockwise).count());
        assertEquals(30, split.test().size());
    }

    /** Sign of the cross product of consecutive clean points about the centre, summed over the targets. */
    private static boolean turnsClockwise(Spiral s) {
        double cx = s.curve().centerX();
        double cy = s.curve().centerY();
        double turning = 0;
        for (int i = 0; i + 1 < s.targetCount(); i++) {
            double x0 = s.targetTruthValue(i, 0) - cx;
            double y0 = s.targetTruthValue(i, 1) - cy;
            double x1 = s.targetTruthValue(i + 1, 0) - cx;
            double y1 = s.targetTruthValue(i + 1, 1) - cy;
            turning += x0 * y1 - y0 * x1;
        }
        return turning < 0;
    }

    @ParameterizedTest
    @ValueSource(ints = {30, 50, 100})
    void shouldDrawDistinctSortedObservationTimesOnTheWindowGrid(int n) {
        SpiralConfig config = SpiralConfig.paper(n).withCount(20);
        for (Spiral s : Spirals.generate(config, SEED).spirals()) {
            double[] times = s.observedTimes();
            assertEquals(n, times.length);
            for (int i = 0; i < n; i++) {
                assertTrue(times[i] >= 0 && times[i] <= config.windowEnd() + 1e-12, "inside the window");
                assertTrue(i == 0 || times[i] > times[i - 1], "strictly increasing");
                double k = times[i] / config.timeStep();
                assertEquals(Math.rint(k), k, 1e-9, "on the sample grid");
            }
        }
    }

    @Test
    void shouldObserveEveryWindowIndexWithEqualChance() {
        SpiralConfig config = SpiralConfig.paper(30).withCount(1000);
        int[] hits = new int[config.windowSteps()];
        for (Spiral s : Spirals.generate(config, SEED).spirals()) {
            for (double t : s.observedTimes()) {
                hits[(int) Math.rint(t / config.timeStep())]++;
            }
        }
        double mean = 1000 * 0.3;
        double sd = Math.sqrt(1000 * 0.3 * 0.7);
        for (int k = 0; k < hits.length; k++) {
            assertTrue(Math.abs(hits[k] - mean) < 4.5 * sd, "index " + k + " observed " + hits[k] + " times");
        }
    }

    @Test
    void shouldPlaceTargetsOnEqualStepsAfterTheWindow() {
        SpiralConfig config = SpiralConfig.paper(50).withCount(4);
        Spiral s = Spirals.spiral(config, SEED, 3);
        assertEquals(100, s.targetCount());
        for (int i = 0; i < s.targetCount(); i++) {
            assertEquals(config.windowEnd() + (i + 1) * config.timeStep(), s.targetTime(i), 1e-12);
        }
        Spiral small = Spirals.spiral(config.withSteps(20, 10), SEED, 3);
        assertEquals(20, small.observedCount());
        assertEquals(10, small.targetCount());
        assertEquals(20 * config.timeStep(), small.targetTime(0), 1e-12);
    }

    @Test
    void shouldLieCleanOnAnArchimedeanSpiral() {
        SpiralConfig config = SpiralConfig.paper(30).withCount(6).withCenterOffset(2.0);
        for (Spiral s : Spirals.generate(config, SEED).spirals()) {
            SpiralCurve c = s.curve();
            assertEquals(s.clockwise() ? -2.0 : 2.0, c.centerX());
            for (int i = 0; i < s.targetCount(); i++) {
                double theta = c.startAngle() + s.targetTime(i);
                double x = s.targetTruthValue(i, 0) - c.centerX();
                double y = s.targetTruthValue(i, 1) - c.centerY();
                assertEquals(config.radiusOffset() + config.radiusGrowth() * theta, Math.hypot(x, y), 1e-12);
                double polar = Math.atan2(s.clockwise() ? -y : y, x);
                assertEquals(0.0, Math.sin((polar - theta) / 2), 1e-12, "polar angle equals theta mod 2 pi");
            }
        }
    }

    @Test
    void shouldAddGaussianNoiseOfTheConfiguredStd() {
        SpiralConfig config = SpiralConfig.paper(100).withCount(200).withNoiseStd(0.1);
        double sum = 0;
        double sumSq = 0;
        int count = 0;
        double[] clean = new double[2];
        for (Spiral s : Spirals.generate(config, SEED).spirals()) {
            for (int i = 0; i < s.observedCount(); i++) {
                s.curve().position(s.observedTime(i), clean, 0);
                for (int d = 0; d < 2; d++) {
                    double r = s.observedValue(i, d) - clean[d];
                    sum += r;
                    sumSq += r * r;
                    count++;
                }
            }
        }
        double mean = sum / count;
        double std = Math.sqrt(sumSq / count - mean * mean);
        assertEquals(0.0, mean, 4 * 0.1 / Math.sqrt(count));
        assertEquals(0.1, std, 4 * 0.1 / Math.sqrt(2.0 * count));
    }

    @Test
    void shouldStartAtDifferentPointsSpreadOverTheAngleRange() {
        SpiralConfig config = SpiralConfig.paper(30).withCount(200);
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        List<Spiral> spirals = Spirals.generate(config, SEED).spirals();
        for (Spiral s : spirals) {
            lo = Math.min(lo, s.curve().startAngle());
            hi = Math.max(hi, s.curve().startAngle());
        }
        double range = config.maxStartAngle() - config.minStartAngle();
        assertTrue(lo >= config.minStartAngle() && lo < config.minStartAngle() + 0.05 * range);
        assertTrue(hi <= config.maxStartAngle() && hi > config.maxStartAngle() - 0.05 * range);
        assertEquals(spirals.size(), spirals.stream().mapToDouble(s -> s.curve().startAngle()).distinct().count());
    }

    @Test
    void shouldReproduceWithTheSameSeedOnly() {
        SpiralConfig config = SpiralConfig.paper(50).withCount(20);
        assertEquals(Spirals.generate(config, SEED), Spirals.generate(config, SEED));
        assertNotEquals(Spirals.generate(config, SEED).spirals(), Spirals.generate(config, SEED + 1).spirals());
        List<Spiral> large = Spirals.generate(config.withCount(60), SEED).spirals();
        assertEquals(Spirals.generate(config, SEED).spirals(), large.subList(0, 20));
    }

    @Test
    void shouldShareCurvesAndNoiseAcrossObservationCounts() {
        Spiral few = Spirals.spiral(SpiralConfig.paper(30), SEED, 7);
        Spiral all = Spirals.spiral(SpiralConfig.paper(100), SEED, 7);
        assertEquals(few.curve(), all.curve());
        assertArrayEquals(few.targetValues(), all.targetValues());
        for (int i = 0; i < few.observedCount(); i++) {
            int k = (int) Math.rint(few.observedTime(i) / 0.03);
            assertEquals(all.observedValue(k, 0), few.observedValue(i, 0));
            assertEquals(all.observedValue(k, 1), few.observedValue(i, 1));
        }
    }

    @Test
    void shouldScoreThePerfectPredictionAtTheNoiseFloor() {
        SpiralConfig config = SpiralConfig.paper(30).withCount(100).withNoiseStd(0.1);
        List<Spiral> spirals = Spirals.generate(config, SEED).spirals();
        List<double[]> truth = spirals.stream().map(Spiral::targetTruth).toList();
        int values = 100 * 2 * config.extrapolationSteps();
        assertEquals(0.0, SpiralDataset.rmse(spirals, truth, true));
        assertEquals(0.1, SpiralDataset.rmse(spirals, truth, false), 4 * 0.1 / Math.sqrt(2.0 * values));
        List<double[]> zeros = spirals.stream().map(s -> new double[2 * s.targetCount()]).toList();
        double sumSq = 0;
        for (Spiral s : spirals) {
            for (int i = 0; i < s.targetCount(); i++) {
                sumSq += Math.pow(s.curve().radius(s.targetTime(i)), 2);
            }
        }
        assertEquals(Math.sqrt(sumSq / values), SpiralDataset.rmse(spirals, zeros, true), 1e-12);
    }

    @Test
    void shouldRejectInvalidConfigurations() {
        assertThrows(IllegalArgumentException.class, () -> SpiralConfig.paper(101));
        assertThrows(IllegalArgumentException.class, () -> SpiralConfig.paper(30).withCount(7));
        assertThrows(IllegalArgumentException.class, () -> SpiralConfig.paper(30).withNoiseStd(-1));
    }

    @Test
    void shouldNotExposeInternalArrays() {
        Spiral s = Spirals.spiral(SpiralConfig.paper(30), SEED, 0);
        s.observedValues()[0] = 1e9;
        assertNotEquals(1e9, s.observedValue(0, 0));
    }
}
