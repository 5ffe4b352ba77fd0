package dev.odestream.stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
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
            "model-checkpoint");

    private static MiniSchema schema(String name) throws IOException {
        return MiniSchema.load(SCHEMAS.resolve(name + ".schema.json"));
    }

    private static List<Path> examples(String name) throws IOException {
        try (Stream<Path> files = Files.list(SCHEMAS.resolve("examples"))) {
            return files.filter(f -> {
                String file = f.getFileName().toString();
                return file.equals(name + ".json") || file.startsWith(name + "-");
            }).sorted().toList();
        }
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
        HorizonForecast h = new HorizonForecast(1_763_900_001_125L, new double[] {1, 2}, new double[] {0.1, 0.2},
                new double[] {0.5}, new double[] {0.4}, Math.exp(-0.4));
        assertValid("forecast", RecordJson.write(new ForecastRecord("s-1", 0, 1_763_900_000_125L,
                1_763_900_000_130L, 1, List.of(h, h))));
        assertValid("intensity", RecordJson.write(new IntensityRecord("s-1", 4, 10, 10, 3, new double[] {0.7},
                new double[] {0.0}, 1.0)));
        DeadLetter letter = new DeadLetter(RejectReason.NON_FINITE, "$.values[1]: NaN", "events", 0, 12, 99);
        assertEquals(List.of(), schema("dead-letter").validate(JSON.valueToTree(letter.headerMap())));
    }

    @ParameterizedTest
    @CsvSource({"odestream.reason, expired", "odestream.source.offset, twelve", "odestream.source.topic, ''"})
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

    private static void assertValid(String schemaName, byte[] json) throws IOException {
        JsonNode tree = JSON.readTree(json);
        assertEquals(List.of(), schema(schemaName).validate(tree), new String(json, StandardCharsets.UTF_8));
    }
}
