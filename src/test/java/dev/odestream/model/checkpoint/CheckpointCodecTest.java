package dev.odestream.model.checkpoint;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Random;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.Test;

class CheckpointCodecTest {

    @Test
    void shouldRoundTripEveryParameterBitExactly() throws IOException {
        Checkpoint original = Checkpoints.sample();
        byte[] bytes = CheckpointCodec.encode(original);
        Checkpoint decoded = CheckpointCodec.decode(bytes);
        for (int i = 0; i < original.parameterCount(); i++) {
            assertEquals(Double.doubleToRawLongBits(original.parameter(i)),
                    Double.doubleToRawLongBits(decoded.parameter(i)), "parameter " + i);
        }
        assertEquals(original, decoded);
        assertEquals(original.training(), decoded.training());
        assertArrayEquals(bytes, CheckpointCodec.encode(decoded), "re-encoding is byte-identical");
    }

    @Test
    void shouldRoundTripWithoutParentAndWithEmptyMaps() throws IOException {
        Checkpoint bare = new Checkpoint(0, Map.of(), List.of(), new double[0],
                new TrainingMetadata(Instant.EPOCH, OptionalLong.empty(),
                        new DataRange(Instant.EPOCH, Instant.EPOCH, 0), Map.of(), ""));
        assertEquals(bare, CheckpointCodec.decode(CheckpointCodec.encode(bare)));
    }

    @Test
    void shouldReadConsecutiveCheckpointsFromAStream() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Checkpoint first = Checkpoints.sample(3, OptionalLong.empty());
        Checkpoint second = Checkpoints.sample(4, OptionalLong.of(3));
        CheckpointCodec.write(first, out);
        CheckpointCodec.write(second, out);
        ByteArrayInputStream in = new ByteArrayInputStream(out.toByteArray());
        assertEquals(first, CheckpointCodec.read(in));
        assertEquals(second, CheckpointCodec.read(in));
        assertEquals(-1, in.read());
    }

    @Test
    void shouldRejectEverySingleByteCorruption() {
        byte[] bytes = CheckpointCodec.encode(Checkpoints.sample());
        Random rng = new Random(11);
        for (int position = 0; position < bytes.length; position++) {
            for (int trial = 0; trial < 4; trial++) {
                byte[] corrupt = bytes.clone();
                corrupt[position] ^= (byte) (1 + rng.nextInt(255));
                int at = position;
                assertThrows(CheckpointFormatException.class, () -> CheckpointCodec.decode(corrupt),
                        "corruption at byte " + at);
            }
        }
    }

    @Test
    void shouldRejectEveryTruncationFromBytesAndStreams() {
        byte[] bytes = CheckpointCodec.encode(Checkpoints.sample());
        for (int length = 0; length < bytes.length; length++) {
            byte[] truncated = Arrays.copyOf(bytes, length);
            CheckpointFormatException e = assertThrows(CheckpointFormatException.class,
                    () -> CheckpointCodec.decode(truncated));
            assertTrue(e.getMessage().contains("truncated"), e.getMessage());
            assertThrows(CheckpointFormatException.class,
                    () -> CheckpointCodec.read(new ByteArrayInputStream(truncated)));
        }
    }

    @Test
    void shouldNameBothVersionsWhenTheFormatVersionIsUnsupported() {
        byte[] bytes = CheckpointCodec.encode(Checkpoints.sample());
        ByteBuffer.wrap(bytes).putShort(4, (short) 2);
        reseal(bytes);
        String message = assertThrows(CheckpointFormatException.class, () -> CheckpointCodec.decode(bytes))
                .getMessage();
        assertTrue(message.contains("version 2") && message.contains("version 1"), message);
    }

    @Test
    void shouldSayWhichCheckFailed() {
        byte[] bytes = CheckpointCodec.encode(Checkpoints.sample());
        byte[] magic = bytes.clone();
        magic[0] = 'X';
        assertMessage(magic, "magic");
        byte[] flipped = bytes.clone();
        flipped[40] ^= 1;
        assertMessage(flipped, "checksum");
        byte[] longer = Arrays.copyOf(bytes, bytes.length + 3);
        assertMessage(longer, "3 unexpected bytes");
        assertMessage("ODS".getBytes(StandardCharsets.US_ASCII), "truncated");
        assertMessage("PK\u0003\u0004".getBytes(StandardCharsets.ISO_8859_1), "magic");
    }

    @Test
    void shouldRejectNonFiniteParametersEvenWithAValidChecksum() {
        byte[] bytes = CheckpointCodec.encode(Checkpoints.sample());
        int at = indexOf(bytes, longBytes(Double.doubleToRawLongBits(0.123456789)));
        ByteBuffer.wrap(bytes).putLong(at, Double.doubleToRawLongBits(Double.NaN));
        reseal(bytes);
        assertMessage(bytes, "not finite");
        ByteBuffer.wrap(bytes).putLong(at, Double.doubleToRawLongBits(Double.NEGATIVE_INFINITY));
        reseal(bytes);
        assertMessage(bytes, "not finite");
    }

    @Test
    void shouldRejectDuplicateBlockNamesEvenWithAValidChecksum() {
        byte[] bytes = CheckpointCodec.encode(Checkpoints.sample());
        int at = indexOf(bytes, "enc.b".getBytes(StandardCharsets.US_ASCII));
        bytes[at + 4] = 'a';
        reseal(bytes);
        assertMessage(bytes, "duplicate block name 'enc.a'");
    }

    @Test
    void shouldRejectALayoutThatDoesNotCoverTheValues() {
        byte[] bytes = CheckpointCodec.encode(Checkpoints.sample());
        int name = indexOf(bytes, "enc.b".getBytes(StandardCharsets.US_ASCII));
        int firstDimension = name + 5 + 4 + 1;
        assertEquals(5, ByteBuffer.wrap(bytes).getInt(firstDimension), "format as documented");
        ByteBuffer.wrap(bytes).putInt(firstDimension, 4);
        reseal(bytes);
        assertMessage(bytes, "layout does not cover the values");
    }

    @Test
    void shouldSkipUnknownSectionsForForwardCompatibility() throws IOException {
        Checkpoint original = Checkpoints.sample();
        byte[] bytes = CheckpointCodec.encode(original);
        byte[] extra = {'X', 'T', 'R', 'A', 0, 0, 0, 2, 42, 43};
        int bodyEnd = bytes.length - 4;
        byte[] extended = new byte[bytes.length + extra.length];
        System.arraycopy(bytes, 0, extended, 0, bodyEnd);
        System.arraycopy(extra, 0, extended, bodyEnd, extra.length);
        ByteBuffer.wrap(extended).putInt(8, bodyEnd - 12 + extra.length);
        reseal(extended);
        assertEquals(original, CheckpointCodec.decode(extended));
    }

    @Test
    void shouldRefuseStringsThatAreNotWellFormedUtf16() {
        Checkpoint c = Checkpoints.sample();
        Checkpoint broken = new Checkpoint(c.modelVersion(), Map.of("bad\ud800", "x"), c.layout(),
                c.parameters(), c.training());
        assertThrows(IllegalArgumentException.class, () -> CheckpointCodec.encode(broken));
    }

    private static void assertMessage(byte[] bytes, String expected) {
        String message = assertThrows(CheckpointFormatException.class, () -> CheckpointCodec.decode(bytes))
                .getMessage();
        assertTrue(message.contains(expected), "'" + message + "' should mention '" + expected + "'");
    }

    /** Recomputes the CRC32C trailer, so that a test reaches the checks behind the checksum. */
    private static void reseal(byte[] bytes) {
        CRC32C crc = new CRC32C();
        crc.update(bytes, 0, bytes.length - 4);
        ByteBuffer.wrap(bytes).putInt(bytes.length - 4, (int) crc.getValue());
    }

    private static byte[] longBytes(long value) {
        return ByteBuffer.allocate(8).putLong(value).array();
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            if (Arrays.equals(haystack, i, i + needle.length, needle, 0, needle.length)) {
                return i;
            }
        }
        throw new AssertionError("pattern not found");
    }
}
