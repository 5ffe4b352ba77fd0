package dev.odestream.data;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.PriorityQueue;
import java.util.Random;

/**
 * Generates the demo workload: many keyed series of irregularly timed events (exponential inter-arrival times)
 * whose values are noisy damped oscillations, deterministic per seed.
 *
 * <p>Each series draws its law and then its events from its own generator, derived from the seed and the series
 * index, so a series is the same in any workload size and {@link #replay} can merge all series lazily: a workload of
 * millions of events needs memory only for one pending event per series.
 */
public final class IrregularSeries {

    private static final long SERIES_STREAM = 0x4952_5245L;

    private IrregularSeries() {
    }

    /** @return the key of series {@code index}: {@code "series-"} and the index, zero-padded to six digits. */
    public static String key(int index) {
        return "series-%06d".formatted(index);
    }

    /** @return the hidden law of series {@code index}. */
    public static SeriesSpec spec(IrregularSeriesConfig config, long seed, int index) {
        return new Cursor(config, seed, index).spec;
    }

    /** @return the events of series {@code index}, in time order. */
    public static List<SeriesEvent> events(IrregularSeriesConfig config, long seed, int index) {
        Cursor cursor = new Cursor(config, seed, index);
        List<SeriesEvent> events = new ArrayList<>();
        while (cursor.hasNext()) {
            events.add(cursor.next());
        }
        return events;
    }

    /**
     * All events of all series merged in time order (ties by series index), generated lazily.
     *
     * @return an iterator over the whole workload; each call starts a fresh replay.
     */
    public static Iterator<SeriesEvent> replay(IrregularSeriesConfig config, long seed) {
        PriorityQueue<Cursor> pending = new PriorityQueue<>(Math.max(1, config.seriesCount()),
                Comparator.comparingDouble((Cursor c) -> c.nextTime).thenComparingInt(c -> c.spec.index()));
        for (int i = 0; i < config.seriesCount(); i++) {
            Cursor cursor = new Cursor(config, seed, i);
            if (cursor.hasNext()) {
                pending.add(cursor);
            }
        }
        return new MergedIterator(pending);
    }

    /** @return the whole workload as a list in time order; for tests and small demos. */
    public static List<SeriesEvent> eventsInTimeOrder(IrregularSeriesConfig config, long seed) {
        List<SeriesEvent> all = new ArrayList<>();
        replay(config, seed).forEachRemaining(all::add);
        return all;
    }

    private record MergedIterator(PriorityQueue<Cursor> pending) implements Iterator<SeriesEvent> {

        @Override
        public boolean hasNext() {
            return !pending.isEmpty();
        }

        @Override
        public SeriesEvent next() {
            Cursor cursor = pending.poll();
            if (cursor == null) {
                throw new NoSuchElementException();
            }
            SeriesEvent event = cursor.next();
            if (cursor.hasNext()) {
                pending.add(cursor);
            }
            return event;
        }
    }

    /** One series being generated: its law, its generator and the time of its next event. */
    private static final class Cursor {
        private final IrregularSeriesConfig config;
        private final Random rng;
        private final SeriesSpec spec;
        private final double[] clean;
        private double nextTime;

        Cursor(IrregularSeriesConfig config, long seed, int index) {
            this.config = config;
            this.rng = Seeds.forItem(seed, SERIES_STREAM, index);
            this.spec = drawSpec(config, index, rng);
            this.clean = new double[config.dimension()];
            this.nextTime = Seeds.exponential(rng, 1 / spec.meanInterArrival());
        }

        boolean hasNext() {
            return nextTime <= config.horizon();
        }

        SeriesEvent next() {
            double t = nextTime;
            spec.value(t, clean);
            double[] values = new double[clean.length];
            boolean[] observed = drawMask(clean.length);
            for (int j = 0; j < values.length; j++) {
                double noisy = clean[j] + config.noiseStd() * rng.nextGaussian();
                values[j] = observed[j] ? noisy : 0.0;
            }
            nextTime = t + Seeds.exponential(rng, 1 / spec.meanInterArrival());
            return new SeriesEvent(spec.key(), spec.index(), t, values, observed);
        }

        /** Always draws {@code d + 1} numbers, so masks never shift the rest of the stream. */
        private boolean[] drawMask(int d) {
            boolean[] observed = new boolean[d];
            int forced = rng.nextInt(d);
            for (int j = 0; j < d; j++) {
                observed[j] = rng.nextDouble() >= config.missingProbability() || j == forced;
            }
            return observed;
        }
    }

    private static SeriesSpec drawSpec(IrregularSeriesConfig config, int index, Random rng) {
        double logSpread = Math.log(config.rateSpread());
        double meanGap = config.meanInterArrival() * Math.exp(logSpread * (2 * rng.nextDouble() - 1));
        double frequency = uniform(rng, config.minFrequency(), config.maxFrequency());
        double damping = uniform(rng, config.minDamping(), config.maxDamping());
        double[] amplitudes = new double[config.dimension()];
        double[] phases = new double[config.dimension()];
        for (int j = 0; j < amplitudes.length; j++) {
            amplitudes[j] = uniform(rng, 0.5, 1.5);
            phases[j] = uniform(rng, 0, 2 * Math.PI);
        }
        return new SeriesSpec(index, key(index), meanGap, frequency, damping, amplitudes, phases);
    }

    private static double uniform(Random rng, double low, double high) {
        return low + (high - low) * rng.nextDouble();
    }
}
