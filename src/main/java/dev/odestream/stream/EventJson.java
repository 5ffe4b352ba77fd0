package dev.odestream.stream;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import dev.odestream.json.JsonShape;
import dev.odestream.ode.Finite;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.util.OptionalLong;
import java.util.Set;

/**
 * The JSON form of an {@link Event} ({@code schemas/event.schema.json}):
 * <pre>{"time": 1763900000125 | "2025-11-23T12:13:20.125Z", "values": [0.5, -1.2] | null,
 *  "mask": [true, false], "type": 0}</pre>
 * {@code time} and {@code values} (JSON null for a pure point event) are required, {@code mask} and {@code type}
 * (default 0) are optional, and nothing else is allowed, so that a misspelt field is an error rather than a silent
 * point event. Only when the engine takes event time from the record timestamp may {@code time} be left out.
 * An ISO-8601 time needs an offset; it is kept to the millisecond (truncated).
 *
 * <p>{@link #parse} separates the failures the engine routes differently: {@code malformed-json},
 * {@code schema-violation} and {@code non-finite} (a NaN or infinite number anywhere in {@code values}, even
 * masked out, or in {@code time}). It does not know the model, so dimension and event-type limits are checked later.
 */
public final class EventJson {

    private static final Set<String> FIELDS = Set.of("time", "values", "mask", "type");

    private EventJson() {
    }

    /**
     * Parses one event.
     *
     * @param json the record value
     * @param recordTime the record timestamp when the engine takes event time from it (the {@code time} field, if
     *     present, is then checked but not used); empty when the {@code time} field is the event time and required
     * @throws InvalidEventException with reason {@code malformed-json}, {@code schema-violation} or
     *     {@code non-finite}
     */
    public static Event parse(byte[] json, OptionalLong recordTime) throws InvalidEventException {
        JsonNode root;
        try {
            root = JsonShape.parse(json);
        } catch (JsonShape.MalformedException e) {
            throw new InvalidEventException(RejectReason.MALFORMED_JSON, e.getMessage());
        }
        try {
            return read(root, recordTime);
        } catch (JsonShape.ShapeException e) {
            throw new InvalidEventException(RejectReason.SCHEMA_VIOLATION, e.getMessage());
        }
    }

    private static Event read(JsonNode root, OptionalLong recordTime)
            throws JsonShape.ShapeException, InvalidEventException {
        JsonShape.object(root, "$", FIELDS);
        JsonNode timeNode = root.get("time");
        if (timeNode == null && recordTime.isEmpty()) {
            throw new JsonShape.ShapeException("$", "missing required field 'time'");
        }
        long time = timeNode == null ? recordTime.getAsLong() : time(timeNode);
        double[] values = values(JsonShape.required(root, "values", "$"));
        boolean[] mask = mask(root.get("mask"), values);
        int type = type(root.get("type"));
        return new Event(recordTime.orElse(time), values, mask, type);
    }

    private static long time(JsonNode node) throws JsonShape.ShapeException, InvalidEventException {
        if (node.isTextual()) {
            return isoTime(node.textValue());
        }
        if (node.isNumber() && !Double.isFinite(node.doubleValue())) {
            throw new InvalidEventException(RejectReason.NON_FINITE, "$.time: " + node.doubleValue());
        }
        if (!node.isNumber()) {
            throw new JsonShape.ShapeException("$.time", "expected epoch milliseconds (integer) or an ISO-8601"
                    + " string, got " + JsonShape.describe(node));
        }
        return JsonShape.integer(node, "$.time");
    }

    private static long isoTime(String text) throws JsonShape.ShapeException {
        try {
            return OffsetDateTime.parse(text, DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant().toEpochMilli();
        } catch (DateTimeException | ArithmeticException e) {
            throw new JsonShape.ShapeException("$.time", "not an ISO-8601 date-time with an offset: '" + text + "'");
        }
    }

    private static double[] values(JsonNode node) throws JsonShape.ShapeException, InvalidEventException {
        if (node.isNull()) {
            return null;
        }
        double[] values = JsonShape.numbers(node, "$.values");
        if (values.length == 0) {
            throw new JsonShape.ShapeException("$.values", "empty; use null for a point event");
        }
        int d = Finite.firstNonFinite(values);
        if (d >= 0) {
            throw new InvalidEventException(RejectReason.NON_FINITE, "$.values[" + d + "]: " + values[d]);
        }
        return values;
    }

    private static boolean[] mask(JsonNode node, double[] values) throws JsonShape.ShapeException {
        if (node == null) {
            return null;
        }
        if (values == null) {
            throw new JsonShape.ShapeException("$.mask", "a point event (values null) cannot have a mask");
        }
        JsonShape.array(node, "$.mask");
        if (node.size() != values.length) {
            throw new JsonShape.ShapeException("$.mask", "has " + node.size() + " entries for " + values.length
                    + " values");
        }
        boolean[] mask = new boolean[values.length];
        for (int d = 0; d < mask.length; d++) {
            JsonNode entry = node.get(d);
            if (!entry.isBoolean()) {
                throw new JsonShape.ShapeException("$.mask[" + d + "]", "expected a boolean, got "
                        + JsonShape.describe(entry));
            }
            mask[d] = entry.booleanValue();
        }
        return mask;
    }

    private static int type(JsonNode node) throws JsonShape.ShapeException {
        if (node == null) {
            return 0;
        }
        long type = JsonShape.integer(node, "$.type");
        if (type < 0 || type > Integer.MAX_VALUE) {
            throw new JsonShape.ShapeException("$.type", "must be a non-negative integer, got " + type);
        }
        return (int) type;
    }

    /**
     * Writes the canonical form: epoch-millisecond time, then values, mask (if any) and type.
     *
     * @throws IllegalArgumentException if a value is not finite, which JSON cannot carry
     */
    public static byte[] write(Event event) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(64 + 24 * event.dimension());
        try (JsonGenerator out = JsonShape.MAPPER.createGenerator(bytes)) {
            out.writeStartObject();
            out.writeNumberField("time", event.timeMs());
            writeValues(out, event);
            out.writeNumberField("type", event.type());
            out.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    private static void writeValues(JsonGenerator out, Event event) throws IOException {
        double[] values = event.values();
        if (values == null) {
            out.writeNullField("values");
            return;
        }
        if (!Finite.all(values)) {
            throw new IllegalArgumentException("JSON cannot carry non-finite values: " + event);
        }
        JsonShape.writeArray(out, "values", values);
        boolean[] mask = event.mask();
        if (mask != null) {
            out.writeArrayFieldStart("mask");
            for (boolean present : mask) {
                out.writeBoolean(present);
            }
            out.writeEndArray();
        }
    }

    /** @return the ISO-8601 form of an epoch-millisecond time, for messages. */
    static String iso(long timeMs) {
        return Instant.ofEpochMilli(timeMs).toString();
    }
}
