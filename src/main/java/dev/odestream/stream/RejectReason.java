package dev.odestream.stream;

import java.util.Arrays;

/**
 * Why an input record did not update a series. Each reason has a stable wire code, written to the
 * {@value DeadLetter#REASON} header and used as the {@code reason} tag of the metrics.
 */
public enum RejectReason {
    /** The value is not JSON, or not one JSON document. */
    MALFORMED_JSON("malformed-json"),
    /** Valid JSON that does not follow {@code schemas/event.schema.json}. */
    SCHEMA_VIOLATION("schema-violation"),
    /** A present value or the time is NaN or infinite. */
    NON_FINITE("non-finite"),
    /** The number of values differs from the model's observation dimension. */
    DIMENSION_MISMATCH("dimension-mismatch"),
    /** The event type is not below the model's number of event types. */
    UNKNOWN_EVENT_TYPE("unknown-event-type"),
    /** A value outside its dimension's domain: not positive where the model takes the log of that dimension. */
    OUT_OF_DOMAIN("out-of-domain"),
    /** The event time lies further ahead of the wall clock than the engine allows. */
    FUTURE_TIME("future-time"),
    /** The event time lies before the earliest the engine accepts ({@link Limits#earliestEventTimeMs}). */
    TOO_EARLY("too-early"),
    /** The record key is missing, empty or not UTF-8; keys are series ids. */
    BAD_KEY("bad-key"),
    /** The series id is longer than the engine accepts ({@link Limits#maxSeriesIdBytes}). */
    SERIES_ID_TOO_LONG("series-id-too-long"),
    /** The model could not fold the event in (the encoder ODE failed); the series is unchanged. */
    MODEL_FAILURE("model-failure"),
    /** Older than the series allows: before its last event by more than the grace, or before its ring. */
    LATE("late");

    private final String code;

    RejectReason(String code) {
        this.code = code;
    }

    /** @return the wire code, such as {@code "malformed-json"}. */
    public String code() {
        return code;
    }

    /** @return the reason with that wire code. */
    public static RejectReason fromCode(String code) {
        return Arrays.stream(values()).filter(r -> r.code.equals(code)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown reject reason '" + code + "'"));
    }
}
