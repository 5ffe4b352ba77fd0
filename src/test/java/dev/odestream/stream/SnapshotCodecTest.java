package dev.odestream.stream;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SnapshotCodecTest {

    private static double[] gaussians(SplittableRandom rng, int n) {
        double[] out = new double[n];
        for (int i = 0; i < n; i++) {
            out[i] = rng.nextDouble(-1, 1) * Math.pow(10, rng.nextInt(-300, 300));
        }
        return out;
    }

    /** A full ring at the reference size with every event shape, including a 9-wide mask across two bytes. */
    private static SeriesSnapshot sample(int hidden, int dim, int ringSize, long baseCount) {
        SplittableRandom rng = new SplittableRandom(42);
        List<Event> ring = new ArrayList<>();
        for (int i = 0; i < ringSize; i++) {
            long t = 1_763_900_000_000L + 250L * i;
            boolean[] mask = new boolean[dim];
            for (int d = 0; d < dim; d++) {
                mask[d] = rng.nextBoolean();
            }
            ring.add(switch (i % 3) {
                case 0 -> new Event(t, gaussians(rng, dim), null, 0);
                case 1 -> new Event(t, gaussians(rng, dim), mask, i % 5);
                default -> Event.point(t, 1);
            });
        }
        double[] base = baseCount > 0 ? gaussians(rng, hidden) : new double[hidden];
        return new SeriesSnapshot(7, baseCount + ringSize + 5, 1_763_899_999_000L, baseCount, base,
                gaussians(rng, hidden), ring);
    }

    @Test
    void shouldRoundTripBitExactly() {
        for (SeriesSnapshot s : List.of(sample(32, 4, 32, 100), sample(3, 9, 5, 0), sample(1, 1, 1, 0))) {
            SeriesSnapshot back = SnapshotCodec.decode(SnapshotCodec.encode(s));
            assertEquals(s, back);
            assertTrue(Arrays.equals(s.hidden(), back.hidden()));
        }
    }

    @Test
    void shouldKeepAReferenceSizedSeriesUnderTwoKilobytes() {
        SeriesSnapshot full = sample(32, 4, 32, 100);
        int bytes = SnapshotCodec.encode(full).length;
        int masks = (int) full.ring().stream().filter(e -> e.mask() != null).count();
        int points = (int) full.ring().stream().filter(Event::isPoint).count();
        // header 35, two hidden states 512, ring header 4, per event 11 + 32 values (+1 mask byte).
        assertEquals(35 + 512 + 4 + 32 * 11 + (32 - points) * 32 + masks, bytes);
        SeriesSnapshot allValuesAndMasks = new SeriesSnapshot(1, 132, 0, 100, new double[32], new double[32],
                full.ring().stream().map(e -> new Event(e.timeMs(), new double[4], new boolean[4], 0)).toList());
        assertEquals(1959, SnapshotCodec.encode(allValuesAndMasks).length);
    }

    @Test
    void shouldRejectAnUnknownFormatTruncationAndTrailingBytes() {
        byte[] bytes = SnapshotCodec.encode(sample(4, 2, 3, 1));
        byte[] unknown = bytes.clone();
        unknown[0] = 2;
        assertTrue(assertThrows(IllegalArgumentException.class, () -> SnapshotCodec.decode(unknown)).getMessage()
                .contains("format 2"));
        assertThrows(IllegalArgumentException.class,
                () -> SnapshotCodec.decode(Arrays.copyOf(bytes, bytes.length - 1)));
        assertThrows(IllegalArgumentException.class,
                () -> SnapshotCodec.decode(Arrays.copyOf(bytes, bytes.length + 1)));
    }

    @Test
    void shouldRefuseInconsistentSnapshots() {
        double[] h = new double[2];
        List<Event> outOfOrder = List.of(Event.of(5, 1.0), Event.of(4, 1.0));
        assertThrows(IllegalArgumentException.class, () -> new SeriesSnapshot(0, 2, SeriesSnapshot.NO_BOUND, 0, h, h,
                outOfOrder));
        assertThrows(IllegalArgumentException.class, () -> new SeriesSnapshot(0, 1, SeriesSnapshot.NO_BOUND, 0, h,
                new double[3], List.of(Event.of(5, 1.0))));
        assertThrows(IllegalArgumentException.class, () -> new SeriesSnapshot(0, 3, 10, 1, h, h,
                List.of(Event.of(5, 1.0))));
    }
}
