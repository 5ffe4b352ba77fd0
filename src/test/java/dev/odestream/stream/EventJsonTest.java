package dev.odestream.stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.util.OptionalLong;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

class EventJsonTest {

    private static Event parse(String json) throws InvalidEventException {
        return EventJson.parse(json.getBytes(StandardCharsets.UTF_8), OptionalLong.empty());
    }

    private static RejectReason reasonOf(String json) {
        return assertThrows(InvalidEventException.class, () -> parse(json)).reason();
    }

    @Test
    void shouldRoundTripEveryShapeOfEventExactly() throws InvalidEventException {
        Event[] events = {Event.of(1_763_900_000_125L, 0.1, 1.0 / 3, -2.5e-300, Double.MAX_VALUE),
            new Event(-17, new double[] {0.0, -0.0}, new boolean[] {false, true}, 3), Event.point(0, 2)};
        for (Event e : events) {
            assertEquals(e, EventJson.parse(EventJson.write(e), OptionalLong.empty()));
        }
    }

    @Test
    void shouldReadTheFieldsItIsGiven() throws InvalidEventException {
        Event e = parse("{\"time\": \"2025-11-23T12:00:00.0019Z\", \"values\": [1, 2.5], \"mask\": [false, true],"
                + " \"type\": 4}");
        assertEquals(java.time.Instant.parse("2025-11-23T12:00:00.001Z").toEpochMilli(), e.timeMs());
        assertArrayEquals(new double[] {1, 2.5}, e.values());
        assertArrayEquals(new boolean[] {false, true}, e.mask());
        assertEquals(4, e.type());
        Event point = parse("{\"time\": 12, \"values\": null}");
        assertNull(point.values());
        assertEquals(0, point.type());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "{", "{\"time\": 1, \"values\": [1]} {}", "{\"time\": 1, \"time\": 2, \"values\": null}",
        "not json", "{'time': 1}"})
    void shouldCallUnparsableInputMalformed(String json) {
        assertEquals(RejectReason.MALFORMED_JSON, reasonOf(json));
    }

    @ParameterizedTest
    @ValueSource(strings = {"{\"time\": 1, \"values\": [1, NaN]}", "{\"time\": 1, \"values\": [Infinity]}",
        "{\"time\": 1, \"values\": [-Infinity], \"mask\": [false]}", "{\"time\": 1, \"values\": [1e400]}",
        "{\"time\": NaN, \"values\": [1]}"})
    void shouldCallNaNAndInfinityNonFinite(String json) {
        assertEquals(RejectReason.NON_FINITE, reasonOf(json));
    }

    @ParameterizedTest
    @ValueSource(strings = {"{\"time\": \"2025-11-23T12:00:00\", \"values\": null}",
        "{\"time\": \"yesterday\", \"values\": null}", "{\"time\": 1e30, \"values\": null}"})
    void shouldRejectTimesWithoutAnOffsetOrOutOfRange(String json) {
        assertEquals(RejectReason.SCHEMA_VIOLATION, reasonOf(json));
    }

    @Test
    void shouldTakeTheRecordTimestampWhenConfiguredToAndStillCheckTheField() throws InvalidEventException {
        byte[] noTime = "{\"values\": [1]}".getBytes(StandardCharsets.UTF_8);
        assertEquals(777, EventJson.parse(noTime, OptionalLong.of(777)).timeMs());
        byte[] withTime = "{\"time\": 5, \"values\": [1]}".getBytes(StandardCharsets.UTF_8);
        assertEquals(777, EventJson.parse(withTime, OptionalLong.of(777)).timeMs());
        byte[] badTime = "{\"time\": \"soon\", \"values\": [1]}".getBytes(StandardCharsets.UTF_8);
        assertThrows(InvalidEventException.class, () -> EventJson.parse(badTime, OptionalLong.of(777)));
    }

    @Test
    void shouldRefuseToWriteWhatJsonCannotCarry() {
        assertThrows(IllegalArgumentException.class, () -> EventJson.write(Event.of(1, Double.NaN)));
    }
}
