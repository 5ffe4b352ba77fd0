package dev.odestream.stream;

import dev.odestream.metrics.EngineMetrics;
import dev.odestream.query.QueryServer;
import dev.odestream.query.StreamsBackend;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.state.HostInfo;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The engine on a real in-process KRaft broker: events in, forecasts out exactly once, and an HTTP query. */
@Tag("integration")
class EngineIntegrationTest {

    private static final int SERIES = 6;
    private static final int EVENTS_PER_SERIES = 8;

    @TempDir
    Path stateDir;

    @Test
    @Timeout(value = 90, unit = TimeUnit.SECONDS)
    void shouldTurnEventsIntoOneCommittedForecastEachServeThemOverHttpAndSetBadRecordsAside() throws Exception {
        EngineConfig config = EngineFixture.smallConfig();
        int port = freePort();
        try (TestCluster cluster = TestCluster.start()) {
            cluster.createTopics(config.topics(), 2);
            Properties props = Engine.streamsProperties("engine-it", cluster.bootstrapServers(), stateDir);
            props.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, 100);
            props.put(StreamsConfig.APPLICATION_SERVER_CONFIG, "localhost:" + port);
            EngineMetrics metrics = EngineMetrics.inMemory();
            try (Engine engine = new Engine(config, props, metrics);
                 QueryServer http = QueryServer.start(new InetSocketAddress("localhost", port),
                         new StreamsBackend(engine.streams(), new HostInfo("localhost", port)), config, metrics,
                         null, 2)) {
                engine.start();
                produce(cluster.bootstrapServers(), config.topics().events());
                List<ConsumerRecord<String, byte[]>> forecasts = consume(cluster.bootstrapServers(),
                        config.topics().forecasts(), SERIES * EVENTS_PER_SERIES);
                checkForecasts(forecasts);
                List<ConsumerRecord<String, byte[]>> dlq = consume(cluster.bootstrapServers(),
                        config.topics().deadLetters(), 1);
                assertEquals(RejectReason.MALFORMED_JSON, DeadLetter.from(dlq.getFirst().headers()).reason());
                assertEquals(SERIES * EVENTS_PER_SERIES + 1, engine.metrics().eventsIn());
                ForecastRecord last = forecasts.stream().map(r -> RecordJson.readForecast(r.value()))
                        .filter(f -> f.series().equals("series-3") && f.eventCount() == EVENTS_PER_SERIES)
                        .findFirst().orElseThrow();
                ForecastRecord queried = query(http.port(), "series-3");
                assertEquals(last.horizons(), queried.horizons(), "the query forecasts from the stored state");
            }
        }
    }

    private static ForecastRecord query(int port, String series) throws Exception {
        HttpResponse<byte[]> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(
                "http://localhost:" + port + "/v1/series/" + series + "/forecast?horizon=1s,5s,15s")).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(200, response.statusCode(), new String(response.body(), StandardCharsets.UTF_8));
        return RecordJson.readForecast(response.body());
    }

    private static int freePort() throws java.io.IOException {
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static void produce(String bootstrap, String topic) {
        Map<String, Object> props = Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ProducerConfig.ACKS_CONFIG, "all");
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(props, new StringSerializer(),
                new ByteArraySerializer())) {
            long t0 = System.currentTimeMillis() - 60_000;
            for (int i = 0; i < EVENTS_PER_SERIES; i++) {
                for (int s = 0; s < SERIES; s++) {
                    Event e = Event.of(t0 + 1_000L * i + 37L * s, Math.sin(i + s), Math.cos(i));
                    producer.send(new ProducerRecord<>(topic, "series-" + s, EventJson.write(e)));
                }
            }
            producer.send(new ProducerRecord<>(topic, "series-0", "{oops".getBytes(StandardCharsets.UTF_8)));
            producer.flush();
        }
    }

    /** Reads with {@code read_committed} until {@code expected} records arrived, then a little longer for extras. */
    private static List<ConsumerRecord<String, byte[]>> consume(String bootstrap, String topic, int expected) {
        Map<String, Object> props = new HashMap<>();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ConsumerConfig.GROUP_ID_CONFIG, "check-" + topic);
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        List<ConsumerRecord<String, byte[]>> records = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(props, new StringDeserializer(),
                new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(topic));
            long extraUntil = Long.MAX_VALUE;
            while (System.currentTimeMillis() < extraUntil) {
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
                if (records.size() >= expected && extraUntil == Long.MAX_VALUE) {
                    extraUntil = System.currentTimeMillis() + 500;
                }
            }
        }
        return records;
    }

    private static void checkForecasts(List<ConsumerRecord<String, byte[]>> records) {
        assertEquals(SERIES * EVENTS_PER_SERIES, records.size(), "one forecast per event, no duplicates");
        Map<String, List<Long>> counts = new HashMap<>();
        for (ConsumerRecord<String, byte[]> r : records) {
            ForecastRecord f = RecordJson.readForecast(r.value());
            assertEquals(r.key(), f.series());
            assertEquals(0, f.modelVersion());
            assertEquals(3, f.horizons().size());
            assertTrue(f.horizons().getFirst().probabilityNoEvent() <= 1.0);
            counts.computeIfAbsent(f.series(), k -> new ArrayList<>()).add(f.eventCount());
        }
        List<Long> expected = java.util.stream.LongStream.rangeClosed(1, EVENTS_PER_SERIES).boxed().toList();
        for (int s = 0; s < SERIES; s++) {
            assertEquals(expected, counts.get("series-" + s), "series-" + s + " in order, each event once");
        }
    }
}
