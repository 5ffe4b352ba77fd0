package dev.odestream.stream;

import dev.odestream.model.DataSpec;
import dev.odestream.model.ModelConfig;
import dev.odestream.model.ValueTransform;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.OptionalLong;

/**
 * The checks a raw {@code events} record must pass before a model sees it, in order: the key (a non-empty UTF-8
 * series id no longer than {@link Limits#maxSeriesIdBytes}), the JSON ({@link EventJson}: malformed, schema,
 * non-finite), the dimension and event type against the model, and the event time: not before
 * {@link Limits#earliestEventTimeMs}, not further after the wall clock than {@code maxFutureMs}. The engine
 * dead-letters what fails; the trainer worker skips it with the same reason, so both agree on what an event is.
 *
 * @param model the architecture events must fit
 * @param maxFutureMs how far after the wall clock an event time may lie
 * @param eventTimeFromRecord take the event time from the record timestamp instead of the {@code time} field
 * @param limits the longest series id and the earliest event time (its dead-letter bound is not used here)
 */
public record EventValidation(ModelConfig model, DataSpec spec, long maxFutureMs, boolean eventTimeFromRecord,
                              Limits limits) {

    /** @return the engine's checks for its configuration. */
    public static EventValidation of(EngineConfig config) {
        return new EventValidation(config.modelConfig(), config.initialModel().spec(), config.maxFuture().toMillis(),
                config.eventTimeFromRecord(), config.limits());
    }

    /** @return the checks for a model with no data spec, values as they are, and the default {@link Limits} */
    public static EventValidation of(ModelConfig model, long maxFutureMs, boolean eventTimeFromRecord) {
        return new EventValidation(model, DataSpec.identity(model.observationDim(), model.eventTypes()), maxFutureMs,
                eventTimeFromRecord, Limits.defaults());
    }

    /**
     * @param key the record key
     * @return the series id the key names: non-empty UTF-8, at most {@link Limits#maxSeriesIdBytes} bytes
     * @throws InvalidEventException {@code bad-key} or {@code series-id-too-long}
     */
    public String series(byte[] key) throws InvalidEventException {
        if (key != null && key.length > limits.maxSeriesIdBytes()) {
            throw new InvalidEventException(RejectReason.SERIES_ID_TOO_LONG, "the series id has " + key.length
                    + " bytes, more than the allowed " + limits.maxSeriesIdBytes());
        }
        return seriesId(key);
    }

    /**
     * @param value the record value
     * @param timestamp the record timestamp
     * @param nowMs the wall clock
     * @return the event, which the model can take
     * @throws InvalidEventException with the reason and a message naming what is wrong
     */
    public Event event(byte[] value, long timestamp, long nowMs) throws InvalidEventException {
        if (value == null) {
            throw new InvalidEventException(RejectReason.MALFORMED_JSON, "the record has no value");
        }
        Event event = EventJson.parse(value, eventTimeFromRecord ? OptionalLong.of(timestamp) : OptionalLong.empty());
        if (!event.isPoint() && event.dimension() != model.observationDim()) {
            throw new InvalidEventException(RejectReason.DIMENSION_MISMATCH, "values have " + event.dimension()
                    + " entries, the model expects " + model.observationDim());
        }
        requireDomain(event);
        if (event.type() >= model.eventTypes()) {
            throw new InvalidEventException(RejectReason.UNKNOWN_EVENT_TYPE, "event type " + event.type()
                    + " is not below the model's " + model.eventTypes() + " types");
        }
        requireTime(event.timeMs(), nowMs);
        return event;
    }

    /** Compares without subtracting, so that no time near {@code Long.MIN_VALUE} or {@code MAX_VALUE} overflows. */
    private void requireTime(long timeMs, long nowMs) throws InvalidEventException {
        if (timeMs < limits.earliestEventTimeMs()) {
            throw new InvalidEventException(RejectReason.TOO_EARLY, "event time " + EventJson.iso(timeMs)
                    + " is before the earliest accepted, " + EventJson.iso(limits.earliestEventTimeMs()));
        }
        long latest = nowMs > Long.MAX_VALUE - maxFutureMs ? Long.MAX_VALUE : nowMs + maxFutureMs;
        if (timeMs > latest) {
            throw new InvalidEventException(RejectReason.FUTURE_TIME, "event time " + EventJson.iso(timeMs)
                    + " is after " + EventJson.iso(latest) + ", the wall clock (" + EventJson.iso(nowMs)
                    + ") plus the allowed " + maxFutureMs + " ms");
        }
    }

    private void requireDomain(Event event) throws InvalidEventException {
        if (event.isPoint() || spec.transforms().stream().noneMatch(ValueTransform::log)) {
            return;
        }
        double[] values = event.values();
        for (int d = 0; d < values.length; d++) {
            if (spec.transforms().get(d).log() && event.isPresent(d) && !(values[d] > 0)) {
                throw new InvalidEventException(RejectReason.OUT_OF_DOMAIN, "value " + values[d] + " of '"
                        + spec.valueNames().get(d) + "' is not positive; the model takes its log");
            }
        }
    }

    /** @return the series id a record key names: non-empty UTF-8. */
    public static String seriesId(byte[] key) throws InvalidEventException {
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
