package dev.odestream.worker;

import dev.odestream.model.DataSpec;
import dev.odestream.model.ModelConfig;
import dev.odestream.stream.Event;
import dev.odestream.stream.EventValidation;
import dev.odestream.stream.InvalidEventException;
import dev.odestream.stream.Limits;

import java.time.Duration;

/**
 * Reads an events record with the engine's own checks ({@link EventValidation}): a UTF-8 series id as key, a valid
 * event, the model's dimension and event types, and a time not too far after the wall clock. The engine dead-letters what fails; the worker only skips it and counts the reason.
 */
public final class EventReader {

    /** How far after the wall clock an event time may lie: the engine's default. */
    public static final Duration MAX_FUTURE = Duration.ofHours(1);

    private final EventValidation validation;

    /**
     * @param model the architecture events must fit
     * @param eventTimeFromRecord take event time from the record timestamp, as the engine is configured
     */
    public EventReader(ModelConfig model, boolean eventTimeFromRecord) {
        this(model, eventTimeFromRecord, Limits.defaults(), MAX_FUTURE);
    }

    /**
     * @param model the architecture events must fit
     * @param eventTimeFromRecord take event time from the record timestamp, as the engine is configured
     * @param limits the engine's bounds on series ids and event times
     * @param maxFuture how far after the wall clock an event time may lie, the engine's
     */
    public EventReader(ModelConfig model, boolean eventTimeFromRecord, Limits limits, Duration maxFuture) {
        this.validation = new EventValidation(model, DataSpec.identity(model.observationDim(), model.eventTypes()),
                maxFuture.toMillis(), eventTimeFromRecord, limits);
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
        String series = validation.series(key);
        Event event = validation.event(value, timestamp, nowMs);
        return new Read(series, event);
    }
}
