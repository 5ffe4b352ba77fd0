package dev.odestream.stream;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import dev.odestream.json.JsonShape;
import dev.odestream.model.ForecastPoint;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.DateTimeException;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The JSON forms of the request topic: {@link ForecastRequest} in ({@code schemas/forecast-request.schema.json}),
 * {@link ForecastResponse} out ({@code schemas/forecast-response.schema.json}).
 *
 * <pre>{"correlationId": "c-17", "horizons": [1000, 5000], "kind": "forecast"}
 *{"correlationId": "c-18", "at": [1763900000125, "2025-11-23T12:13:20.125Z"], "kind": "intensity"}</pre>
 *
 * A request whose correlation id cannot be read has nobody to answer: {@link #parseRequest} throws an
 * {@link InvalidEventException} ({@code malformed-json} or {@code schema-violation}) and the record goes to the
 * dead-letter topic. Anything else wrong throws a {@link BadRequestException} that carries the correlation id, so the
 * client gets a {@code bad_request} answer.
 */
public final class RequestJson {

    private static final Set<String> REQUEST_FIELDS = Set.of("correlationId", "at", "horizons", "kind");
    private static final Set<String> RESPONSE_FIELDS = Set.of("correlationId", "series", "status", "modelVersion", "source",
            "kind", "tau", "eventCount", "points", "error");
    private static final Set<String> POINT_FIELDS = Set.of("time", "mean", "std", "lambda", "expectedCount",
            "pNoEvent");

    /** A request with a readable correlation id that cannot be answered as asked. */
    public static final class BadRequestException extends Exception {
        private static final long serialVersionUID = 1L;

        private final String correlationId;

        BadRequestException(String correlationId, String message) {
            super(message);
            this.correlationId = correlationId;
        }

        /** @return the request's correlation id, for the answer. */
        public String correlationId() {
            return correlationId;
        }
    }

    private RequestJson() {
    }

    /**
     * @throws InvalidEventException when the correlation id cannot be read: the value is not JSON
     *     ({@code malformed-json}), or not an object with a non-empty string {@code correlationId}
     *     ({@code schema-violation})
     * @throws BadRequestException naming the field, for anything else that does not fit the schema
     */
    public static ForecastRequest parseRequest(byte[] json) throws InvalidEventException, BadRequestException {
        JsonNode root;
        try {
            root = JsonShape.parse(json);
        } catch (JsonShape.MalformedException e) {
            throw new InvalidEventException(RejectReason.MALFORMED_JSON, "forecast request: " + e.getMessage());
        }
        String correlationId = correlationId(root);
        try {
            JsonShape.object(root, "$", REQUEST_FIELDS);
            ForecastRequest.Kind kind = kind(root.get("kind"));
            long[] at = root.has("at") ? times(root.get("at"), "$.at", RequestJson::absolute) : null;
            long[] horizons = root.has("horizons") ? times(root.get("horizons"), "$.horizons", RequestJson::offset)
                    : null;
            if (at != null && horizons != null) {
                throw new JsonShape.ShapeException("$", "give either 'at' or 'horizons', not both");
            }
            return new ForecastRequest(correlationId, kind, at, horizons);
        } catch (JsonShape.ShapeException e) {
            throw new BadRequestException(correlationId, e.getMessage());
        }
    }

    private static String correlationId(JsonNode root) throws InvalidEventException {
        JsonNode id = root.isObject() ? root.get("correlationId") : null;
        if (id == null || !id.isTextual() || id.textValue().isEmpty()) {
            throw new InvalidEventException(RejectReason.SCHEMA_VIOLATION, "forecast request: $.correlationId:"
                    + " expected a non-empty string, got " + JsonShape.describe(id) + "; no one to answer");
        }
        return id.textValue();
    }

    private static ForecastRequest.Kind kind(JsonNode node) throws JsonShape.ShapeException {
        if (node == null) {
            return ForecastRequest.Kind.FORECAST;
        }
        String text = JsonShape.text(node, "$.kind");
        for (ForecastRequest.Kind k : ForecastRequest.Kind.values()) {
            if (k.code().equals(text)) {
                return k;
            }
        }
        throw new JsonShape.ShapeException("$.kind", "expected \"forecast\" or \"intensity\", got \"" + text + "\"");
    }

    private interface TimeReader {
        long read(JsonNode node, String path) throws JsonShape.ShapeException;
    }

    private static long[] times(JsonNode node, String path, TimeReader reader) throws JsonShape.ShapeException {
        JsonShape.array(node, path);
        if (node.isEmpty() || node.size() > ForecastTimes.MAX_TIMES) {
            throw new JsonShape.ShapeException(path, "give 1 to " + ForecastTimes.MAX_TIMES + " times, got "
                    + node.size());
        }
        long[] times = new long[node.size()];
        for (int i = 0; i < times.length; i++) {
            times[i] = reader.read(node.get(i), path + "[" + i + "]");
        }
        return times;
    }

    /** Epoch milliseconds or an ISO-8601 time with an offset, as event times are written. */
    private static long absolute(JsonNode node, String path) throws JsonShape.ShapeException {
        if (!node.isTextual()) {
            return JsonShape.integer(node, path);
        }
        try {
            return OffsetDateTime.parse(node.textValue(), DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant()
                    .toEpochMilli();
        } catch (DateTimeException | ArithmeticException e) {
            throw new JsonShape.ShapeException(path, "not an ISO-8601 date-time with an offset: '"
                    + node.textValue() + "'");
        }
    }

    private static long offset(JsonNode node, String path) throws JsonShape.ShapeException {
        long ms = JsonShape.integer(node, path);
        if (ms < 0) {
            throw new JsonShape.ShapeException(path, "a horizon must not be negative, got " + ms);
        }
        return ms;
    }

    /**
     * @throws IllegalArgumentException if a number is not finite, which JSON cannot carry
     */
    public static byte[] write(ForecastResponse r) {
        for (ForecastPoint p : r.points()) {
            if (!p.isFinite()) {
                throw new IllegalArgumentException("JSON cannot carry non-finite numbers: " + p);
            }
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(256);
        try (JsonGenerator out = JsonShape.MAPPER.createGenerator(bytes)) {
            out.writeStartObject();
            out.writeStringField("correlationId", r.correlationId());
            out.writeStringField("series", r.series());
            out.writeStringField("status", r.status().code());
            out.writeNumberField("modelVersion", r.modelVersion());
            if (r.status() == ForecastResponse.Status.OK) {
                writeAnswer(out, r);
            } else {
                out.writeArrayFieldStart("points");
                out.writeEndArray();
                out.writeStringField("error", r.error());
            }
            out.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    private static void writeAnswer(JsonGenerator out, ForecastResponse r) throws IOException {
        out.writeStringField("source", r.source().code());
        out.writeStringField("kind", r.kind().code());
        out.writeNumberField("tau", r.tauMs());
        out.writeNumberField("eventCount", r.eventCount());
        out.writeArrayFieldStart("points");
        for (ForecastPoint p : r.points()) {
            out.writeStartObject();
            out.writeNumberField("time", (long) p.time());
            if (r.kind() == ForecastRequest.Kind.FORECAST) {
                JsonShape.writeArray(out, "mean", p.mean());
                JsonShape.writeArray(out, "std", p.std());
            }
            JsonShape.writeArray(out, "lambda", p.intensity());
            JsonShape.writeArray(out, "expectedCount", p.expectedCount());
            out.writeNumberField("pNoEvent", p.probabilityNoEvent());
            out.writeEndObject();
        }
        out.writeEndArray();
    }

    /**
     * Reads a response, for clients and tests; an intensity point reads back with empty mean and spread.
     *
     * @throws IllegalArgumentException naming the path of the first field that does not fit
     */
    public static ForecastResponse readResponse(byte[] json) {
        try {
            JsonNode root = JsonShape.object(JsonShape.parse(json), "$", RESPONSE_FIELDS);
            ForecastResponse.Status status = ForecastResponse.Status.fromCode(text(root, "status"));
            JsonNode series = JsonShape.required(root, "series", "$");
            String id = series.isNull() ? null : JsonShape.text(series, "$.series");
            long version = JsonShape.integer(JsonShape.required(root, "modelVersion", "$"), "$.modelVersion");
            if (status != ForecastResponse.Status.OK) {
                return ForecastResponse.failed(text(root, "correlationId"), id, status, version, text(root, "error"));
            }
            ForecastRequest.Kind kind = ForecastRequest.Kind.valueOf(text(root, "kind").toUpperCase(
                    java.util.Locale.ROOT));
            JsonNode points = JsonShape.array(JsonShape.required(root, "points", "$"), "$.points");
            List<ForecastPoint> list = new ArrayList<>(points.size());
            for (int i = 0; i < points.size(); i++) {
                list.add(point(points.get(i), "$.points[" + i + "]"));
            }
            return new ForecastResponse(text(root, "correlationId"), id, status, version, kind,
                    JsonShape.integer(JsonShape.required(root, "tau", "$"), "$.tau"),
                    JsonShape.integer(JsonShape.required(root, "eventCount", "$"), "$.eventCount"), list, null,
                    RecordJson.source(root));
        } catch (JsonShape.MalformedException | JsonShape.ShapeException e) {
            throw new IllegalArgumentException("not a forecast response: " + e.getMessage(), e);
        }
    }

    private static ForecastPoint point(JsonNode node, String path) throws JsonShape.ShapeException {
        JsonShape.object(node, path, POINT_FIELDS);
        double[] none = new double[0];
        return new ForecastPoint(JsonShape.integer(JsonShape.required(node, "time", path), path + ".time"),
                node.has("mean") ? JsonShape.numbers(node.get("mean"), path + ".mean") : none,
                node.has("std") ? JsonShape.numbers(node.get("std"), path + ".std") : none,
                JsonShape.numbers(JsonShape.required(node, "lambda", path), path + ".lambda"),
                JsonShape.numbers(JsonShape.required(node, "expectedCount", path), path + ".expectedCount"),
                JsonShape.number(JsonShape.required(node, "pNoEvent", path), path + ".pNoEvent"));
    }

    private static String text(JsonNode root, String name) throws JsonShape.ShapeException {
        return JsonShape.text(JsonShape.required(root, name, "$"), "$." + name);
    }
}
