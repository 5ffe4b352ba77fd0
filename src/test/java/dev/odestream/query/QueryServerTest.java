package dev.odestream.query;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.odestream.metrics.EngineMetrics;
import dev.odestream.stream.Engine;
import dev.odestream.stream.EngineConfig;
import dev.odestream.stream.EngineFixture;
import dev.odestream.stream.EngineTopology;
import dev.odestream.stream.Event;
import dev.odestream.stream.ForecastRecord;
import dev.odestream.stream.ForecastResponse;
import dev.odestream.stream.IntensityRecord;
import dev.odestream.stream.RecordJson;
import dev.odestream.stream.RequestJson;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.state.HostInfo;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

import static dev.odestream.stream.EngineFixture.T0;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The HTTP API on a real server, over the stores of the real topology (TopologyTestDriver). */
class QueryServerTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long TAU = T0 - 1_000;

    @TempDir
    Path stateDir;

    private final HttpClient http = HttpClient.newHttpClient();
    private final PrometheusMeterRegistry prometheus = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final EngineMetrics metrics = new EngineMetrics(prometheus);
    private EngineFixture engine;
    private QueryServer server;

    @BeforeEach
    void start() throws Exception {
        engine = new EngineFixture(EngineFixture.smallConfig(), stateDir, metrics);
        engine.send("s/1", Event.of(TAU - 2_000, 0.3, -0.1));
        engine.send("s/1", new Event(TAU, new double[] {0.5, 0.4}, null, 1));
        server = serve(new DriverBackend(engine.driver));
    }

    private QueryServer serve(QueryBackend backend) throws Exception {
        return QueryServer.start(new InetSocketAddress("localhost", 0), backend, engine.config, metrics, prometheus,
                2);
    }

    @AfterEach
    void stop() {
        server.close();
        engine.close();
    }

    private HttpResponse<String> get(QueryServer target, String pathAndQuery) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + target.port() + pathAndQuery)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> get(String pathAndQuery) throws Exception {
        return get(server, pathAndQuery);
    }

    @Test
    void shouldAnswerAHorizonQueryWithWhatTheTopologyPublishedForTheSameHorizons() throws Exception {
        ForecastRecord published = engine.forecasts().getLast();
        HttpResponse<String> response = get("/v1/series/s%2F1/forecast?horizon=1s,5000,PT15S");
        assertEquals(200, response.statusCode(), response.body());
        assertEquals("application/json", response.headers().firstValue("Content-Type").orElseThrow());
        ForecastRecord answered = RecordJson.readForecast(response.body().getBytes(StandardCharsets.UTF_8));
        assertEquals(published.horizons(), answered.horizons());
        assertEquals(new ForecastRecord("s/1", 0, TAU, answered.issuedAtMs(), 2, published.horizons()), answered);
    }

    @Test
    void shouldAnswerTheRequestTopicWithThePointsTheHttpEndpointGives() throws Exception {
        String iso = Instant.ofEpochMilli(TAU + 3_000).toString();
        ForecastRecord http = RecordJson.readForecast(get("/v1/series/s%2F1/forecast?at=" + (TAU + 7_000) + ","
                + iso + "," + TAU).body().getBytes(StandardCharsets.UTF_8));
        engine.request("s/1", "{\"correlationId\": \"c-1\", \"at\": [" + (TAU + 7_000) + ", \"" + iso + "\", "
                + TAU + "]}");
        ForecastResponse topic = RequestJson.readResponse(engine.responses().getFirst().value());
        assertEquals(ForecastResponse.Status.OK, topic.status(), topic.error());
        assertEquals(http.horizons(), topic.points());
        assertEquals(http.modelVersion(), topic.modelVersion());
        assertEquals(http.tauMs(), topic.tauMs());
        assertEquals(http.eventCount(), topic.eventCount());
    }

    @Test
    void shouldSortAbsoluteTimesGivenAsEpochMillisecondsOrIso() throws Exception {
        String iso = Instant.ofEpochMilli(TAU + 3_000).toString();
        ForecastRecord answered = RecordJson.readForecast(get("/v1/series/s%2F1/forecast?at=" + (TAU + 7_000) + ","
                + iso + "," + TAU).body().getBytes(StandardCharsets.UTF_8));
        assertEquals(List.of(TAU, TAU + 3_000, TAU + 7_000),
                answered.horizons().stream().map(h -> (long) h.time()).toList());
        assertEquals(1.0, answered.horizons().getFirst().probabilityNoEvent(), 0.0);
    }

    @Test
    void shouldAnswerTheIntensityAtTheLastEventAsPublished() throws Exception {
        IntensityRecord published = engine.intensities().getLast();
        JsonNode answered = JSON.readTree(get("/v1/series/s%2F1/intensity").body());
        assertEquals(1, answered.size());
        assertEquals(published, RecordJson.readIntensity(JSON.writeValueAsBytes(answered.get(0))));
    }

    @Test
    void shouldSummariseTheStoredState() throws Exception {
        JsonNode summary = JSON.readTree(get("/v1/series/s%2F1").body());
        assertEquals(2, summary.get("events").asLong());
        assertEquals(TAU, summary.get("tau").asLong());
        assertEquals(2, summary.get("ringSize").asInt());
        assertTrue(summary.get("replayableFrom").isNull());
        assertEquals(T0, summary.get("seenAt").asLong(), "the driver's wall clock when the events arrived");
        IntensityRecord published = engine.intensities().getLast();
        assertEquals(TAU, summary.get("intensity").get("time").asLong());
        assertEquals(published.lambda()[1], summary.get("intensity").get("lambda").get(1).asDouble(), 0.0);
    }

    @ParameterizedTest
    @ValueSource(strings = {"/v1/series/s%2F1/forecast", "/v1/series/s%2F1/forecast?at=0",
        "/v1/series/s%2F1/forecast?horizon=soon", "/v1/series/s%2F1/forecast?horizon=1s&at=5",
        "/v1/series/s%2F1/forecast?horizon=-1s", "/v1/series//forecast?horizon=1s",
        "/v1/series/s%2F1/forecast?horizon=1s&horizon=2s", "/v1/series/s%2F1/forecast?horizon=999999999999h"})
    void shouldAnswerABadRequestWithA400AndAJsonError(String pathAndQuery) throws Exception {
        HttpResponse<String> response = get(pathAndQuery);
        assertEquals(400, response.statusCode(), response.body());
        assertEquals(400, JSON.readTree(response.body()).get("status").asInt());
        assertTrue(JSON.readTree(response.body()).get("error").asText().length() > 5);
    }

    @Test
    void shouldAnswerUnknownSeriesAndEndpointsWith404AndOtherMethodsWith405() throws Exception {
        assertEquals(404, get("/v1/series/nope/forecast?horizon=1s").statusCode());
        assertEquals(404, get("/v1/series/nope").statusCode());
        assertEquals(404, get("/v2/anything").statusCode());
        HttpResponse<String> post = http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + server.port()
                + "/health")).POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(405, post.statusCode());
    }

    @Test
    void shouldAskTheClientToRetryWhileTheEngineCannotServe() throws Exception {
        try (KafkaStreams notStarted = new KafkaStreams(EngineTopology.build(engine.config, metrics),
                Engine.streamsProperties("query-test", "localhost:1", stateDir.resolve("streams")));
             QueryServer down = serve(new StreamsBackend(notStarted, null))) {
            HttpResponse<String> response = get(down, "/v1/series/s%2F1/forecast?horizon=1s");
            assertEquals(503, response.statusCode(), response.body());
            assertEquals("1", response.headers().firstValue("Retry-After").orElseThrow());
            HttpResponse<String> health = get(down, "/health");
            assertEquals(503, health.statusCode());
            assertEquals("CREATED", JSON.readTree(health.body()).get("state").asText());
        }
        assertEquals(200, get("/health").statusCode());
    }

    @Test
    void shouldFetchASeriesOwnedElsewhereFromItsOwnerOnce() throws Exception {
        HostInfo owner = new HostInfo("localhost", server.port());
        try (QueryServer front = serve(new DriverBackend(engine.driver, s -> new QueryBackend.Remote(owner)))) {
            HttpResponse<String> relayed = get(front, "/v1/series/s%2F1/forecast?horizon=1s");
            assertEquals(200, relayed.statusCode(), relayed.body());
            assertEquals(TAU, RecordJson.readForecast(relayed.body().getBytes(StandardCharsets.UTF_8)).tauMs());
            assertEquals(404, get(front, "/v1/series/nope").statusCode());
            HostInfo loop = new HostInfo("localhost", front.port());
            try (QueryServer confused = serve(new DriverBackend(engine.driver, s -> new QueryBackend.Remote(loop)))) {
                HttpResponse<String> moved = http.send(HttpRequest.newBuilder(URI.create("http://localhost:"
                        + confused.port() + "/v1/series/s%2F1")).header(QueryServer.FORWARDED, "1").build(),
                        HttpResponse.BodyHandlers.ofString());
                assertEquals(503, moved.statusCode());
            }
        }
    }

    @Test
    void shouldExposeEngineAndQueryMetricsInPrometheusFormat() throws Exception {
        get("/v1/series/s%2F1/forecast?horizon=1s");
        HttpResponse<String> scrape = get("/metrics");
        assertEquals(200, scrape.statusCode());
        assertTrue(scrape.headers().firstValue("Content-Type").orElseThrow().startsWith("text/plain"));
        String text = scrape.body();
        assertTrue(text.contains("odestream_events_in_total 2.0"), text);
        assertTrue(text.contains("odestream_query_latency_seconds_count{endpoint=\"forecast\",status=\"200\"} 1"),
                text);
        assertTrue(text.contains("odestream_update_latency_seconds_bucket"), text);
    }

    @Test
    void shouldExportTheSeriesCountModelTimeAndTopicQueriesInPrometheusFormat() throws Exception {
        engine.send("s/2", Event.of(TAU, 0.1, 0.2));
        engine.request("s/1", "{\"correlationId\": \"c-1\", \"horizons\": [1000]}");
        engine.request("nobody", "{\"correlationId\": \"c-2\", \"horizons\": [1000]}");
        engine.request("s/1", "{\"horizons\": [1000]}");
        String text = get("/metrics").body();
        assertEquals(2.0, sample(text, "odestream_series_count"), text);
        assertEquals(0.0, sample(text, "odestream_model_created_seconds"), text);
        assertEquals(1.0, sample(text, "odestream_queries_topic_total{status=\"ok\"}"), text);
        assertEquals(1.0, sample(text, "odestream_queries_topic_total{status=\"not_found\"}"), text);
        assertEquals(1.0, sample(text, "odestream_queries_topic_total{status=\"dead_letter\"}"), text);
        assertEquals(0.0, sample(text, "odestream_series_expired_total"), text);
    }

    /** @return the value of the sample line that starts with {@code name} and a space. */
    private static double sample(String prometheusText, String name) {
        return prometheusText.lines().filter(l -> l.startsWith(name + " ")).mapToDouble(
                l -> Double.parseDouble(l.substring(name.length() + 1).trim())).findFirst().orElse(Double.NaN);
    }

    @Test
    void shouldForecastWithTheNewestModelAfterASwap() throws Exception {
        dev.odestream.model.checkpoint.LoadedModel initial = dev.odestream.model.checkpoint.LoadedModel.initial(
                EngineFixture.smallModel(), 5);
        dev.odestream.model.checkpoint.LoadedModel v2 = new dev.odestream.model.checkpoint.LoadedModel(2, 5, initial.config(),
                initial.parameters());
        engine.publishModel(dev.odestream.model.checkpoint.CheckpointCodec.encode(v2.toCheckpoint(
                new dev.odestream.model.checkpoint.TrainingMetadata(Instant.EPOCH, java.util.OptionalLong.empty(),
                        new dev.odestream.model.checkpoint.DataRange(Instant.EPOCH, Instant.EPOCH, 0),
                        java.util.Map.of(), ""))));
        ForecastRecord answered = RecordJson.readForecast(get("/v1/series/s%2F1/forecast?horizon=1s").body()
                .getBytes(StandardCharsets.UTF_8));
        assertEquals(2, answered.modelVersion());
        assertEquals(0, engine.snapshot("s/1").modelVersion(), "a query re-encodes in memory, not in the store");
        EngineConfig config = engine.config;
        assertEquals(0, config.initialModel().version());
    }
}
