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

    private static SeriesSnapshot withIntensity(SeriesSnapshot s, int types) {
        SplittableRandom rng = new SplittableRandom(7);
        return s.withSeenAt(1_763_900_100_000L).withIntensity(new SeriesSnapshot.LastIntensity(
                s.lastTimeMs() + 1_500, gaussians(rng, types), gaussians(rng, types)));
    }

    /** Format 1, written field by field as the engine before format 2 wrote it. */
    private static byte[] format1(SeriesSnapshot s) {
        byte[] v2 = SnapshotCodec.encode(s);
        int h = s.hiddenSize() * (s.baseCount() > 0 ? 2 : 1);
        java.nio.ByteBuffer in = java.nio.ByteBuffer.wrap(v2);
        java.nio.ByteBuffer out = java.nio.ByteBuffer.allocate(v2.length - 8 - 2);
        out.put((byte) 1).put(v2, 1, 32);
        in.position(1 + 32 + 8);
        out.put(v2, in.position(), 2 + 8 * h);
        in.position(in.position() + 2 + 8 * h);
        assertEquals(0, in.getShort(), "the sample must have no intensity");
        out.put(v2, in.position(), in.remaining());
        return out.array();
    }

    @Test
    void shouldRoundTripBitExactly() {
        for (SeriesSnapshot s : List.of(sample(32, 4, 32, 100), sample(3, 9, 5, 0), sample(1, 1, 1, 0),
                withIntensity(sample(32, 4, 32, 100), 1), withIntensity(sample(3, 9, 5, 0), 3))) {
            SeriesSnapshot back = SnapshotCodec.decode(SnapshotCodec.encode(s));
            assertEquals(s, back);
            assertTrue(Arrays.equals(s.hidden(), back.hidden()));
        }
    }

    @Test
    void shouldKeepAReferenceSizedSeriesUnderTwoKilobytes() {
        dev.odestream.model.ModelConfig reference = dev.odestream.model.ModelConfig.reference();
        int h = reference.encoderHidden();
        int d = reference.observationDim();
        int k = reference.eventTypes();
        SeriesSnapshot full = withIntensity(sample(h, d, 32, 100), k);
        int bytes = SnapshotCodec.encode(full).length;
        int masks = (int) full.ring().stream().filter(e -> e.mask() != null).count();
        int points = (int) full.ring().stream().filter(Event::isPoint).count();
        // header 43, two hidden states, intensity 2 + 8 + 16 K, ring header 4, per event 11 + 8 D (+1 mask byte).
        assertEquals(43 + 16 * h + 2 + 8 + 16 * k + 4 + 32 * 11 + (32 - points) * 8 * d + masks, bytes);
        SeriesSnapshot allValuesAndMasks = withIntensity(new SeriesSnapshot(1, 132, 0, 100, new double[h],
                new double[h], full.ring().stream().map(e -> new Event(e.timeMs(), new double[d], new boolean[d], 0))
                .toList()), k);
        int largest = SnapshotCodec.encode(allValuesAndMasks).length;
        assertEquals(1993, largest, "H = 32, D = 4, K = 1: the layout in SnapshotCodec's javadoc");
        assertTrue(largest <= 2048, largest + " bytes");
    }

    @Test
    void shouldStoreTheIntensityAndTheWallClockTimeAndReadThemBack() {
        SeriesSnapshot s = withIntensity(sample(4, 2, 3, 1), 2);
        SeriesSnapshot back = SnapshotCodec.decode(SnapshotCodec.encode(s));
        assertEquals(s.intensity(), back.intensity());
        assertEquals(1_763_900_100_000L, back.seenAtMs());
        assertEquals(1_763_900_100_000L, back.lastActivityMs());
    }

    @Test
    void shouldReadFormatOneAsASnapshotWithoutIntensityOrWallClockTime() {
        for (SeriesSnapshot s : List.of(sample(32, 4, 32, 100), sample(3, 9, 5, 0))) {
            byte[] old = format1(s);
            assertEquals(1, old[0]);
            SeriesSnapshot back = SnapshotCodec.decode(old);
            assertEquals(s, back);
            assertEquals(SeriesSnapshot.NEVER, back.seenAtMs());
            assertEquals(null, back.intensity());
            assertEquals(back.lastTimeMs(), back.lastActivityMs(), "idleness falls back to the event time");
        }
    }

    @Test
    void shouldRejectAnUnknownFormatTruncationAndTrailingBytes() {
        byte[] bytes = SnapshotCodec.encode(sample(4, 2, 3, 1));
        byte[] unknown = bytes.clone();
        unknown[0] = 3;
        assertTrue(assertThrows(IllegalArgumentException.class, () -> SnapshotCodec.decode(unknown)).getMessage()
                .contains("format 3"));
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
