package dev.odestream.stream;

import dev.odestream.model.ForecastPoint;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

import static dev.odestream.stream.EngineFixture.T0;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Forecast requests on the request topic and their answers, one behaviour per test, on a TopologyTestDriver. */
class ForecastRequestTest {

    private static final long TAU = T0 - 1_000;

    @TempDir
    Path stateDir;

    private EngineFixture engine() {
        EngineFixture engine = new EngineFixture(EngineFixture.smallConfig(), stateDir);
        engine.send("s-1", Event.of(TAU - 2_000, 0.3, -0.1));
        engine.send("s-1", new Event(TAU, new double[] {0.5, 0.4}, null, 1));
        engine.forecasts();
        return engine;
    }

    private static ForecastResponse only(EngineFixture engine) {
        List<TestRecord<String, byte[]>> responses = engine.responses();
        assertEquals(1, responses.size());
        ForecastResponse r = RequestJson.readResponse(responses.getFirst().value());
        assertEquals(r.series(), responses.getFirst().key(), "keyed by the series id");
        return r;
    }

    @Test
    void shouldAnswerHorizonsWithWhatTheTopologyPublishedForTheSameTimes() {
        try (EngineFixture engine = engine()) {
            engine.send("s-1", Event.of(TAU + 500, 0.2, 0.2));
            ForecastRecord published = engine.forecasts().getLast();
            engine.request("s-1", "{\"correlationId\": \"c-1\", \"horizons\": [15000, 1000, 5000]}");
            ForecastResponse r = only(engine);
            assertEquals(ForecastResponse.Status.OK, r.status(), r.error());
            assertEquals("c-1", r.correlationId());
            assertEquals("s-1", r.series());
            assertEquals(0, r.modelVersion());
            assertEquals(ForecastRequest.Kind.FORECAST, r.kind());
            assertEquals(TAU + 500, r.tauMs());
            assertEquals(3, r.eventCount());
            assertEquals(published.horizons(), r.points());
            assertEquals(1, engine.metrics.topicQueries("ok"));
        }
    }

    @Test
    void shouldAnswerAnIntensityRequestAtTheLastEventWithoutMeanOrSpread() {
        try (EngineFixture engine = engine()) {
            IntensityRecord published = engine.intensities().getLast();
            engine.request("s-1", "{\"correlationId\": \"c-2\", \"kind\": \"intensity\"}");
            ForecastResponse r = only(engine);
            assertEquals(ForecastRequest.Kind.INTENSITY, r.kind());
            ForecastPoint p = r.points().getFirst();
            assertEquals(TAU, p.time());
            assertArrayEquals(published.lambda(), p.intensity(), 0.0);
            assertArrayEquals(published.expectedCount(), p.expectedCount(), 0.0);
            assertEquals(0, p.mean().length);
        }
    }

    @Test
    void shouldAnswerAnUnknownSeriesWithNotFound() {
        try (EngineFixture engine = engine()) {
            engine.request("s-404", "{\"correlationId\": \"c-3\", \"horizons\": [1000]}");
            ForecastResponse r = only(engine);
            assertEquals(ForecastResponse.Status.NOT_FOUND, r.status());
            assertEquals("s-404", r.series());
            assertTrue(r.error().contains("s-404"), r.error());
            assertTrue(r.points().isEmpty());
            assertEquals(1, engine.metrics.topicQueries("not_found"));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "{\"correlationId\": \"c\"}",
        "{\"correlationId\": \"c\", \"horizons\": [1000], \"at\": [TAU]}",
        "{\"correlationId\": \"c\", \"horizons\": [-1]}",
        "{\"correlationId\": \"c\", \"horizons\": []}",
        "{\"correlationId\": \"c\", \"horizons\": [\"5s\"]}",
        "{\"correlationId\": \"c\", \"horizons\": [86400001]}",
        "{\"correlationId\": \"c\", \"at\": [TAU_MINUS_1]}",
        "{\"correlationId\": \"c\", \"at\": [\"yesterday\"]}",
        "{\"correlationId\": \"c\", \"horizons\": [1000], \"kind\": \"mean\"}",
        "{\"correlationId\": \"c\", \"horizons\": [1000], \"horizon\": 5}"
    })
    void shouldAnswerABadRequestWithItsCorrelationIdAndWhatIsWrong(String template) {
        String json = template.replace("TAU_MINUS_1", Long.toString(TAU - 1)).replace("TAU", Long.toString(TAU));
        try (EngineFixture engine = engine()) {
            engine.request("s-1", json);
            ForecastResponse r = only(engine);
            assertEquals(ForecastResponse.Status.BAD_REQUEST, r.status(), json);
            assertEquals("c", r.correlationId());
            assertTrue(!r.error().isBlank());
            assertEquals(1, engine.metrics.topicQueries("bad_request"));
            assertTrue(engine.deadLetters().isEmpty());
        }
    }

    @Test
    void shouldAnswerARequestWhoseKeyIsNotASeriesIdWithABadRequestWithoutSeries() {
        try (EngineFixture engine = engine()) {
            engine.request(new byte[] {(byte) 0xC3, 0x28}, "{\"correlationId\": \"c-5\", \"horizons\": [1000]}");
            ForecastResponse r = only(engine);
            assertEquals(ForecastResponse.Status.BAD_REQUEST, r.status());
            assertNull(r.series());
            assertTrue(r.error().contains("UTF-8"), r.error());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"{\"correlationId\": 17, \"horizons\": [1000]}", "{\"horizons\": [1000]}",
        "{\"correlationId\": \"\"}", "[\"c\"]", "{\"correlationId\": \"c\""})
    void shouldSendARequestWithoutAReadableCorrelationIdToTheDeadLetterTopic(String json) {
        try (EngineFixture engine = engine()) {
            engine.request("s-1", json);
            List<TestRecord<byte[], byte[]>> dlq = engine.deadLetters();
            assertEquals(1, dlq.size());
            assertArrayEquals(json.getBytes(StandardCharsets.UTF_8), dlq.getFirst().value());
            DeadLetter letter = DeadLetter.from(dlq.getFirst().headers());
            assertEquals(json.startsWith("{\"correlationId\": \"c\"") ? RejectReason.MALFORMED_JSON
                    : RejectReason.SCHEMA_VIOLATION, letter.reason(), letter.detail());
            assertEquals("forecast-requests", letter.sourceTopic());
            assertTrue(engine.responses().isEmpty());
            assertEquals(1, engine.metrics.topicQueries(ForecastRequestProcessor.DEAD_LETTER));
            assertEquals(0, engine.metrics.eventsRejected(), "requests are not events");
        }
    }

    @Test
    void shouldReadAbsoluteTimesAsEpochMillisecondsOrIsoAndAnswerInTimeOrder() {
        try (EngineFixture engine = engine()) {
            String iso = Instant.ofEpochMilli(TAU + 3_000).toString();
            engine.request("s-1", "{\"correlationId\": \"c-6\", \"at\": [" + (TAU + 7_000) + ", \"" + iso + "\", "
                    + (TAU + 7_000) + "]}");
            ForecastResponse r = only(engine);
            assertEquals(List.of(TAU + 3_000, TAU + 7_000), r.points().stream().map(p -> (long) p.time())
                    .toList());
        }
    }
}
