package dev.odestream.worker;

import dev.odestream.model.ModelConfig;
import dev.odestream.nn.Activation;
import dev.odestream.stream.InvalidEventException;
import dev.odestream.stream.Limits;
import dev.odestream.stream.RejectReason;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The worker reads what the engine takes, with the engine's limits. */
class EventReaderTest {

    private static final ModelConfig MODEL = new ModelConfig(1, 1, 3, 6, 8, 8, 8, Activation.TANH, 0.1, 4, 1e-6,
            1e-8);
    private static final long NOW = Instant.parse("2025-11-23T12:00:00Z").toEpochMilli();

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static RejectReason reason(EventReader reader, String key, long time) {
        return assertThrows(InvalidEventException.class, () -> reader.read(utf8(key),
                utf8("{\"time\": " + time + ", \"values\": [1]}"), 0, NOW)).reason();
    }

    @Test
    void shouldSkipWhatTheEngineDeadLettersWithTheSameLimits() throws InvalidEventException {
        EventReader defaults = new EventReader(MODEL, false);
        assertEquals(RejectReason.TOO_EARLY, reason(defaults, "s", 0));
        assertEquals(RejectReason.SERIES_ID_TOO_LONG, reason(defaults, "x".repeat(1025), NOW));
        assertEquals(RejectReason.FUTURE_TIME, reason(defaults, "s", Long.MAX_VALUE));
        EventReader older = new EventReader(MODEL, false, Limits.defaults().withEarliestEventTime(Instant.EPOCH),
                Duration.ofSeconds(1));
        assertEquals(1_000, older.read(utf8("s"), utf8("{\"time\": 1000, \"values\": [1]}"), 0, NOW).event().timeMs());
        assertEquals(RejectReason.FUTURE_TIME, reason(older, "s", NOW + 1_001));
    }
}
