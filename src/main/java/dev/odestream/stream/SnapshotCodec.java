package dev.odestream.stream;

import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * The binary form of a {@link SeriesSnapshot} in the {@code series-state} store and its changelog. Big-endian;
 * doubles are IEEE 754 bit patterns, so a round trip is bit-exact.
 *
 * <pre>
 * u8  format (2)
 * i64 modelVersion | i64 events | i64 baseBoundMs | i64 baseCount | i64 seenAtMs
 * u16 H | f64 x H hidden
 * f64 x H baseHidden          only when baseCount &gt; 0 (else all zero)
 * u16 K (event types of the stored intensity; 0 when none is stored)
 * [i64 intensity timeMs | f64 x K lambda | f64 x K expectedCount]   only when K &gt; 0
 * u16 ring size n | u16 D (values per event; 0 when no ring event has values)
 * n x ( i64 timeMs | u16 type | u8 flags (1: values, 2: mask) | [f64 x D values] | [ceil(D/8) bytes mask, LSB first] )
 * </pre>
 *
 * Format 1 is format 2 without {@code seenAtMs} and the intensity block; it is still read (as a snapshot with
 * neither). A new layout gets a new format byte and this class keeps reading the old ones; an unknown format byte is
 * an error, never a guess. At the reference size (H = 32, D = 4, K = 1) with a full 32-event ring of masked
 * observations a snapshot is 1,993 bytes (format 1: 1,959).
 */
public final class SnapshotCodec {

    /** The format this class writes. */
    public static final int FORMAT = 2;
    /** The previous format, still read. */
    public static final int FORMAT_1 = 1;

    private static final int VALUES = 1;
    private static final int MASK = 2;

    private SnapshotCodec() {
    }

    /** @return the encoded snapshot. */
    public static byte[] encode(SeriesSnapshot s) {
        int h = s.hiddenSize();
        int d = dimension(s.ring());
        ByteBuffer out = ByteBuffer.allocate(size(s, h, d));
        out.put((byte) FORMAT).putLong(s.modelVersion()).putLong(s.events()).putLong(s.baseBoundMs())
                .putLong(s.baseCount()).putLong(s.seenAtMs());
        out.putShort((short) h);
        putDoubles(out, s.hidden());
        if (s.baseCount() > 0) {
            putDoubles(out, s.baseHidden());
        }
        putIntensity(out, s.intensity());
        out.putShort((short) s.ring().size()).putShort((short) d);
        for (Event e : s.ring()) {
            putEvent(out, e, d);
        }
        return out.array();
    }

    /**
     * @throws IllegalArgumentException if the bytes are not a snapshot this class can read
     */
    public static SeriesSnapshot decode(byte[] bytes) {
        try {
            ByteBuffer in = ByteBuffer.wrap(bytes);
            int format = Byte.toUnsignedInt(in.get());
            if (format != FORMAT && format != FORMAT_1) {
                throw new IllegalArgumentException("unknown series snapshot format " + format);
            }
            SeriesSnapshot s = read(in, format);
            if (in.hasRemaining()) {
                throw new IllegalArgumentException(in.remaining() + " unexpected bytes after the snapshot");
            }
            return s;
        } catch (BufferUnderflowException e) {
            throw new IllegalArgumentException("truncated series snapshot of " + bytes.length + " bytes", e);
        }
    }

    private static SeriesSnapshot read(ByteBuffer in, int format) {
        long modelVersion = in.getLong();
        long events = in.getLong();
        long bound = in.getLong();
        long baseCount = in.getLong();
        long seenAt = format == FORMAT_1 ? SeriesSnapshot.NEVER : in.getLong();
        int h = Short.toUnsignedInt(in.getShort());
        double[] hidden = getDoubles(in, h);
        double[] baseHidden = baseCount > 0 ? getDoubles(in, h) : new double[h];
        SeriesSnapshot.LastIntensity intensity = format == FORMAT_1 ? null : getIntensity(in);
        int n = Short.toUnsignedInt(in.getShort());
        int d = Short.toUnsignedInt(in.getShort());
        List<Event> ring = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            ring.add(getEvent(in, d));
        }
        return new SeriesSnapshot(modelVersion, events, bound, baseCount, baseHidden, hidden, ring, seenAt,
                intensity);
    }

    private static void putIntensity(ByteBuffer out, SeriesSnapshot.LastIntensity intensity) {
        if (intensity == null) {
            out.putShort((short) 0);
            return;
        }
        out.putShort((short) intensity.eventTypes()).putLong(intensity.timeMs());
        putDoubles(out, intensity.lambda());
        putDoubles(out, intensity.expectedCount());
    }

    private static SeriesSnapshot.LastIntensity getIntensity(ByteBuffer in) {
        int k = Short.toUnsignedInt(in.getShort());
        if (k == 0) {
            return null;
        }
        long time = in.getLong();
        return new SeriesSnapshot.LastIntensity(time, getDoubles(in, k), getDoubles(in, k));
    }

    private static int size(SeriesSnapshot s, int h, int d) {
        SeriesSnapshot.LastIntensity intensity = s.intensity();
        int size = 1 + 5 * 8 + 2 + 8 * h + (s.baseCount() > 0 ? 8 * h : 0) + 2
                + (intensity == null ? 0 : 8 + 16 * intensity.eventTypes()) + 4;
        for (Event e : s.ring()) {
            size += 8 + 2 + 1 + (e.isPoint() ? 0 : 8 * d) + (e.mask() == null ? 0 : (d + 7) / 8);
        }
        return size;
    }

    /** All events with values share one dimension: the engine validated them against one model. */
    private static int dimension(List<Event> ring) {
        int d = 0;
        for (Event e : ring) {
            if (!e.isPoint()) {
                if (d != 0 && e.dimension() != d) {
                    throw new IllegalArgumentException("ring events differ in dimension: " + d + " and "
                            + e.dimension());
                }
                d = e.dimension();
            }
        }
        return d;
    }

    private static void putEvent(ByteBuffer out, Event e, int d) {
        boolean[] mask = e.mask();
        out.putLong(e.timeMs()).putShort((short) e.type());
        out.put((byte) ((e.isPoint() ? 0 : VALUES) | (mask == null ? 0 : MASK)));
        if (!e.isPoint()) {
            putDoubles(out, e.values());
        }
        if (mask != null) {
            for (int byteStart = 0; byteStart < d; byteStart += 8) {
                int bits = 0;
                for (int j = byteStart; j < Math.min(d, byteStart + 8); j++) {
                    bits |= mask[j] ? 1 << (j - byteStart) : 0;
                }
                out.put((byte) bits);
            }
        }
    }

    private static Event getEvent(ByteBuffer in, int d) {
        long time = in.getLong();
        int type = Short.toUnsignedInt(in.getShort());
        int flags = in.get();
        double[] values = (flags & VALUES) != 0 ? getDoubles(in, d) : null;
        boolean[] mask = null;
        if ((flags & MASK) != 0) {
            mask = new boolean[d];
            for (int byteStart = 0; byteStart < d; byteStart += 8) {
                int bits = in.get();
                for (int j = byteStart; j < Math.min(d, byteStart + 8); j++) {
                    mask[j] = (bits & (1 << (j - byteStart))) != 0;
                }
            }
        }
        return new Event(time, values, mask, type);
    }

    private static void putDoubles(ByteBuffer out, double[] values) {
        for (double v : values) {
            out.putDouble(v);
        }
    }

    private static double[] getDoubles(ByteBuffer in, int n) {
        double[] values = new double[n];
        for (int i = 0; i < n; i++) {
            values[i] = in.getDouble();
        }
        return values;
    }
}
