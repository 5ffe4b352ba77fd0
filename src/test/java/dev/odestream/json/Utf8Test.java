package dev.odestream.json;

import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class Utf8Test {

    private final CharsetDecoder strict = StandardCharsets.UTF_8.newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);

    private final CharBuffer chars = CharBuffer.allocate(16);

    private boolean jdkAccepts(byte[] bytes) {
        chars.clear();
        strict.reset();
        ByteBuffer in = ByteBuffer.wrap(bytes);
        return !strict.decode(in, chars, true).isError() && !strict.flush(chars).isError() && !in.hasRemaining();
    }

    private void agree(byte[] bytes) {
        assertEquals(jdkAccepts(bytes), Utf8.problem(bytes) == null, () -> java.util.HexFormat.ofDelimiter(" ")
                .formatHex(bytes) + ": " + Utf8.problem(bytes));
    }

    /** Continuation bytes at and around every boundary a lead byte sets, and bytes that are no continuation. */
    private static final int[] TAILS = {0x00, 0x41, 0x7F, 0x80, 0x8F, 0x90, 0x9F, 0xA0, 0xBF, 0xC0, 0xFF};

    @Test
    void shouldAgreeWithTheJdksStrictDecoderOnEveryOneAndTwoByteSequenceAndLongerOnesAtTheirBoundaries() {
        for (int a = 0; a < 256; a++) {
            agree(new byte[] {(byte) a});
            for (int b = 0; b < 256; b++) {
                agree(new byte[] {(byte) a, (byte) b});
            }
        }
        for (int a = 0xE0; a <= 0xFF; a++) {
            for (int b = 0; b < 256; b++) {
                for (int c : TAILS) {
                    agree(new byte[] {(byte) a, (byte) b, (byte) c});
                    for (int d : new int[] {0x41, 0x80, 0xBF, 0xC0}) {
                        agree(new byte[] {(byte) a, (byte) b, (byte) c, (byte) d});
                    }
                }
            }
        }
    }

    @Test
    void shouldNameTheProblemAndWhereItIs() {
        assertNull(Utf8.problem("plain, \u00e9t\u00e9, \u20ac, \ud83d\ude00".getBytes(StandardCharsets.UTF_8)));
        assertEquals("invalid UTF-8 at byte 3: an overlong encoding", Utf8.problem(bytes("abc", 0xC0, 0xAE)));
        assertEquals("invalid UTF-8 at byte 0: an overlong encoding", Utf8.problem(bytes("", 0xE0, 0x80, 0xAE)));
        assertEquals("invalid UTF-8 at byte 0: an overlong encoding", Utf8.problem(bytes("", 0xF0, 0x80, 0x80, 0xAE)));
        assertEquals("invalid UTF-8 at byte 1: an encoded surrogate (U+D800..U+DFFF)",
                Utf8.problem(bytes("\"", 0xED, 0xA0, 0x80)));
        assertEquals("invalid UTF-8 at byte 0: a code point above U+10FFFF", Utf8.problem(bytes("", 0xF4, 0x90, 0x80,
                0x80)));
        assertEquals("invalid UTF-8 at byte 2: a sequence cut short by the end of the value",
                Utf8.problem(bytes("ab", 0xE2, 0x82)));
        assertEquals("invalid UTF-8 at byte 0: a continuation byte without a lead byte", Utf8.problem(bytes("", 0x80)));
    }

    @Test
    void shouldCallOverlongAndSurrogateJsonMalformed() {
        byte[] overlongKey = bytes("{\"time\": 1, \"values\": [1], \"", 0xC0, 0xA0);
        overlongKey = concat(overlongKey, "\": 1}");
        byte[] finalOverlong = overlongKey;
        JsonShape.MalformedException e = assertThrows(JsonShape.MalformedException.class,
                () -> JsonShape.parse(finalOverlong));
        assertTrue(e.getMessage().contains("overlong"), e.getMessage());
        byte[] surrogate = concat(bytes("\"", 0xED, 0xB0, 0x80), "\"");
        e = assertThrows(JsonShape.MalformedException.class, () -> JsonShape.parse(surrogate));
        assertTrue(e.getMessage().contains("surrogate"), e.getMessage());
    }

    static byte[] bytes(String ascii, int... tail) {
        byte[] head = ascii.getBytes(StandardCharsets.US_ASCII);
        byte[] out = java.util.Arrays.copyOf(head, head.length + tail.length);
        for (int i = 0; i < tail.length; i++) {
            out[head.length + i] = (byte) tail[i];
        }
        return out;
    }

    private static byte[] concat(byte[] head, String ascii) {
        byte[] tail = ascii.getBytes(StandardCharsets.US_ASCII);
        byte[] out = java.util.Arrays.copyOf(head, head.length + tail.length);
        System.arraycopy(tail, 0, out, head.length, tail.length);
        return out;
    }
}
