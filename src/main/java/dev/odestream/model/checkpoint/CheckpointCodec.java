package dev.odestream.model.checkpoint;

import dev.odestream.nn.ParameterBlock;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.time.DateTimeException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.zip.CRC32C;

/**
 * Reads and writes {@link Checkpoint}s in the versioned binary format {@code ODSC}, version 1. All integers and
 * doubles are big-endian; doubles are IEEE 754 binary64 bit patterns, so values round-trip bit-exactly.
 *
 * <pre>
 * header   magic "ODSC" (4 bytes) | format version u16 | flags u16 (0) | body length u32
 * body     sections, each: tag (4 ASCII bytes) | payload length u32 | payload
 *            META  entry count u32, then entries: key string | type u8 | value
 *                  types: 1 i64, 2 f64, 3 string, 4 timestamp (i64 epoch second, i32 nano),
 *                         5 string map (count u32, then key string, value string), 6 f64 map (count u32, key, f64)
 *            LAYT  block count u32, then blocks: name string | offset u32 | rank u8 | rank x dimension u32
 *            PARM  value count u32, then the values as f64
 * trailer  CRC32C u32 of header and body
 * string   byte length u32 | UTF-8 bytes
 * </pre>
 *
 * <p>Readers skip sections and metadata keys they do not know, so version 1 can gain optional fields; anything that
 * changes the meaning of existing ones needs a new format version. The reader checks, in order: the magic, the
 * format version, the declared length against the bytes present, the checksum, then the structure and every
 * {@link Checkpoint} invariant, and reports the first failure as a {@link CheckpointFormatException}.
 */
public final class CheckpointCodec {

    /** The format version this class writes and reads. */
    public static final int FORMAT_VERSION = 1;

    /** The most dimensions a block may have: the format stores the rank in one byte. */
    public static final int MAX_RANK = 255;

    static final byte[] MAGIC = {'O', 'D', 'S', 'C'};
    static final int HEADER_LENGTH = 12;
    static final int CHECKSUM_LENGTH = 4;
    /** Largest body a reader accepts, so a corrupt length cannot ask for more than an array can hold. */
    static final int MAX_BODY_LENGTH = Integer.MAX_VALUE - 64;

    private static final String META = "META";
    private static final String LAYOUT = "LAYT";
    private static final String PARAMETERS = "PARM";

    private static final int INT64 = 1;
    private static final int FLOAT64 = 2;
    private static final int STRING = 3;
    private static final int TIMESTAMP = 4;
    private static final int STRING_MAP = 5;
    private static final int FLOAT64_MAP = 6;

    private static final String KEY_MODEL_VERSION = "model.version";
    private static final String KEY_HYPERPARAMETERS = "hyperparameters";
    private static final String KEY_CREATED_AT = "training.created-at";
    private static final String KEY_PARENT_VERSION = "training.parent-version";
    private static final String KEY_DATA_START = "training.data-start";
    private static final String KEY_DATA_END = "training.data-end";
    private static final String KEY_DATA_EVENTS = "training.data-events";
    private static final String KEY_METRICS = "training.metrics";
    private static final String KEY_NOTES = "training.notes";

    private CheckpointCodec() {
    }

    /**
     * Encodes a checkpoint.
     *
     * @throws IllegalArgumentException if a string is not well-formed UTF-16 (an unpaired surrogate).
     */
    public static byte[] encode(Checkpoint checkpoint) {
        try {
            ByteArrayOutputStream body = new ByteArrayOutputStream();
            DataOutputStream out = new DataOutputStream(body);
            writeSection(out, META, metaPayload(checkpoint));
            writeSection(out, LAYOUT, layoutPayload(checkpoint.layout()));
            writeSection(out, PARAMETERS, parameterPayload(checkpoint));
            return seal(body.toByteArray());
        } catch (IOException e) {
            throw new UncheckedIOException("in-memory stream failed", e);
        }
    }

    /** Writes {@link #encode} to a stream. Not closed. */
    public static void write(Checkpoint checkpoint, OutputStream out) throws IOException {
        out.write(encode(checkpoint));
    }

    /**
     * Decodes one checkpoint that spans exactly {@code bytes}.
     *
     * @throws CheckpointFormatException if the bytes are not a valid checkpoint.
     */
    public static Checkpoint decode(byte[] bytes) throws CheckpointFormatException {
        int total = declaredLength(bytes);
        if (bytes.length < total) {
            throw new CheckpointFormatException("truncated checkpoint: header declares " + total + " bytes, got "
                    + bytes.length);
        }
        if (bytes.length > total) {
            throw new CheckpointFormatException("checkpoint of " + total + " bytes is followed by "
                    + (bytes.length - total) + " unexpected bytes");
        }
        verifyChecksum(bytes);
        return parseBody(new Reader(bytes, HEADER_LENGTH, total - CHECKSUM_LENGTH, "body"));
    }

    /**
     * Reads exactly one checkpoint from a stream, leaving it positioned after the checkpoint. Not closed.
     *
     * @throws CheckpointFormatException if the bytes are not a valid checkpoint or the stream ends early.
     */
    public static Checkpoint read(InputStream in) throws IOException {
        byte[] header = in.readNBytes(HEADER_LENGTH);
        int total = declaredLength(header);
        byte[] rest = in.readNBytes(total - HEADER_LENGTH);
        byte[] bytes = Arrays.copyOf(header, header.length + rest.length);
        System.arraycopy(rest, 0, bytes, header.length, rest.length);
        return decode(bytes);
    }

    // ---- writing ----

    private static byte[] seal(byte[] body) {
        ByteBuffer file = ByteBuffer.allocate(HEADER_LENGTH + body.length + CHECKSUM_LENGTH);
        file.put(MAGIC).putShort((short) FORMAT_VERSION).putShort((short) 0).putInt(body.length).put(body);
        file.putInt((int) crc(file.array(), file.position()));
        return file.array();
    }

    private static void writeSection(DataOutputStream out, String tag, byte[] payload) throws IOException {
        out.write(tag.getBytes(StandardCharsets.US_ASCII));
        out.writeInt(payload.length);
        out.write(payload);
    }

    private static byte[] metaPayload(Checkpoint c) throws IOException {
        TrainingMetadata t = c.training();
        MetaWriter meta = new MetaWriter();
        meta.entry(KEY_MODEL_VERSION, INT64, out -> out.writeLong(c.modelVersion()));
        meta.entry(KEY_HYPERPARAMETERS, STRING_MAP, out -> writeStringMap(out, c.hyperparameters()));
        meta.entry(KEY_CREATED_AT, TIMESTAMP, out -> writeInstant(out, t.createdAt()));
        if (t.parentVersion().isPresent()) {
            meta.entry(KEY_PARENT_VERSION, INT64, out -> out.writeLong(t.parentVersion().getAsLong()));
        }
        meta.entry(KEY_DATA_START, TIMESTAMP, out -> writeInstant(out, t.dataRange().start()));
        meta.entry(KEY_DATA_END, TIMESTAMP, out -> writeInstant(out, t.dataRange().end()));
        meta.entry(KEY_DATA_EVENTS, INT64, out -> out.writeLong(t.dataRange().eventCount()));
        meta.entry(KEY_METRICS, FLOAT64_MAP, out -> writeDoubleMap(out, t.metrics()));
        meta.entry(KEY_NOTES, STRING, out -> writeString(out, t.notes()));
        return meta.payload();
    }

    private interface ValueWriter {
        void write(DataOutputStream out) throws IOException;
    }

    /** Collects typed key/value entries and prefixes their count. */
    private static final class MetaWriter {
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        private final DataOutputStream out = new DataOutputStream(bytes);
        private int count;

        void entry(String key, int type, ValueWriter value) throws IOException {
            writeString(out, key);
            out.writeByte(type);
            value.write(out);
            count++;
        }

        byte[] payload() {
            byte[] entries = bytes.toByteArray();
            return ByteBuffer.allocate(4 + entries.length).putInt(count).put(entries).array();
        }
    }

    private static void writeStringMap(DataOutputStream out, Map<String, String> map) throws IOException {
        out.writeInt(map.size());
        for (Map.Entry<String, String> entry : map.entrySet()) {
            writeString(out, entry.getKey());
            writeString(out, entry.getValue());
        }
    }

    private static void writeDoubleMap(DataOutputStream out, Map<String, Double> map) throws IOException {
        out.writeInt(map.size());
        for (Map.Entry<String, Double> entry : map.entrySet()) {
            writeString(out, entry.getKey());
            out.writeLong(Double.doubleToRawLongBits(entry.getValue()));
        }
    }

    private static void writeInstant(DataOutputStream out, Instant instant) throws IOException {
        out.writeLong(instant.getEpochSecond());
        out.writeInt(instant.getNano());
    }

    private static void writeString(DataOutputStream out, String s) throws IOException {
        ByteBuffer utf8;
        try {
            utf8 = StandardCharsets.UTF_8.newEncoder().encode(CharBuffer.wrap(s));
        } catch (CharacterCodingException e) {
            throw new IllegalArgumentException("string is not well-formed UTF-16: " + s, e);
        }
        out.writeInt(utf8.remaining());
        out.write(utf8.array(), utf8.arrayOffset() + utf8.position(), utf8.remaining());
    }

    private static byte[] layoutPayload(List<ParameterBlock> layout) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        out.writeInt(layout.size());
        for (ParameterBlock block : layout) {
            writeString(out, block.name());
            out.writeInt(block.offset());
            if (block.rank() > MAX_RANK) {
                throw new IllegalArgumentException("block " + block + " has rank " + block.rank() + ", more than "
                        + MAX_RANK);
            }
            out.writeByte(block.rank());
            for (int i = 0; i < block.rank(); i++) {
                out.writeInt(block.dimension(i));
            }
        }
        return bytes.toByteArray();
    }

    private static byte[] parameterPayload(Checkpoint c) {
        ByteBuffer out = ByteBuffer.allocate(4 + 8 * c.parameterCount());
        out.putInt(c.parameterCount());
        for (int i = 0; i < c.parameterCount(); i++) {
            out.putLong(Double.doubleToRawLongBits(c.parameter(i)));
        }
        return out.array();
    }

    // ---- reading ----

    /** Checks magic, version and flags, and returns the total length the header declares. */
    private static int declaredLength(byte[] bytes) throws CheckpointFormatException {
        int prefix = Math.min(bytes.length, MAGIC.length);
        if (!Arrays.equals(bytes, 0, prefix, MAGIC, 0, prefix)) {
            throw new CheckpointFormatException("not a checkpoint: magic bytes are "
                    + HexFormat.ofDelimiter(" ").formatHex(bytes, 0, prefix) + ", expected 'ODSC' (4f 44 53 43)");
        }
        if (bytes.length < HEADER_LENGTH) {
            throw new CheckpointFormatException("truncated checkpoint: " + bytes.length + " bytes, shorter than the "
                    + HEADER_LENGTH + "-byte header");
        }
        ByteBuffer header = ByteBuffer.wrap(bytes, 0, HEADER_LENGTH).position(MAGIC.length);
        int version = Short.toUnsignedInt(header.getShort());
        if (version != FORMAT_VERSION) {
            throw new CheckpointFormatException("unsupported checkpoint format version " + version
                    + "; this reader supports version " + FORMAT_VERSION);
        }
        int flags = Short.toUnsignedInt(header.getShort());
        long body = Integer.toUnsignedLong(header.getInt());
        if (flags != 0 || body > MAX_BODY_LENGTH) {
            throw new CheckpointFormatException("corrupt header: flags " + flags + ", body length " + body);
        }
        return HEADER_LENGTH + (int) body + CHECKSUM_LENGTH;
    }

    private static void verifyChecksum(byte[] bytes) throws CheckpointFormatException {
        int end = bytes.length - CHECKSUM_LENGTH;
        long stored = Integer.toUnsignedLong(ByteBuffer.wrap(bytes, end, CHECKSUM_LENGTH).getInt());
        long computed = crc(bytes, end);
        if (stored != computed) {
            throw new CheckpointFormatException("checksum mismatch: stored CRC32C %08x, computed %08x; the file is"
                    .formatted(stored, computed) + " corrupt");
        }
    }

    private static long crc(byte[] bytes, int length) {
        CRC32C crc = new CRC32C();
        crc.update(bytes, 0, length);
        return crc.getValue();
    }

    private static Checkpoint parseBody(Reader body) throws CheckpointFormatException {
        Map<String, Reader> sections = new LinkedHashMap<>();
        while (body.remaining() > 0) {
            String tag = new String(body.bytes(4, "section tag"), StandardCharsets.US_ASCII);
            Reader payload = body.slice(body.u32("section length"), "section " + tag);
            if (sections.put(tag, payload) != null) {
                throw new CheckpointFormatException("duplicate section " + tag);
            }
        }
        Map<String, Object> meta = parseMeta(section(sections, META));
        List<ParameterBlock> layout = parseLayout(section(sections, LAYOUT));
        double[] parameters = parseParameters(section(sections, PARAMETERS));
        return build(meta, layout, parameters);
    }

    private static Reader section(Map<String, Reader> sections, String tag) throws CheckpointFormatException {
        Reader section = sections.get(tag);
        if (section == null) {
            throw new CheckpointFormatException("missing section " + tag);
        }
        return section;
    }

    private static Map<String, Object> parseMeta(Reader in) throws CheckpointFormatException {
        Map<String, Object> entries = new LinkedHashMap<>();
        int count = in.u32("metadata entry count");
        for (int i = 0; i < count; i++) {
            String key = in.string("metadata key");
            if (entries.put(key, parseValue(in, key)) != null) {
                throw new CheckpointFormatException("duplicate metadata key '" + key + "'");
            }
        }
        in.requireConsumed();
        return entries;
    }

    private static Object parseValue(Reader in, String key) throws CheckpointFormatException {
        int type = in.u8(key);
        return switch (type) {
            case INT64 -> in.i64(key);
            case FLOAT64 -> in.f64(key);
            case STRING -> in.string(key);
            case TIMESTAMP -> new long[] {in.i64(key), in.i32(key)};
            case STRING_MAP -> parseStringMap(in, key);
            case FLOAT64_MAP -> parseDoubleMap(in, key);
            default -> throw new CheckpointFormatException("unknown type " + type + " for metadata key '" + key + "'");
        };
    }

    private static Map<String, String> parseStringMap(Reader in, String key) throws CheckpointFormatException {
        Map<String, String> map = new LinkedHashMap<>();
        int count = in.u32(key);
        for (int i = 0; i < count; i++) {
            String name = in.string(key);
            if (map.put(name, in.string(key)) != null) {
                throw new CheckpointFormatException("duplicate entry '" + name + "' in " + key);
            }
        }
        return map;
    }

    private static Map<String, Double> parseDoubleMap(Reader in, String key) throws CheckpointFormatException {
        Map<String, Double> map = new LinkedHashMap<>();
        int count = in.u32(key);
        for (int i = 0; i < count; i++) {
            String name = in.string(key);
            if (map.put(name, in.f64(key)) != null) {
                throw new CheckpointFormatException("duplicate entry '" + name + "' in " + key);
            }
        }
        return map;
    }

    private static List<ParameterBlock> parseLayout(Reader in) throws CheckpointFormatException {
        int count = in.u32("block count");
        List<ParameterBlock> layout = new ArrayList<>(Math.min(count, in.remaining()));
        for (int b = 0; b < count; b++) {
            String name = in.string("block name");
            int offset = in.u32("block offset");
            int[] shape = new int[in.u8("block rank")];
            for (int i = 0; i < shape.length; i++) {
                shape[i] = in.u32("block dimension");
            }
            layout.add(block(name, offset, shape));
        }
        in.requireConsumed();
        return layout;
    }

    private static ParameterBlock block(String name, int offset, int[] shape) throws CheckpointFormatException {
        try {
            return new ParameterBlock(name, offset, shape);
        } catch (IllegalArgumentException e) {
            throw new CheckpointFormatException("invalid parameter block: " + e.getMessage(), e);
        }
    }

    private static double[] parseParameters(Reader in) throws CheckpointFormatException {
        int count = in.u32("parameter count");
        if ((long) count * Double.BYTES != in.remaining()) {
            throw new CheckpointFormatException("section PARM declares " + count + " values but holds "
                    + in.remaining() + " bytes");
        }
        double[] values = new double[count];
        for (int i = 0; i < count; i++) {
            values[i] = in.f64("parameter");
        }
        return values;
    }

    private static Checkpoint build(Map<String, Object> meta, List<ParameterBlock> layout, double[] parameters)
            throws CheckpointFormatException {
        try {
            Object parent = meta.get(KEY_PARENT_VERSION);
            DataRange range = new DataRange(instant(meta, KEY_DATA_START), instant(meta, KEY_DATA_END),
                    required(meta, KEY_DATA_EVENTS, Long.class));
            TrainingMetadata training = new TrainingMetadata(instant(meta, KEY_CREATED_AT),
                    parent == null ? OptionalLong.empty() : OptionalLong.of(required(meta, KEY_PARENT_VERSION,
                            Long.class)), range, typedMap(meta, KEY_METRICS), required(meta, KEY_NOTES, String.class));
            return new Checkpoint(required(meta, KEY_MODEL_VERSION, Long.class), typedMap(meta, KEY_HYPERPARAMETERS),
                    layout, parameters, training);
        } catch (IllegalArgumentException | DateTimeException e) {
            throw new CheckpointFormatException("invalid checkpoint content: " + e.getMessage(), e);
        }
    }

    private static Instant instant(Map<String, Object> meta, String key) throws CheckpointFormatException {
        long[] value = required(meta, key, long[].class);
        return Instant.ofEpochSecond(value[0], value[1]);
    }

    @SuppressWarnings("unchecked")
    private static <V> Map<String, V> typedMap(Map<String, Object> meta, String key)
            throws CheckpointFormatException {
        return (Map<String, V>) required(meta, key, Map.class);
    }

    private static <T> T required(Map<String, Object> meta, String key, Class<T> type)
            throws CheckpointFormatException {
        Object value = meta.get(key);
        if (value == null) {
            throw new CheckpointFormatException("missing metadata key '" + key + "'");
        }
        if (!type.isInstance(value)) {
            throw new CheckpointFormatException("metadata key '" + key + "' has the wrong type");
        }
        return type.cast(value);
    }

    /** Bounds-checked big-endian reads over a range of a byte array; every overrun is a format error. */
    private static final class Reader {
        private final ByteBuffer buffer;
        private final String what;

        Reader(byte[] bytes, int from, int to, String what) {
            this.buffer = ByteBuffer.wrap(bytes, from, to - from).slice();
            this.what = what;
        }

        int remaining() {
            return buffer.remaining();
        }

        private void need(long n, String field) throws CheckpointFormatException {
            if (n > buffer.remaining()) {
                throw new CheckpointFormatException("truncated " + what + ": " + field + " needs " + n
                        + " bytes, " + buffer.remaining() + " left");
            }
        }

        int u8(String field) throws CheckpointFormatException {
            need(1, field);
            return Byte.toUnsignedInt(buffer.get());
        }

        int i32(String field) throws CheckpointFormatException {
            need(4, field);
            return buffer.getInt();
        }

        /** An unsigned 32-bit count, length or index; above {@code Integer.MAX_VALUE} is a format error. */
        int u32(String field) throws CheckpointFormatException {
            int value = i32(field);
            if (value < 0) {
                throw new CheckpointFormatException(what + ": " + field + " " + Integer.toUnsignedString(value)
                        + " is too large");
            }
            return value;
        }

        long i64(String field) throws CheckpointFormatException {
            need(8, field);
            return buffer.getLong();
        }

        double f64(String field) throws CheckpointFormatException {
            return Double.longBitsToDouble(i64(field));
        }

        byte[] bytes(int n, String field) throws CheckpointFormatException {
            need(n, field);
            byte[] out = new byte[n];
            buffer.get(out);
            return out;
        }

        String string(String field) throws CheckpointFormatException {
            int length = u32(field + " length");
            need(length, field);
            ByteBuffer utf8 = buffer.slice(buffer.position(), length);
            buffer.position(buffer.position() + length);
            try {
                return StandardCharsets.UTF_8.newDecoder().decode(utf8).toString();
            } catch (CharacterCodingException e) {
                throw new CheckpointFormatException(what + ": " + field + " is not valid UTF-8", e);
            }
        }

        Reader slice(int length, String sliceWhat) throws CheckpointFormatException {
            need(length, sliceWhat);
            int from = buffer.arrayOffset() + buffer.position();
            buffer.position(buffer.position() + length);
            return new Reader(buffer.array(), from, from + length, sliceWhat);
        }

        void requireConsumed() throws CheckpointFormatException {
            if (buffer.hasRemaining()) {
                throw new CheckpointFormatException(what + " has " + buffer.remaining() + " unexpected bytes");
            }
        }
    }
}
