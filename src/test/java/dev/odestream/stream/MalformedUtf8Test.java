package dev.odestream.stream;

import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

import static dev.odestream.stream.EngineFixture.T0;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Events whose bytes are not well-formed UTF-8 go to the dead-letter topic as malformed, and the engine goes on. */
class MalformedUtf8Test {

    @TempDir
    Path stateDir;

    /** A valid event but for one field name, whose space is written as the overlong {@code C0 A0}. */
    private static byte[] overlong() {
        return splice("{\"time\": 1, \"values\": [1, 2],\"", new byte[] {(byte) 0xC0, (byte) 0xA0}, "\": 1}");
    }

    /** A valid event but for a time string holding the encoded surrogate {@code ED A0 80}. */
    private static byte[] surrogate() {
        return splice("{\"time\": \"", new byte[] {(byte) 0xED, (byte) 0xA0, (byte) 0x80}, "\", \"values\": [1, 2]}");
    }

    private static byte[] splice(String head, byte[] middle, String tail) {
        byte[] h = head.getBytes(StandardCharsets.US_ASCII);
        byte[] t = tail.getBytes(StandardCharsets.US_ASCII);
        byte[] out = new byte[h.length + middle.length + t.length];
        System.arraycopy(h, 0, out, 0, h.length);
        System.arraycopy(middle, 0, out, h.length, middle.length);
        System.arraycopy(t, 0, out, h.length + middle.length, t.length);
        return out;
    }

    @Test
    void shouldDeadLetterOverlongAndSurrogateSequencesAsMalformedJson() {
        try (EngineFixture engine = new EngineFixture(EngineFixture.smallConfig(), stateDir)) {
            engine.send("s-1".getBytes(StandardCharsets.UTF_8), overlong());
            engine.send("s-1".getBytes(StandardCharsets.UTF_8), surrogate());
            engine.send("s-1", Event.of(T0 - 1_000, 1.0, 2.0));
            List<TestRecord<byte[], byte[]>> dlq = engine.deadLetters();
            assertEquals(2, dlq.size());
            assertArrayEquals(overlong(), dlq.get(0).value());
            DeadLetter first = DeadLetter.from(dlq.get(0).headers());
            assertEquals(RejectReason.MALFORMED_JSON, first.reason(), first.detail());
            assertTrue(first.detail().contains("overlong"), first.detail());
            DeadLetter second = DeadLetter.from(dlq.get(1).headers());
            assertEquals(RejectReason.MALFORMED_JSON, second.reason(), second.detail());
            assertTrue(second.detail().contains("surrogate"), second.detail());
            assertEquals(1, engine.forecasts().size(), "the valid event after them is forecast");
        }
    }
}
