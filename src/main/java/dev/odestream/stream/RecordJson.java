package dev.odestream.stream;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import dev.odestream.json.JsonShape;
import dev.odestream.model.ForecastPoint;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The JSON forms of the engine's outputs, {@link ForecastRecord} ({@code schemas/forecast.schema.json}) and
 * {@link IntensityRecord} ({@code schemas/intensity.schema.json}). Times are epoch milliseconds; numbers are written
 * in the shortest form that reads back to the same double, so a round trip is exact.
 */
public final class RecordJson {

    private static final Set<String> FORECAST_FIELDS = Set.of("series", "modelVersion", "source", "tau", "issuedAt",
            "eventCount", "horizons");
    private static final Set<String> HORIZON_FIELDS = Set.of("time", "mean", "std", "lambda", "expectedCount",
            "pNoEvent");
    private static final Set<String> INTENSITY_FIELDS = Set.of("series", "modelVersion", "source", "tau", "time",
            "eventCount", "lambda", "expectedCount", "pNoEvent");

    private RecordJson() {
    }

    /**
     * @throws IllegalArgumentException if a number is not finite, which JSON cannot carry
     */
    public static byte[] write(ForecastRecord record) {
        for (ForecastPoint h : record.horizons()) {
            requireFinite(h.isFinite(), record);
        }
        return write(out -> {
            out.writeStringField("series", record.series());
            out.writeNumberField("modelVersion", record.modelVersion());
            out.writeStringField("source", record.source().code());
            out.writeNumberField("tau", record.tauMs());
            out.writeNumberField("issuedAt", record.issuedAtMs());
            out.writeNumberField("eventCount", record.eventCount());
            out.writeArrayFieldStart("horizons");
            for (ForecastPoint h : record.horizons()) {
                writeHorizon(out, h);
            }
            out.writeEndArray();
        });
    }

    /**
     * @throws IllegalArgumentException if a number is not finite, which JSON cannot carry
     */
    public static byte[] write(IntensityRecord record) {
        requireFinite(record.isFinite(), record);
        return write(out -> {
            out.writeStringField("series", record.series());
            out.writeNumberField("modelVersion", record.modelVersion());
            out.writeStringField("source", record.source().code());
            out.writeNumberField("tau", record.tauMs());
            out.writeNumberField("time", record.timeMs());
            out.writeNumberField("eventCount", record.eventCount());
            JsonShape.writeArray(out, "lambda", record.lambda());
            JsonShape.writeArray(out, "expectedCount", record.expectedCount());
            out.writeNumberField("pNoEvent", record.pNoEvent());
        });
    }

    /**
     * @throws IllegalArgumentException naming the path of the first field that does not fit
     */
    public static ForecastRecord readForecast(byte[] json) {
        try {
            JsonNode root = JsonShape.object(JsonShape.parse(json), "$", FORECAST_FIELDS);
            JsonNode horizons = JsonShape.array(JsonShape.required(root, "horizons", "$"), "$.horizons");
            List<ForecastPoint> list = new ArrayList<>(horizons.size());
            for (int i = 0; i < horizons.size(); i++) {
                list.add(readHorizon(horizons.get(i), "$.horizons[" + i + "]"));
            }
            return new ForecastRecord(JsonShape.text(JsonShape.required(root, "series", "$"), "$.series"),
                    integer(root, "modelVersion", "$"), integer(root, "tau", "$"), integer(root, "issuedAt", "$"),
                    integer(root, "eventCount", "$"), list, source(root));
        } catch (JsonShape.MalformedException | JsonShape.ShapeException e) {
            throw new IllegalArgumentException("not a forecast record: " + e.getMessage(), e);
        }
    }

    /**
     * @throws IllegalArgumentException naming the path of the first field that does not fit
     */
    public static IntensityRecord readIntensity(byte[] json) {
        try {
            JsonNode root = JsonShape.object(JsonShape.parse(json), "$", INTENSITY_FIELDS);
            return new IntensityRecord(JsonShape.text(JsonShape.required(root, "series", "$"), "$.series"),
                    integer(root, "modelVersion", "$"), integer(root, "tau", "$"), integer(root, "time", "$"),
                    integer(root, "eventCount", "$"), numbers(root, "lambda", "$"),
                    numbers(root, "expectedCount", "$"), number(root, "pNoEvent", "$"), source(root));
        } catch (JsonShape.MalformedException | JsonShape.ShapeException e) {
            throw new IllegalArgumentException("not an intensity record: " + e.getMessage(), e);
        }
    }

    private static ForecastPoint readHorizon(JsonNode node, String path) throws JsonShape.ShapeException {
        JsonShape.object(node, path, HORIZON_FIELDS);
        return new ForecastPoint(integer(node, "time", path), numbers(node, "mean", path),
                numbers(node, "std", path), numbers(node, "lambda", path), numbers(node, "expectedCount", path),
                number(node, "pNoEvent", path));
    }

    private static void writeHorizon(JsonGenerator out, ForecastPoint h) throws IOException {
        out.writeStartObject();
        out.writeNumberField("time", (long) h.time());
        JsonShape.writeArray(out, "mean", h.mean());
        JsonShape.writeArray(out, "std", h.std());
        JsonShape.writeArray(out, "lambda", h.intensity());
        JsonShape.writeArray(out, "expectedCount", h.expectedCount());
        out.writeNumberField("pNoEvent", h.probabilityNoEvent());
        out.writeEndObject();
    }

    /** Records written before sources existed were all by a model. */
    static Source source(JsonNode root) throws JsonShape.ShapeException {
        JsonNode node = root.get("source");
        if (node == null) {
            return Source.MODEL;
        }
        try {
            return Source.fromCode(JsonShape.text(node, "$.source"));
        } catch (IllegalArgumentException e) {
            throw new JsonShape.ShapeException("$.source", e.getMessage());
        }
    }

    private static long integer(JsonNode object, String name, String path) throws JsonShape.ShapeException {
        return JsonShape.integer(JsonShape.required(object, name, path), path + "." + name);
    }

    private static double number(JsonNode object, String name, String path) throws JsonShape.ShapeException {
        return JsonShape.number(JsonShape.required(object, name, path), path + "." + name);
    }

    private static double[] numbers(JsonNode object, String name, String path) throws JsonShape.ShapeException {
        return JsonShape.numbers(JsonShape.required(object, name, path), path + "." + name);
    }

    private static void requireFinite(boolean finite, Object record) {
        if (!finite) {
            throw new IllegalArgumentException("JSON cannot carry non-finite numbers: " + record);
        }
    }

    private interface Body {
        void write(JsonGenerator out) throws IOException;
    }

    private static byte[] write(Body body) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(256);
        try (JsonGenerator out = JsonShape.MAPPER.createGenerator(bytes)) {
            out.writeStartObject();
            body.write(out);
            out.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }
}
