package dev.odestream.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class IrregularSeriesTest {

    private static final long SEED = 99L;
    private static final IrregularSeriesConfig CONFIG = IrregularSeriesConfig.demo(40);

    @Test
    void shouldReplayAllSeriesMergedInTimeOrder() {
        List<SeriesEvent> merged = IrregularSeries.eventsInTimeOrder(CONFIG, SEED);
        int total = 0;
        for (int i = 0; i < CONFIG.seriesCount(); i++) {
            List<SeriesEvent> own = IrregularSeries.events(CONFIG, SEED, i);
            total += own.size();
            int index = i;
            assertEquals(own, merged.stream().filter(e -> e.seriesIndex() == index).toList());
        }
        assertEquals(total, merged.size());
        for (int k = 1; k < merged.size(); k++) {
            assertTrue(merged.get(k).time() >= merged.get(k - 1).time(), "time order at " + k);
        }
    }

    @Test
    void shouldBeDeterministicPerSeedAndIndependentOfWorkloadSize() {
        assertEquals(IrregularSeries.eventsInTimeOrder(CONFIG, SEED), IrregularSeries.eventsInTimeOrder(CONFIG, SEED));
        IrregularSeriesConfig small = IrregularSeriesConfig.demo(3);
        assertEquals(IrregularSeries.events(small, SEED, 2), IrregularSeries.events(CONFIG, SEED, 2));
        assertNotEquals(IrregularSeries.events(CONFIG, SEED, 2), IrregularSeries.events(CONFIG, SEED + 1, 2));
    }

    @Test
    void shouldGiveEachSeriesItsOwnKeyAndIncreasingTimesInsideTheHorizon() {
        Set<String> keys = new HashSet<>();
        for (int i = 0; i < CONFIG.seriesCount(); i++) {
            List<SeriesEvent> events = IrregularSeries.events(CONFIG, SEED, i);
            String key = IrregularSeries.spec(CONFIG, SEED, i).key();
            assertTrue(keys.add(key), "duplicate key " + key);
            for (int k = 0; k < events.size(); k++) {
                SeriesEvent e = events.get(k);
                assertEquals(key, e.key());
                assertTrue(e.time() > 0 && e.time() <= CONFIG.horizon());
                assertTrue(k == 0 || e.time() > events.get(k - 1).time());
            }
        }
    }

    @Test
    void shouldDrawExponentialInterArrivalTimesAtEachSeriesRate() {
        IrregularSeriesConfig config = IrregularSeriesConfig.demo(60);
        List<Double> scaled = new ArrayList<>();
        for (int i = 0; i < config.seriesCount(); i++) {
            SeriesSpec spec = IrregularSeries.spec(config, SEED, i);
            double mean = spec.meanInterArrival();
            assertTrue(mean >= 1 / 3.0 && mean <= 3.0, "mean gap within the spread: " + mean);
            double previous = 0;
            for (SeriesEvent e : IrregularSeries.events(config, SEED, i)) {
                scaled.add((e.time() - previous) / mean);
                previous = e.time();
            }
        }
        double[] gaps = scaled.stream().mapToDouble(Double::doubleValue).toArray();
        double d = PoissonProcesses.exponentialKsStatistic(gaps);
        assertTrue(d < 1.95 / Math.sqrt(gaps.length), "KS statistic " + d + " over " + gaps.length + " gaps");
    }

    @Test
    void shouldAddNoiseOfTheConfiguredStdToTheDampedOscillation() {
        double sumSq = 0;
        int count = 0;
        double[] clean = new double[CONFIG.dimension()];
        for (int i = 0; i < CONFIG.seriesCount(); i++) {
            SeriesSpec spec = IrregularSeries.spec(CONFIG, SEED, i);
            for (SeriesEvent e : IrregularSeries.events(CONFIG, SEED, i)) {
                spec.value(e.time(), clean);
                for (int j = 0; j < clean.length; j++) {
                    sumSq += Math.pow(e.value(j) - clean[j], 2);
                    count++;
                }
            }
        }
        double std = Math.sqrt(sumSq / count);
        assertEquals(CONFIG.noiseStd(), std, 4 * CONFIG.noiseStd() / Math.sqrt(2.0 * count));
    }

    @Test
    void shouldFollowTheDampedOscillationLaw() {
        SeriesSpec spec = new SeriesSpec(0, "k", 1, 2.0, 0.1, new double[] {1.5, 0.5}, new double[] {0, Math.PI / 2});
        double[] out = new double[2];
        spec.value(0.75, out);
        double envelope = Math.exp(-0.075);
        assertEquals(1.5 * envelope * Math.cos(1.5), out[0], 1e-15);
        assertEquals(-0.5 * envelope * Math.sin(1.5), out[1], 1e-15);
    }

    @Test
    void shouldMaskMissingDimensionsButObserveAtLeastOne() {
        double p = 0.4;
        IrregularSeriesConfig config = IrregularSeriesConfig.demo(30).withDimension(3).withMissingProbability(p);
        int observed = 0;
        int total = 0;
        for (SeriesEvent e : IrregularSeries.eventsInTimeOrder(config, SEED)) {
            int seen = 0;
            for (int j = 0; j < 3; j++) {
                seen += e.isObserved(j) ? 1 : 0;
                assertTrue(e.isObserved(j) || e.value(j) == 0.0, "missing values hold 0");
            }
            assertTrue(seen >= 1);
            observed += seen;
            total += 3;
        }
        double expected = 1.0 / 3 + (2.0 / 3) * (1 - p);
        assertEquals(expected, (double) observed / total, 4 * Math.sqrt(expected * (1 - expected) / total));
    }
}
