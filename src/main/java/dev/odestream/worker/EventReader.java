package dev.odestream.worker;

import dev.odestream.model.ModelConfig;
import dev.odestream.stream.Event;
import dev.odestream.stream.EventJson;
import dev.odestream.stream.InvalidEventException;
import dev.odestream.stream.RejectReason;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.OptionalLong;

/**
 * Reads an events record the way the engine's validation does, with the engine's own JSON code ({@link EventJson}):
 * a UTF-8 series id as key, a valid event, the model's dimension and event types, and a time not too far after the
 * wall clock. The engine dead-letters what fails; the worker only skips it and counts the reason.
 */
public final class EventReader {

    /** How far after the wall clock an event time may lie: the engine's default. */
    public static final Duration MAX_FUTURE = Duration.ofHours(1);

    private final ModelConfig model;
    private final boolean eventTimeFromRecord;

    /**
     * @param model the architecture events must fit
     * @param eventTimeFromRecord take event time from the record timestamp, as the engine is configured
     */
    public EventReader(ModelConfig model, boolean eventTimeFromRecord) {
        this.model = model;
        this.eventTimeFromRecord = eventTimeFromRecord;
    }

    /**
     * A checked record.
     *
     * @param series the series id
     * @param event the event
     */
    public record Read(String series, Event event) {
    }

    /**
     * @param key the record key
     * @param value the record value
     * @param timestamp the record timestamp
     * @param nowMs the wall clock
     * @throws InvalidEventException with the reason the engine gives
     */
    public Read read(byte[] key, byte[] value, long timestamp, long nowMs) throws InvalidEventException {
        String series = seriesId(key);
        if (value == null) {
            throw new InvalidEventException(RejectReason.MALFORMED_JSON, "the record has no value");
        }
        Event event = EventJson.parse(value, eventTimeFromRecord ? OptionalLong.of(timestamp) : OptionalLong.empty());
        if (!event.isPoint() && event.dimension() != model.observationDim()) {
            throw new InvalidEventException(RejectReason.DIMENSION_MISMATCH, "values have " + event.dimension()
                    + " entries, the model expects " + model.observationDim());
        }
        if (event.type() >= model.eventTypes()) {
            throw new InvalidEventException(RejectReason.UNKNOWN_EVENT_TYPE, "event type " + event.type()
                    + " is not below the model's " + model.eventTypes() + " types");
        }
        if (event.timeMs() - nowMs > MAX_FUTURE.toMillis()) {
            throw new InvalidEventException(RejectReason.FUTURE_TIME, "event time is "
                    + (event.timeMs() - nowMs) + " ms after the wall clock");
        }
        return new Read(series, event);
    }

    private static String seriesId(byte[] key) throws InvalidEventException {
        if (key == null || key.length == 0) {
            throw new InvalidEventException(RejectReason.BAD_KEY, "the record key (the series id) is missing");
        }
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(key)).toString();
        } catch (CharacterCodingException e) {
            throw new InvalidEventException(RejectReason.BAD_KEY, "the record key is not UTF-8");
        }
    }
}
