package dev.odestream.bench;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LatencyRecorderTest {

    @Test
    void shouldPlaceEveryValueInABucketThatHoldsItWithinTheStatedPrecision() {
        Random random = new Random(3);
        for (int i = 0; i < 100_000; i++) {
            long v = i < 1000 ? i : random.nextLong(Long.MAX_VALUE >> random.nextInt(63));
            int index = LatencyRecorder.index(v);
            long high = LatencyRecorder.highestInBucket(index);
            assertTrue(high >= v, v + " above its bucket's top " + high);
            assertTrue(index == 0 || LatencyRecorder.highestInBucket(index - 1) < v, v + " fits the bucket below");
            assertTrue(high - v <= v / 64, "bucket of " + v + " too wide: " + high);
        }
        assertEquals(127, LatencyRecorder.highestInBucket(LatencyRecorder.index(127)), "exact below 128");
        assertTrue(LatencyRecorder.highestInBucket(LatencyRecorder.index(Long.MAX_VALUE)) == Long.MAX_VALUE);
    }

    @Test
    void shouldGivePercentilesOfRecordedValuesLikeASortedList() {
        Random random = new Random(7);
        long[] values = new long[10_001];
        LatencyRecorder recorder = new LatencyRecorder();
        for (int i = 0; i < values.length; i++) {
            values[i] = (long) (1e6 * Math.exp(random.nextGaussian()));
            recorder.record(values[i]);
        }
        Arrays.sort(values);
        LatencyRecorder.Snapshot s = recorder.snapshot();
        assertEquals(values.length, s.count());
        for (double q : new double[] {0.01, 0.5, 0.9, 0.99, 0.999, 1.0}) {
            long exact = values[(int) Math.ceil(q * values.length) - 1];
            double reported = s.valueAt(q);
            assertTrue(reported >= exact && reported <= exact * (1 + 1.0 / 64), q + ": " + reported + " vs " + exact);
        }
        assertEquals(s.valueAt(1.0), s.max());
    }

    @Test
    void shouldGiveTheDistributionOfOneIntervalAsTheDifferenceOfTwoSnapshots() {
        LatencyRecorder recorder = new LatencyRecorder();
        for (int i = 0; i < 1000; i++) {
            recorder.record(5_000_000);
        }
        LatencyRecorder.Snapshot first = recorder.snapshot();
        for (int i = 0; i < 100; i++) {
            recorder.record(1_000);
        }
        LatencyRecorder.Snapshot interval = recorder.snapshot().minus(first);
        assertEquals(100, interval.count());
        assertTrue(interval.valueAt(0.99) <= 1_000 * (1 + 1.0 / 64), "the slow first interval is not in the second");
        assertThrows(IllegalArgumentException.class, () -> first.minus(recorder.snapshot()));
        assertTrue(Double.isNaN(new LatencyRecorder().snapshot().valueAt(0.5)));
    }

    @Test
    void shouldLoseNoSampleWhenManyThreadsRecordAtOnce() throws Exception {
        LatencyRecorder recorder = new LatencyRecorder();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        for (int t = 0; t < 4; t++) {
            pool.submit(() -> {
                for (int i = 0; i < 50_000; i++) {
                    recorder.record(i);
                }
            });
        }
        pool.shutdown();
        assertTrue(pool.awaitTermination(20, TimeUnit.SECONDS));
        assertEquals(200_000, recorder.snapshot().count());
    }
}
