package dev.odestream.stream;

import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import static dev.odestream.stream.EngineFixture.T0;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A dead letter always fits the producer: a record just under 1 MiB, a huge key or huge headers come out cut to the
 * configured bound, with the original sizes and SHA-256 in headers, and the engine goes on.
 */
class DeadLettersTest {

    @TempDir
    Path stateDir;

    private static final DeadLetter LETTER = new DeadLetter(RejectReason.MALFORMED_JSON, "bad", "events", 0, 7, T0);

    /** @return key, value and headers as the producer counts them, less its per-record framing */
    private static int size(byte[] key, byte[] value, Headers headers) {
        int size = (key == null ? 0 : key.length) + (value == null ? 0 : value.length);
        for (Header h : headers) {
            size += h.key().getBytes(StandardCharsets.UTF_8).length + (h.value() == null ? 0 : h.value().length);
        }
        return size;
    }

    private static String header(Headers headers, String name) {
        Header h = headers.lastHeader(name);
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }

    private static byte[] filled(int n, char c) {
        byte[] b = new byte[n];
        Arrays.fill(b, (byte) c);
        return b;
    }

    @Test
    void shouldLeaveALetterThatFitsAsItIs() {
        byte[] key = "k".getBytes(StandardCharsets.UTF_8);
        byte[] value = filled(1000, 'v');
        DeadLetters.Cut cut = DeadLetters.cut(LETTER, new RecordHeaders(), key, value, Limits.MIN_DEAD_LETTER_BYTES);
        assertSame(key, cut.key());
        assertSame(value, cut.value());
        assertNull(header(cut.headers(), DeadLetter.ORIGINAL_VALUE_BYTES));
    }

    @Test
    void shouldCutTheValueThenTheKeyAndNameTheOriginals() {
        byte[] key = filled(700_000, 'k');
        byte[] value = filled(1_048_000, 'v');
        value[value.length - 1] = 'w';
        Headers original = new RecordHeaders().add("trace", "t-1".getBytes(StandardCharsets.UTF_8));
        int max = Limits.DEFAULT_MAX_DEAD_LETTER_BYTES;
        DeadLetters.Cut cut = DeadLetters.cut(LETTER, original, key, value, max);
        assertTrue(size(cut.key(), cut.value(), cut.headers()) <= max);
        assertTrue(cut.key().length > 100_000 && cut.value().length > 100_000, "both keep a useful prefix");
        assertArrayEquals(Arrays.copyOf(value, cut.value().length), cut.value(), "a prefix of the value");
        assertEquals("1048000", header(cut.headers(), DeadLetter.ORIGINAL_VALUE_BYTES));
        assertEquals(DeadLetters.sha256(value), header(cut.headers(), DeadLetter.ORIGINAL_VALUE_SHA256));
        assertEquals("700000", header(cut.headers(), DeadLetter.ORIGINAL_KEY_BYTES));
        assertEquals(DeadLetters.sha256(key), header(cut.headers(), DeadLetter.ORIGINAL_KEY_SHA256));
        assertEquals("t-1", header(cut.headers(), "trace"), "small original headers stay");
        assertEquals(LETTER, DeadLetter.from(cut.headers()));
        assertEquals("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
                DeadLetters.sha256(new byte[0]), "SHA-256 as everyone computes it");
    }

    @Test
    void shouldDropHugeOriginalHeadersFirst() {
        Headers original = new RecordHeaders().add("blob", filled(600_000, 'h'));
        byte[] value = filled(500_000, 'v');
        DeadLetters.Cut cut = DeadLetters.cut(LETTER, original, null, value, Limits.DEFAULT_MAX_DEAD_LETTER_BYTES);
        assertNull(cut.headers().lastHeader("blob"));
        assertTrue(Integer.parseInt(header(cut.headers(), DeadLetter.ORIGINAL_HEADERS_BYTES)) > 600_000);
        assertSame(value, cut.value(), "the value fits once the headers are gone");
    }

    @Test
    void shouldPublishADeadLetterWithinTheBoundForARecordJustUnderOneMebibyte() {
        try (EngineFixture engine = new EngineFixture(EngineFixture.smallConfig(), stateDir)) {
            byte[] value = filled(1_048_000, ' ');
            value[0] = '{';
            byte[] key = "s-1".getBytes(StandardCharsets.UTF_8);
            engine.send(key, value);
            engine.send("s-2", Event.of(T0, 1.0, 2.0));
            List<TestRecord<byte[], byte[]>> dlq = engine.deadLetters();
            assertEquals(1, dlq.size());
            TestRecord<byte[], byte[]> letter = dlq.getFirst();
            assertTrue(size(letter.key(), letter.value(), letter.headers()) <= Limits.DEFAULT_MAX_DEAD_LETTER_BYTES,
                    "the letter fits under the producer's 1 MiB with its framing");
            assertEquals(RejectReason.MALFORMED_JSON, DeadLetter.from(letter.headers()).reason());
            assertArrayEquals(key, letter.key());
            assertEquals("1048000", header(letter.headers(), DeadLetter.ORIGINAL_VALUE_BYTES));
            assertEquals(DeadLetters.sha256(value), header(letter.headers(), DeadLetter.ORIGINAL_VALUE_SHA256));
            assertEquals(1, engine.forecasts().size(), "the next valid event is still forecast");
        }
    }

    @Test
    void shouldRefuseToStartWhenTheProducerTakesLessThanTheLargestDeadLetter() {
        java.util.Properties props = Engine.streamsProperties("small", "unused:9092", stateDir);
        props.put(org.apache.kafka.streams.StreamsConfig.producerPrefix("max.request.size"), 500_000);
        EngineConfig config = EngineFixture.smallConfig();
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> new Engine(config, props, dev.odestream.metrics.EngineMetrics.inMemory()));
        assertTrue(e.getMessage().contains("500000") && e.getMessage().contains("1000000"), e.getMessage());
        Engine.requireRoom(config.limits().withMaxDeadLetterBytes(400_000), props);
        props.remove(org.apache.kafka.streams.StreamsConfig.producerPrefix("max.request.size"));
        Engine.requireRoom(config.limits(), props);
        props.put("max.request.size", "999999");
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> Engine.requireRoom(config.limits(), props));
    }
}
