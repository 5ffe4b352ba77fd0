package dev.odestream.stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.odestream.model.ForecastPoint;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The schemas in {@code schemas/}, their examples, and agreement between the schemas and the engine's codecs. */
class SchemaExamplesTest {

    private static final Path SCHEMAS = Path.of("schemas");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> ENGINE_SCHEMAS = List.of("event", "forecast", "intensity", "dead-letter",
            "model-checkpoint", "forecast-request", "forecast-response");

    private static MiniSchema schema(String name) throws IOException {
        return MiniSchema.load(SCHEMAS.resolve(name + ".schema.json"));
    }

    private static List<Path> examples(String name) throws IOException {
        try (Stream<Path> files = Files.list(SCHEMAS.resolve("examples"))) {
            return files.filter(f -> belongsTo(f.getFileName().toString(), name)).sorted().toList();
        }
    }

    /** {@code forecast-request.json} is an example of {@code forecast-request}, not of {@code forecast}. */
    private static boolean belongsTo(String file, String name) {
        boolean matches = file.equals(name + ".json") || file.startsWith(name + "-");
        return matches && ENGINE_SCHEMAS.stream().noneMatch(other -> other.length() > name.length()
                && other.startsWith(name + "-") && belongsTo(file, other));
    }

    @Test
    void shouldValidateEveryExampleAgainstItsSchema() throws IOException {
        for (String name : ENGINE_SCHEMAS) {
            List<Path> examples = examples(name);
            assertFalse(examples.isEmpty(), "no example for " + name);
            MiniSchema schema = schema(name);
            for (Path example : examples) {
                assertEquals(List.of(), schema.validate(JSON.readTree(example.toFile())), example.toString());
            }
        }
    }

    @Test
    void shouldReadEveryExampleWithTheEnginesCodecs() throws Exception {
        for (Path example : examples("event")) {
            Event e = EventJson.parse(Files.readAllBytes(example), OptionalLong.empty());
            assertTrue(e.timeMs() > 1_700_000_000_000L, example.toString());
        }
        ForecastRecord forecast = RecordJson.readForecast(Files.readAllBytes(SCHEMAS.resolve("examples/forecast.json")));
        assertEquals(2, forecast.horizons().size());
        IntensityRecord intensity = RecordJson.readIntensity(
                Files.readAllBytes(SCHEMAS.resolve("examples/intensity.json")));
        assertEquals(17, intensity.eventCount());
    }

    @Test
    void shouldReadTheIsoExampleWithItsOffset() throws Exception {
        Event e = EventJson.parse(Files.readAllBytes(SCHEMAS.resolve("examples/event-iso-time.json")),
                OptionalLong.empty());
        // 12:13:20.125+01:00 is 11:13:20.125Z.
        assertEquals(java.time.Instant.parse("2025-11-23T11:13:20.125Z").toEpochMilli(), e.timeMs());
    }

    /** Each of these breaks the event schema; the schema and the engine's parser must both reject it. */
    @ParameterizedTest
    @ValueSource(strings = {
        "{\"values\": [1.0]}",
        "{\"time\": 5}",
        "{\"time\": 5, \"values\": []}",
        "{\"time\": 5, \"values\": [1, \"2\"]}",
        "{\"time\": 5, \"values\": [1, 2], \"mask\": [true, 1]}",
        "{\"time\": 5, \"values\": null, \"mask\": [true]}",
        "{\"time\": 5.5, \"values\": [1]}",
        "{\"time\": true, \"values\": [1]}",
        "{\"time\": 5, \"values\": [1], \"type\": -1}",
        "{\"time\": 5, \"values\": [1], \"type\": 1.5}",
        "{\"time\": 5, \"vaules\": [1]}",
        "[1, 2]",
        "null"
    })
    void shouldRejectSchemaViolationsInTheSchemaAndTheParserAlike(String json) throws IOException {
        assertFalse(schema("event").validate(JSON.readTree(json)).isEmpty(), "schema accepted " + json);
        InvalidEventException e = assertThrows(InvalidEventException.class,
                () -> EventJson.parse(json.getBytes(StandardCharsets.UTF_8), OptionalLong.empty()));
        assertEquals(RejectReason.SCHEMA_VIOLATION, e.reason(), e.getMessage());
    }

    @Test
    void shouldRejectAMaskLengthThatTheSchemaCannotExpress() {
        InvalidEventException e = assertThrows(InvalidEventException.class, () -> EventJson.parse(
                "{\"time\": 5, \"values\": [1, 2], \"mask\": [true]}".getBytes(StandardCharsets.UTF_8),
                OptionalLong.empty()));
        assertEquals(RejectReason.SCHEMA_VIOLATION, e.reason());
    }

    @Test
    void shouldValidateWhatTheWritersProduce() throws IOException {
        Event masked = new Event(1_763_900_000_125L, new double[] {0.1, -2.5e-9}, new boolean[] {true, false}, 2);
        assertValid("event", EventJson.write(masked));
        assertValid("event", EventJson.write(Event.point(-5, 0)));
        ForecastPoint h = new ForecastPoint(1_763_900_001_125L, new double[] {1, 2}, new double[] {0.1, 0.2},
                new double[] {0.5}, new double[] {0.4}, Math.exp(-0.4));
        assertValid("forecast", RecordJson.write(new ForecastRecord("s-1", 0, 1_763_900_000_125L,
                1_763_900_000_130L, 1, List.of(h, h))));
        assertValid("intensity", RecordJson.write(new IntensityRecord("s-1", 4, 10, 10, 3, new double[] {0.7},
                new double[] {0.0}, 1.0)));
        DeadLetter letter = new DeadLetter(RejectReason.NON_FINITE, "$.values[1]: NaN", "events", 0, 12, 99);
        assertEquals(List.of(), schema("dead-letter").validate(JSON.valueToTree(letter.headerMap())));
    }

    @Test
    void shouldDescribeEveryRejectReasonAndTheHeadersOfACutDeadLetter() throws IOException {
        for (RejectReason reason : RejectReason.values()) {
            DeadLetter letter = new DeadLetter(reason, "why", "events", 0, 12, 99);
            assertEquals(List.of(), schema("dead-letter").validate(JSON.valueToTree(letter.headerMap())),
                    reason.code());
        }
        DeadLetter letter = new DeadLetter(RejectReason.SERIES_ID_TOO_LONG, "long", "events", 0, 12, 99);
        org.apache.kafka.common.header.Headers original = new org.apache.kafka.common.header.internals.RecordHeaders()
                .add("blob", new byte[400_000]);
        DeadLetters.Cut cut = DeadLetters.cut(letter, original, new byte[700_000], new byte[900_000], 1_000_000);
        Map<String, String> headers = new java.util.LinkedHashMap<>();
        cut.headers().forEach(h -> headers.put(h.key(), new String(h.value(), StandardCharsets.UTF_8)));
        assertTrue(headers.keySet().containsAll(List.of(DeadLetter.ORIGINAL_KEY_SHA256,
                DeadLetter.ORIGINAL_VALUE_SHA256, DeadLetter.ORIGINAL_HEADERS_BYTES)), headers.keySet().toString());
        assertEquals(List.of(), schema("dead-letter").validate(JSON.valueToTree(headers)));
    }

    @ParameterizedTest
    @CsvSource({"odestream.reason, expired", "odestream.source.offset, twelve", "odestream.source.topic, ''",
        "odestream.original.value.sha256, xyz", "odestream.original.key.bytes, -1"})
    void shouldRejectBadDeadLetterHeaders(String header, String value) throws IOException {
        Map<String, String> headers = new java.util.LinkedHashMap<>(
                new DeadLetter(RejectReason.LATE, "late", "events", 0, 12, 99).headerMap());
        headers.put(header, value);
        assertFalse(schema("dead-letter").validate(JSON.valueToTree(headers)).isEmpty());
    }

    @Test
    void shouldRejectAnOutOfRangeProbabilityInAForecast() throws IOException {
        ObjectNode forecast = (ObjectNode) JSON.readTree(SCHEMAS.resolve("examples/forecast.json").toFile());
        ((ObjectNode) forecast.get("horizons").get(0)).put("pNoEvent", 1.5);
        assertFalse(schema("forecast").validate(forecast).isEmpty());
        ((ObjectNode) forecast.get("horizons").get(0)).remove("pNoEvent");
        assertFalse(schema("forecast").validate(forecast).isEmpty());
    }

    @Test
    void shouldValidateAWrittenEnvelopeAndRejectOneThatBreaksTheSchema() throws IOException {
        ObjectNode envelope = (ObjectNode) JSON.readTree(SCHEMAS.resolve("examples/model-checkpoint.json").toFile());
        assertValid("model-checkpoint", JSON.writeValueAsBytes(envelope));
        MiniSchema schema = schema("model-checkpoint");
        for (String field : List.of("format", "checkpoint")) {
            ObjectNode broken = envelope.deepCopy();
            broken.put(field, "not base64!");
            assertFalse(schema.validate(broken).isEmpty(), field);
        }
        ObjectNode noParent = envelope.deepCopy();
        ((ObjectNode) noParent.get("lineage")).remove("parentVersion");
        assertFalse(schema.validate(noParent).isEmpty());
        ObjectNode stringMetric = envelope.deepCopy();
        ((ObjectNode) stringMetric.get("lineage").get("heldOutMetrics")).put("heldout.rmse", "0.15");
        assertFalse(schema.validate(stringMetric).isEmpty());
    }

    @Test
    void shouldReadTheRequestAndResponseExamplesWithTheEnginesCodecs() throws Exception {
        ForecastRequest request = RequestJson.parseRequest(Files.readAllBytes(
                SCHEMAS.resolve("examples/forecast-request.json")));
        assertEquals(ForecastRequest.Kind.FORECAST, request.kind());
        assertEquals(3, request.horizonsMs().length);
        ForecastRequest at = RequestJson.parseRequest(Files.readAllBytes(
                SCHEMAS.resolve("examples/forecast-request-at.json")));
        assertEquals(java.time.Instant.parse("2025-11-23T12:13:50.125Z").toEpochMilli(), at.atMs()[1]);
        ForecastResponse ok = RequestJson.readResponse(Files.readAllBytes(
                SCHEMAS.resolve("examples/forecast-response.json")));
        assertEquals(2, ok.points().size());
        ForecastResponse missing = RequestJson.readResponse(Files.readAllBytes(
                SCHEMAS.resolve("examples/forecast-response-not-found.json")));
        assertEquals(ForecastResponse.Status.NOT_FOUND, missing.status());
    }

    @Test
    void shouldValidateTheResponsesTheWriterProduces() throws IOException {
        ForecastPoint h = new ForecastPoint(1_763_900_001_125L, new double[] {1, 2}, new double[] {0.1, 0.2},
                new double[] {0.5}, new double[] {0.4}, Math.exp(-0.4));
        SeriesSnapshot s = new SeriesSnapshot(2, 5, SeriesSnapshot.NO_BOUND, 0, new double[1], new double[1],
                List.of(Event.of(1_763_900_000_125L, 1.0)));
        for (ForecastRequest.Kind kind : ForecastRequest.Kind.values()) {
            assertValid("forecast-response", RequestJson.write(ForecastResponse.ok("c", "s", 2, kind, s,
                    List.of(h, h))));
        }
        for (ForecastResponse.Status status : List.of(ForecastResponse.Status.NOT_FOUND,
                ForecastResponse.Status.BAD_REQUEST, ForecastResponse.Status.ERROR)) {
            assertValid("forecast-response", RequestJson.write(ForecastResponse.failed("c", null, status, 2, "why")));
        }
    }

    @Test
    void shouldRejectAResponseThatMixesAnAnswerAndAnError() throws IOException {
        ObjectNode response = (ObjectNode) JSON.readTree(SCHEMAS.resolve("examples/forecast-response.json").toFile());
        response.put("error", "but also this");
        assertFalse(schema("forecast-response").validate(response).isEmpty());
        ObjectNode missing = (ObjectNode) JSON.readTree(
                SCHEMAS.resolve("examples/forecast-response-not-found.json").toFile());
        missing.put("tau", 5);
        assertFalse(schema("forecast-response").validate(missing).isEmpty());
    }

    /** Each breaks the request schema but has a correlation id: the schema rejects it and the parser answers it. */
    @ParameterizedTest
    @ValueSource(strings = {
        "{\"correlationId\": \"c\", \"at\": [5], \"horizons\": [5]}",
        "{\"correlationId\": \"c\", \"horizons\": [-5]}",
        "{\"correlationId\": \"c\", \"horizons\": []}",
        "{\"correlationId\": \"c\", \"at\": [true]}",
        "{\"correlationId\": \"c\", \"kind\": \"mean\"}",
        "{\"correlationId\": \"c\", \"horizon\": [5]}"
    })
    void shouldRejectRequestSchemaViolationsInTheSchemaAndTheParserAlike(String json) throws IOException {
        assertFalse(schema("forecast-request").validate(JSON.readTree(json)).isEmpty(), "schema accepted " + json);
        RequestJson.BadRequestException e = assertThrows(RequestJson.BadRequestException.class,
                () -> RequestJson.parseRequest(json.getBytes(StandardCharsets.UTF_8)));
        assertEquals("c", e.correlationId());
    }

    private static void assertValid(String schemaName, byte[] json) throws IOException {
        JsonNode tree = JSON.readTree(json);
        assertEquals(List.of(), schema(schemaName).validate(tree), new String(json, StandardCharsets.UTF_8));
    }
}
