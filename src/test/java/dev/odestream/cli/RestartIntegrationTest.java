package dev.odestream.cli;

import dev.odestream.metrics.EngineMetrics;
import dev.odestream.metrics.Registries;
import dev.odestream.query.QueryServer;
import dev.odestream.query.StreamsBackend;
import dev.odestream.stream.Engine;
import dev.odestream.stream.EngineConfig;
import dev.odestream.stream.EngineFixture;
import dev.odestream.stream.Event;
import dev.odestream.stream.EventJson;
import dev.odestream.stream.TestCluster;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;
import org.apache.kafka.streams.state.HostInfo;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
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
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * An engine restarted while the group still holds the members of its stopped run, on a real broker: startup waits
 * (and says so) through the rebalance instead of giving up, readiness stays 503 until the engine processes, and
 * liveness stays 200 throughout. An engine that fails or stops is reported at once.
 */
@Tag("integration")
class RestartIntegrationTest {

    /** The broker's smallest session timeout is 6 s; the old members are dropped after this. */
    private static final int SESSION_TIMEOUT_MS = 8_000;

    private static TestCluster cluster;
    private final HttpClient http = HttpClient.newHttpClient();

    @TempDir
    Path dir;

    @BeforeAll
    static void startCluster() throws Exception {
        cluster = TestCluster.start();
        cluster.createTopics(EngineFixture.smallConfig().topics(), 2);
    }

    @AfterAll
    static void stopCluster() {
        cluster.close();
    }

    private record Instance(Engine engine, QueryServer http) implements AutoCloseable {
        @Override
        public void close() {
            http.close();
            engine.close();
        }
    }

    private Instance instance(Path stateDir) throws Exception {
        Properties props = Engine.streamsProperties("restart-test", cluster.bootstrapServers(), stateDir);
        props.put(StreamsConfig.consumerPrefix(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG), SESSION_TIMEOUT_MS);
        props.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, 100);
        EngineConfig config = EngineFixture.smallConfig();
        Engine engine = new Engine(config, props, new EngineMetrics(Registries.prometheus()));
        QueryServer server = QueryServer.start(new InetSocketAddress("localhost", 0),
                new StreamsBackend(engine.streams(), null), config, engine.metrics(), null, 2);
        return new Instance(engine, server);
    }

    private int status(Instance instance, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + instance.http().port() + path))
                .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void shouldWaitThroughTheRebalanceOfARestartAndBeReadyOnlyWhenItProcesses() throws Exception {
        try (Instance first = instance(dir.resolve("first"))) {
            first.engine().start();
            Main.awaitRunning(first.engine().streams(), Duration.ofSeconds(1), line -> { });
            assertEquals(200, status(first, "/health/ready"));
        }
        // Closed without leaving the group (Kafka Streams' default): its member stays until its session times out.
        try (Instance second = instance(dir.resolve("second"))) {
            assertEquals(503, status(second, "/health/ready"), "created, not started: not ready");
            assertEquals(200, status(second, "/health/live"), "created, not started: alive");
            second.engine().start();
            List<String> log = new CopyOnWriteArrayList<>();
            AtomicReference<Throwable> failed = new AtomicReference<>();
            Thread waiter = Thread.ofVirtual().start(() -> {
                try {
                    Main.awaitRunning(second.engine().streams(), Duration.ofSeconds(1), log::add);
                } catch (Throwable e) {
                    failed.set(e);
                }
            });
            int rebalancingChecks = 0;
            while (waiter.isAlive()) {
                KafkaStreams.State before = second.engine().streams().state();
                int ready = status(second, "/health/ready");
                int health = status(second, "/health");
                int live = status(second, "/health/live");
                if (before == KafkaStreams.State.REBALANCING
                        && second.engine().streams().state() == KafkaStreams.State.REBALANCING) {
                    assertEquals(503, ready, "rebalancing, nothing processed: not ready");
                    assertEquals(503, health, "/health is readiness");
                    assertEquals(200, live, "rebalancing: alive");
                    rebalancingChecks++;
                }
                Thread.sleep(200);
            }
            assertEquals(null, failed.get(), "awaitRunning gave up");
            assertTrue(rebalancingChecks >= 5, "the restart rebalanced for " + rebalancingChecks + " checks");
            assertTrue(log.stream().anyMatch(l -> l.contains("waiting for the engine to join its group: REBALANCING")),
                    log.toString());
            assertEquals(200, status(second, "/health/ready"));
            try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of("bootstrap.servers",
                    cluster.bootstrapServers()), new ByteArraySerializer(), new ByteArraySerializer())) {
                producer.send(new ProducerRecord<>("events", "r1".getBytes(StandardCharsets.UTF_8),
                        EventJson.write(Event.of(System.currentTimeMillis(), 0.1, 0.2)))).get();
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (status(second, "/v1/series/r1") != 200) {
                assertTrue(System.nanoTime() < deadline, "a ready engine processes an event");
                Thread.sleep(100);
            }
        }
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void shouldStopWaitingAtOnceWhenTheEngineFailsOrStops() throws Exception {
        // A source topic that does not exist stops the stream thread during its first rebalance.
        StreamsBuilder builder = new StreamsBuilder();
        builder.stream("no-such-topic").foreach((k, v) -> { });
        Properties props = Engine.streamsProperties("restart-fail", cluster.bootstrapServers(), dir.resolve("fail"));
        props.put(StreamsConfig.DEFAULT_KEY_SERDE_CLASS_CONFIG, Serdes.ByteArraySerde.class);
        props.put(StreamsConfig.DEFAULT_VALUE_SERDE_CLASS_CONFIG, Serdes.ByteArraySerde.class);
        try (KafkaStreams failing = new KafkaStreams(builder.build(), props)) {
            failing.setUncaughtExceptionHandler(e -> StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse
                    .SHUTDOWN_CLIENT);
            failing.start();
            Main.EngineStoppedException e = assertThrows(Main.EngineStoppedException.class,
                    () -> Main.awaitRunning(failing, Duration.ofSeconds(1), line -> { }));
            assertTrue(e.getMessage().contains("failed") && e.getMessage().contains("ERROR"), e.getMessage());
        }
        Properties stopped = Engine.streamsProperties("restart-stop", cluster.bootstrapServers(), dir.resolve("stop"));
        StreamsBuilder reader = new StreamsBuilder();
        reader.stream("events").foreach((k, v) -> { });
        KafkaStreams stopping = new KafkaStreams(reader.build(), stopped);
        stopping.close();
        Main.EngineStoppedException e = assertThrows(Main.EngineStoppedException.class,
                () -> Main.awaitRunning(stopping, Duration.ofSeconds(1), line -> { }));
        assertTrue(e.getMessage().contains("stopped") && e.getMessage().contains("NOT_RUNNING"), e.getMessage());
    }
}
