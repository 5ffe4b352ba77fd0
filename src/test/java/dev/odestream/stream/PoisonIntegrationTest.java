package dev.odestream.stream;

import dev.odestream.model.checkpoint.LoadedModel;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Collectors;

import static dev.odestream.stream.ClusterIo.await;
import static dev.odestream.stream.ClusterIo.readCommitted;
import static dev.odestream.stream.ClusterIo.sample;
import static dev.odestream.stream.ClusterIo.utf8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * No single record or checkpoint stops the engine, on a real broker: one run sends every record-level poison case
 * (a record just under 1 MiB, a 700,000-byte series id, event times at {@code Long.MIN_VALUE}, 0, year 1 and -1e18,
 * and the malformed kinds) and every bad checkpoint (garbage, a reused version number, a finite model that cannot
 * run), then checks that each went to the dead-letter topic with its reason or was refused once, that valid events
 * after them still get their forecasts from the model in use, that a restart serves the same model and numbers, and
 * that a tombstone means the initial model on every thread.
 */
@Tag("integration")
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class PoisonIntegrationTest {

    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final int JUST_UNDER_1_MIB = 1_048_000;
    private static TestCluster cluster;

    @TempDir
    Path stateDir;

    @BeforeAll
    static void startCluster() throws Exception {
        cluster = TestCluster.start();
    }

    @AfterAll
    static void stopCluster() {
        if (cluster != null) {
            cluster.close();
        }
    }

    /** A record sent to {@code events} and the reason it must be dead-lettered with. */
    private record Poison(byte[] key, byte[] value, RejectReason reason) {
    }

    private static byte[] event(long timeMs, int i) {
        return EventJson.write(Event.of(timeMs, Math.sin(i), Math.cos(i / 3.0)));
    }

    private static List<Poison> poison(long now) {
        byte[] big = new byte[JUST_UNDER_1_MIB];
        Arrays.fill(big, (byte) ' ');
        big[0] = '{';
        byte[] longId = new byte[700_000];
        Arrays.fill(longId, (byte) 'x');
        String values = ", \"values\": [1, 2]}";
        return List.of(
                new Poison(utf8("ok-0"), big, RejectReason.MALFORMED_JSON),
                new Poison(longId, event(now - 1_000, 1), RejectReason.SERIES_ID_TOO_LONG),
                new Poison(utf8("ok-0"), utf8("{\"time\": " + Long.MIN_VALUE + values), RejectReason.TOO_EARLY),
                new Poison(utf8("ok-1"), utf8("{\"time\": 0" + values), RejectReason.TOO_EARLY),
                new Poison(utf8("ok-2"), utf8("{\"time\": \"0001-01-01T00:00:00Z\"" + values), RejectReason.TOO_EARLY),
                new Poison(utf8("ok-3"), utf8("{\"time\": -1000000000000000000" + values), RejectReason.TOO_EARLY),
                new Poison(utf8("ok-1"), utf8("{\"time\": " + Long.MAX_VALUE + values), RejectReason.FUTURE_TIME),
                new Poison(utf8("ok-2"), utf8("{\"time\": " + now + ", \"values\": [1, NaN]}"),
                        RejectReason.NON_FINITE),
                new Poison(utf8("ok-3"), utf8("{\"time\": " + now + ", \"values\": [1, 2, 3]}"),
                        RejectReason.DIMENSION_MISMATCH),
                new Poison(null, event(now, 2), RejectReason.BAD_KEY));
    }

    @Test
    void shouldSurviveEveryPoisonRecordAndCheckpointAndStillForecastValidEvents() throws Exception {
        EngineConfig config = EngineFixture.smallConfig().withTopics(ClusterIo.prefixed("poison."));
        cluster.createTopics(config.topics(), 2);
        String bootstrap = cluster.bootstrapServers();
        Topics t = config.topics();
        long now = System.currentTimeMillis();
        long t0 = now - 600_000;
        byte[] v1 = ModelGateTest.checkpoint(ModelGateTest.version(1, 99));
        List<Poison> poison = poison(now);
        String before;
        try (EngineInstance engine = EngineInstance.start(bootstrap, config, "poison-it", stateDir)) {
            publish(bootstrap, t, config.modelName(), v1);
            await(() -> Arrays.equals(v1, storedModel(engine, config)), WAIT, () -> "version 1 stored");
            sendValid(bootstrap, t, 0, 4, t0);
            readForecasts(bootstrap, t, r -> r.size() >= 16);

            try (KafkaProducer<byte[], byte[]> producer = ClusterIo.producer(bootstrap)) {
                for (Poison p : poison) {
                    producer.send(new ProducerRecord<>(t.events(), p.key(), p.value())).get();
                }
            }
            publish(bootstrap, t, config.modelName(), utf8("{\"not\": \"a checkpoint\"}"));
            publish(bootstrap, t, config.modelName(), ModelGateTest.checkpoint(ModelGateTest.version(1, 12345)));
            publish(bootstrap, t, config.modelName(), ModelGateTest.checkpoint(
                    ModelGateTest.scaled(ModelGateTest.version(1, 99), 2, 1e150)));
            await(() -> engine.engine.metrics().modelRejections() >= 3, WAIT, () -> "three refusals");
            sendValid(bootstrap, t, 4, 3, t0);

            List<ConsumerRecord<byte[], byte[]>> dlq = readCommitted(bootstrap, t.deadLetters(),
                    r -> r.size() >= poison.size(), WAIT);
            checkDeadLetters(dlq, poison);
            List<ForecastRecord> forecasts = readForecasts(bootstrap, t, r -> r.size() >= 28);
            assertEquals(28, forecasts.size(), "every valid event, before and after the poison, once");
            forecasts.stream().filter(f -> f.eventCount() > 4).forEach(f -> {
                assertEquals(1, f.modelVersion(), "after the poison, still version 1: " + f);
                assertEquals(Source.MODEL, f.source());
            });
            assertEquals(KafkaStreams.State.RUNNING, engine.engine.streams().state());
            Map<String, Double> m = ClusterIo.scrape(engine.port());
            for (String reason : List.of("invalid", "version-reused", "canary")) {
                assertEquals(1.0, sample(m, "odestream_model_rejections_total{reason=\"" + reason + "\"}"), reason);
            }
            assertEquals(0.0, sample(m, "odestream_events_rejected_total{reason=\"model-failure\"}"));
            assertArrayEquals(v1, storedModel(engine, config), "the store keeps version 1");
            before = forecast(engine, "ok-0", now);
            // Leave the group, so that the restarted instance need not wait out this one's session.
            engine.engine.streams().close(CloseOptions.groupMembershipOperation(
                    CloseOptions.GroupMembershipOperation.LEAVE_GROUP).withTimeout(Duration.ofSeconds(30)));
        }

        try (EngineInstance again = EngineInstance.start(bootstrap, config, "poison-it", stateDir)) {
            await(() -> again.engine.metrics().modelRejections() >= 3, WAIT, () -> "the refusals, judged again");
            assertEquals(1, again.engine.metrics().modelRejections("version-reused"));
            assertEquals(1, again.engine.metrics().modelRejections("canary"));
            assertArrayEquals(v1, storedModel(again, config), "a restart stores what the running engine stored");
            assertEquals(before, forecast(again, "ok-0", now), "the same query on the same state, the same answer");

            publish(bootstrap, t, config.modelName(), null);
            await(() -> storedModel(again, config) == null, WAIT, () -> "the tombstone applied");
            sendValid(bootstrap, t, 7, 1, t0);
            List<ForecastRecord> after = readForecasts(bootstrap, t, r -> r.size() >= 32);
            after.stream().filter(f -> f.eventCount() == 8).forEach(f -> assertEquals(0, f.modelVersion(),
                    "the series thread serves the initial model after the tombstone"));
            String http = forecast(again, "ok-1", now);
            assertTrue(http.contains("\"modelVersion\":0,"), "so does the query thread: " + http);
        }
    }

    private static void checkDeadLetters(List<ConsumerRecord<byte[], byte[]>> dlq, List<Poison> poison) {
        assertEquals(poison.size(), dlq.size(), "one dead letter per poison record");
        Map<RejectReason, Long> expected = poison.stream().collect(Collectors.groupingBy(Poison::reason,
                Collectors.counting()));
        assertEquals(expected, dlq.stream().collect(Collectors.groupingBy(r -> DeadLetter.from(r.headers()).reason(),
                Collectors.counting())));
        for (ConsumerRecord<byte[], byte[]> r : dlq) {
            int size = (r.key() == null ? 0 : r.key().length) + r.value().length;
            assertTrue(size <= Limits.DEFAULT_MAX_DEAD_LETTER_BYTES, "a dead letter within the bound: " + size);
        }
        ConsumerRecord<byte[], byte[]> big = dlq.stream().filter(r -> r.value().length > 900_000).findFirst()
                .orElseThrow(() -> new AssertionError("a cut copy of the large record"));
        assertEquals(Integer.toString(JUST_UNDER_1_MIB), header(big.headers(), DeadLetter.ORIGINAL_VALUE_BYTES));
        assertEquals(DeadLetters.sha256(poison.getFirst().value()),
                header(big.headers(), DeadLetter.ORIGINAL_VALUE_SHA256));
        ConsumerRecord<byte[], byte[]> longId = dlq.stream().filter(r -> DeadLetter.from(r.headers()).reason()
                == RejectReason.SERIES_ID_TOO_LONG).findFirst().orElseThrow();
        assertEquals(700_000, longId.key().length, "a long id alone fits: the key is kept whole");
    }

    private static String header(Headers headers, String name) {
        Header h = headers.lastHeader(name);
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }

    /** Events {@code from .. from + n - 1} of series ok-0 .. ok-3, a second apart. */
    private static void sendValid(String bootstrap, Topics t, int from, int n, long t0) throws Exception {
        try (KafkaProducer<byte[], byte[]> producer = ClusterIo.producer(bootstrap)) {
            for (int s = 0; s < 4; s++) {
                for (int i = from; i < from + n; i++) {
                    producer.send(new ProducerRecord<>(t.events(), utf8("ok-" + s), event(t0 + 1_000L * i + s, i)));
                }
            }
            producer.flush();
        }
    }

    private static List<ForecastRecord> readForecasts(String bootstrap, Topics t,
                                                      Predicate<List<ConsumerRecord<byte[], byte[]>>> done) {
        List<ForecastRecord> out = new ArrayList<>();
        readCommitted(bootstrap, t.forecasts(), done, WAIT).forEach(r -> out.add(RecordJson.readForecast(r.value())));
        return out;
    }

    private static void publish(String bootstrap, Topics t, String name, byte[] checkpoint) throws Exception {
        try (KafkaProducer<byte[], byte[]> producer = ClusterIo.producer(bootstrap)) {
            producer.send(new ProducerRecord<>(t.models(), utf8(name), checkpoint)).get();
        }
    }

    private static byte[] storedModel(EngineInstance instance, EngineConfig config) {
        ReadOnlyKeyValueStore<String, byte[]> models = instance.engine.streams().store(StoreQueryParameters
                .fromNameAndType(EngineConfig.MODELS_STORE, QueryableStoreTypes.<String, byte[]>keyValueStore()));
        return models.get(config.modelName());
    }

    /** @return the HTTP forecast of a series at a fixed time, without its issue time (the wall clock) */
    private static String forecast(EngineInstance instance, String series, long now) throws Exception {
        var response = ClusterIo.get(instance.port(), "/v1/series/" + series + "/forecast?at=" + (now + 60_000));
        assertEquals(200, response.statusCode(), response.body());
        String body = response.body().replaceFirst("\"issuedAt\":\\d+,", "");
        assertTrue(body.length() < response.body().length(), "the answer names its issue time");
        return body;
    }
}
