package dev.odestream.stream;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.processor.StateRestoreListener;
import org.apache.kafka.streams.state.HostInfo;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static dev.odestream.stream.ClusterIo.await;
import static dev.odestream.stream.ClusterIo.get;
import static dev.odestream.stream.ClusterIo.readCommitted;
import static dev.odestream.stream.ClusterIo.sample;
import static dev.odestream.stream.ClusterIo.scrape;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Several engine instances of one application on a real broker: interactive queries are routed to the instance
 * that owns the series, and a store that cannot be read yet answers 503 with {@code Retry-After}.
 */
@Tag("integration")
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class TwoInstancesIntegrationTest {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final String FORECASTS_SERVED = "odestream_query_latency_seconds_count{endpoint=\"forecast\","
            + "status=\"200\"}";
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

    @Test
    void shouldRouteAQueryForASeriesOwnedByTheOtherInstanceToItsOwner() throws Exception {
        EngineConfig config = EngineFixture.smallConfig().withTopics(ClusterIo.prefixed("pair."));
        cluster.createTopics(config.topics(), 4);
        String app = "pair-it";
        try (EngineInstance a = EngineInstance.create(cluster.bootstrapServers(), config, app,
                stateDir.resolve("a"), ClusterIo.freePort());
             EngineInstance b = EngineInstance.create(cluster.bootstrapServers(), config, app,
                     stateDir.resolve("b"), ClusterIo.freePort())) {
            a.start(streams -> { });
            b.start(streams -> { });
            await(() -> activeTasks(a) > 0 && activeTasks(b) > 0 && activeTasks(a) + activeTasks(b) == 4, WAIT,
                    () -> "both instances own tasks: " + activeTasks(a) + " and " + activeTasks(b));
            int series = 24;
            int perSeries = 5;
            produce(config.topics().events(), "pair-", series, perSeries);
            readCommitted(cluster.bootstrapServers(), config.topics().forecasts(),
                    r -> r.size() >= series * perSeries, WAIT);

            Map<HostInfo, List<String>> owners = IntStream.range(0, series).mapToObj(s -> "pair-" + s)
                    .collect(Collectors.groupingBy(id -> owner(a, id)));
            assertEquals(Set.of(a.host, b.host), owners.keySet(), "both instances own series: " + owners);
            for (String id : owners.get(a.host).subList(0, 2)) {
                checkRouted(id, a, b);
            }
            for (String id : owners.get(b.host).subList(0, 2)) {
                checkRouted(id, b, a);
            }
        }
    }

    /** Asks the owner directly and the other instance, which must forward to the owner and return its answer. */
    private static void checkRouted(String id, EngineInstance owner, EngineInstance other) throws Exception {
        assertEquals(owner.host, owner(other, id), "both instances agree on the owner of " + id);
        double servedBefore = sample(scrape(owner.port()), FORECASTS_SERVED);
        String query = "/v1/series/" + id + "/forecast?horizon=1s,5s,15s";
        HttpResponse<String> direct = get(owner.port(), query);
        HttpResponse<String> routed = get(other.port(), query);
        assertEquals(200, direct.statusCode(), direct.body());
        assertEquals(200, routed.statusCode(), routed.body());
        ForecastRecord expected = RecordJson.readForecast(ClusterIo.utf8(direct.body()));
        ForecastRecord actual = RecordJson.readForecast(ClusterIo.utf8(routed.body()));
        assertEquals(id, actual.series());
        assertEquals(expected.eventCount(), actual.eventCount());
        assertEquals(expected.tauMs(), actual.tauMs());
        assertEquals(expected.modelVersion(), actual.modelVersion());
        assertEquals(expected.horizons(), actual.horizons(), "the routed forecast is the owner's");
        assertEquals(servedBefore + 2, sample(scrape(owner.port()), FORECASTS_SERVED),
                "the owner served the direct and the forwarded request");
        HttpResponse<String> summary = get(other.port(), "/v1/series/" + id);
        assertEquals(200, summary.statusCode(), summary.body());
        assertEquals(get(owner.port(), "/v1/series/" + id).body(), summary.body());
    }

    @Test
    void shouldAnswer503WithRetryAfterUntilTheOwnersStoreIsRestored() throws Exception {
        EngineConfig config = EngineFixture.smallConfig().withTopics(ClusterIo.prefixed("restore."));
        cluster.createTopics(config.topics(), 2);
        String app = "restore-it";
        String summary;
        try (EngineInstance first = EngineInstance.start(cluster.bootstrapServers(), config, app,
                stateDir.resolve("first"))) {
            produce(config.topics().events(), "restore-", 6, 5);
            readCommitted(cluster.bootstrapServers(), config.topics().forecasts(), r -> r.size() >= 30, WAIT);
            HttpResponse<String> answer = get(first.port(), "/v1/series/restore-1");
            assertEquals(200, answer.statusCode(), answer.body());
            summary = answer.body();
            // Leave the group at once, so that the next instance is not kept waiting for this one's session to end.
            first.engine.streams().close(CloseOptions.groupMembershipOperation(
                    CloseOptions.GroupMembershipOperation.LEAVE_GROUP).withTimeout(WAIT));
        }
        CountDownLatch restoring = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        // A new instance on an empty state directory must restore the store from its changelog first.
        try (EngineInstance second = EngineInstance.create(cluster.bootstrapServers(), config, app,
                stateDir.resolve("second"), ClusterIo.freePort())) {
            checkUnavailable(get(second.port(), "/v1/series/restore-1"), "before the engine starts");
            second.start(streams -> streams.setGlobalStateRestoreListener(holdRestore(restoring, release)));
            assertTrue(restoring.await(30, TimeUnit.SECONDS), "the series store is restored");
            assertEquals(KafkaStreams.State.REBALANCING, second.engine.streams().state());
            checkUnavailable(get(second.port(), "/v1/series/restore-1"), "while the store is restored");
            release.countDown();
            await(() -> status(second.port(), "/v1/series/restore-1") == 200, WAIT, () -> "a 200 after the restore");
            assertEquals(summary, get(second.port(), "/v1/series/restore-1").body(), "the restored state");
        } finally {
            release.countDown();
        }
    }

    private static void checkUnavailable(HttpResponse<String> response, String when) {
        assertEquals(503, response.statusCode(), when + ": " + response.body());
        assertEquals("1", response.headers().firstValue("Retry-After").orElse(null), when);
        assertTrue(response.body().contains("\"status\":503"), response.body());
    }

    /** Holds the restore of the series store until released (30 s at most, so that a failure cannot hang). */
    private static StateRestoreListener holdRestore(CountDownLatch restoring, CountDownLatch release) {
        return new StateRestoreListener() {
            @Override
            public void onRestoreStart(TopicPartition partition, String store, long start, long end) {
                if (store.equals(EngineConfig.SERIES_STORE)) {
                    restoring.countDown();
                    try {
                        release.await(30, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
            }

            @Override
            public void onBatchRestored(TopicPartition partition, String store, long batchEnd, long restored) {
            }

            @Override
            public void onRestoreEnd(TopicPartition partition, String store, long total) {
            }
        };
    }

    private static int status(int port, String path) {
        try {
            return get(port, path).statusCode();
        } catch (Exception e) {
            return -1;
        }
    }

    private static HostInfo owner(EngineInstance instance, String series) {
        return instance.engine.streams().queryMetadataForKey(EngineConfig.SERIES_STORE, series,
                new StringSerializer()).activeHost();
    }

    private static int activeTasks(EngineInstance instance) {
        return instance.engine.streams().metadataForLocalThreads().stream().mapToInt(t -> t.activeTasks().size())
                .sum();
    }

    private static void produce(String topic, String prefix, int series, int perSeries) {
        long t0 = System.currentTimeMillis() - 60_000;
        try (KafkaProducer<byte[], byte[]> producer = ClusterIo.producer(cluster.bootstrapServers())) {
            for (int i = 0; i < perSeries; i++) {
                for (int s = 0; s < series; s++) {
                    Event e = Event.of(t0 + 1_000L * i + 13L * s, Math.sin(i + s), Math.cos(i * s));
                    producer.send(new ProducerRecord<>(topic, ClusterIo.utf8(prefix + s), EventJson.write(e)));
                }
            }
            producer.flush();
        }
    }
}
