package dev.odestream.stream;

import dev.odestream.model.LatentOdeModel;
import dev.odestream.model.SeriesState;
import dev.odestream.model.checkpoint.CheckpointCodec;
import dev.odestream.model.checkpoint.DataRange;
import dev.odestream.model.checkpoint.LoadedModel;
import dev.odestream.model.checkpoint.TrainingMetadata;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongSupplier;

import static dev.odestream.stream.ClusterIo.await;
import static dev.odestream.stream.ClusterIo.sample;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A model hot swap on a real broker while a producer keeps writing: forecasts switch to the new version, each series
 * is re-encoded from its ring, no record is lost, and a corrupt checkpoint published later changes nothing.
 */
@Tag("integration")
class HotSwapIntegrationTest {

    private static final int SERIES = 12;
    private static final int RING = 4;
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final TrainingMetadata PROVENANCE = new TrainingMetadata(Instant.parse("2025-11-20T00:00:00Z"),
            OptionalLong.empty(), new DataRange(Instant.EPOCH, Instant.EPOCH, 0), Map.of(), "hot swap");

    @TempDir
    Path stateDir;

    @Test
    @Timeout(value = 90, unit = TimeUnit.SECONDS)
    void shouldSwapUnderTrafficReencodeEachSeriesLoseNothingAndKeepTheModelWhenACheckpointIsCorrupt()
            throws Exception {
        EngineConfig config = EngineFixture.smallConfig().withRingCapacity(RING)
                .withTopics(ClusterIo.prefixed("swap."));
        LoadedModel v1 = version(1, 99);
        try (TestCluster cluster = TestCluster.start()) {
            String bootstrap = cluster.bootstrapServers();
            cluster.createTopics(config.topics(), 2);
            try (EngineInstance engine = EngineInstance.start(bootstrap, config, "swap-it", stateDir)) {
                Traffic traffic = new Traffic(bootstrap, config.topics().events());
                Thread producer = new Thread(traffic, "swap-traffic");
                producer.start();
                LongSupplier accepted = () -> engine.engine.metrics().eventsAccepted();
                await(() -> accepted.getAsLong() >= 150, WAIT, () -> "150 events before the swap");
                publish(bootstrap, config, CheckpointCodec.encode(v1.toCheckpoint(PROVENANCE)));
                await(() -> engine.engine.metrics().modelSwaps() >= 1, WAIT, () -> "the swap");
                long afterSwap = accepted.getAsLong();
                byte[] corrupt = CheckpointCodec.encode(version(2, 5).toCheckpoint(PROVENANCE));
                corrupt[corrupt.length / 2] ^= 1;
                await(() -> accepted.getAsLong() >= afterSwap + 100, WAIT, () -> "100 events after the swap");
                publish(bootstrap, config, corrupt);
                await(() -> engine.engine.metrics().modelRejections() >= 1, WAIT, () -> "the refusal");
                long afterRefusal = accepted.getAsLong();
                await(() -> accepted.getAsLong() >= afterRefusal + 100, WAIT, () -> "100 events after the refusal");
                traffic.stop();
                producer.join(WAIT.toMillis());
                int total = traffic.sent();

                Map<String, Integer> firstNew = checkForecasts(ClusterIo.readCommitted(bootstrap,
                        config.topics().forecasts(), r -> r.size() >= total, WAIT), traffic, total);
                Map<String, Double> metrics = ClusterIo.scrape(engine.port());
                assertEquals(1.0, sample(metrics, "odestream_model_swaps_total"));
                assertEquals(1.0, sample(metrics, "odestream_model_rejections_total{reason=\"invalid\"}"));
                assertEquals(1.0, sample(metrics, "odestream_model_version"), "the old model stays in use");
                long reencoded = firstNew.values().stream().filter(k -> k > 1).count();
                assertEquals((double) reencoded, sample(metrics, "odestream_series_reencoded_total"));
                checkReencoded(ClusterIo.finalStates(bootstrap, "swap-it", traffic.counts(), WAIT), traffic,
                        firstNew, v1, config.timeScale());
            }
        }
    }

    /**
     * Each event has one committed forecast, in order per series, and the versions go from 0 to 1 once per series,
     * never to the corrupt 2.
     *
     * @return per series, the event count of its first forecast by version 1
     */
    private static Map<String, Integer> checkForecasts(List<ConsumerRecord<byte[], byte[]>> records, Traffic traffic,
                                                       int total) {
        assertEquals(total, records.size(), "one forecast per event, nothing lost, nothing twice");
        Map<String, List<ForecastRecord>> bySeries = new HashMap<>();
        for (ConsumerRecord<byte[], byte[]> r : records) {
            ForecastRecord f = RecordJson.readForecast(r.value());
            bySeries.computeIfAbsent(f.series(), s -> new ArrayList<>()).add(f);
        }
        Map<String, Integer> firstNew = new HashMap<>();
        for (Map.Entry<String, List<ForecastRecord>> e : bySeries.entrySet()) {
            List<ForecastRecord> forecasts = e.getValue();
            assertEquals(traffic.counts().get(e.getKey()), (long) forecasts.size(), e.getKey());
            Set<Long> versions = new HashSet<>();
            for (int i = 0; i < forecasts.size(); i++) {
                ForecastRecord f = forecasts.get(i);
                assertEquals(i + 1, f.eventCount(), e.getKey() + " in order");
                assertTrue(i == 0 || f.modelVersion() >= forecasts.get(i - 1).modelVersion(), "no way back");
                versions.add(f.modelVersion());
                if (f.modelVersion() == 1 && !firstNew.containsKey(e.getKey())) {
                    firstNew.put(e.getKey(), i + 1);
                }
            }
            assertEquals(Set.of(0L, 1L), versions, e.getKey() + " was forecast by version 0, then 1, never 2");
        }
        assertEquals(SERIES, firstNew.size());
        return firstNew;
    }

    /**
     * The final state of each series is version 1 folded over the ring it had when first touched after the swap,
     * and every event since: the re-encoding started from the ring, not from version 0's state.
     */
    private static void checkReencoded(Map<String, SeriesSnapshot> states, Traffic traffic,
                                       Map<String, Integer> firstNew, LoadedModel v1, TimeScale scale) {
        LatentOdeModel model = v1.instantiate();
        double[] values = new double[v1.config().observationDim()];
        boolean[] mask = new boolean[values.length];
        for (Map.Entry<String, SeriesSnapshot> e : states.entrySet()) {
            SeriesSnapshot snapshot = e.getValue();
            assertEquals(1, snapshot.modelVersion(), e.getKey());
            List<Event> events = traffic.events(e.getKey());
            int from = Math.max(0, firstNew.get(e.getKey()) - 1 - RING);
            SeriesState state = model.newState();
            for (Event event : events.subList(from, events.size())) {
                model.observe(state, scale.toModel(event.timeMs()), event.copyValues(values), event.copyMask(mask),
                        event.type());
            }
            assertArrayEquals(state.hidden(), snapshot.hidden(), 0.0, e.getKey());
        }
    }

    private static void publish(String bootstrap, EngineConfig config, byte[] checkpoint) throws Exception {
        try (KafkaProducer<byte[], byte[]> producer = ClusterIo.producer(bootstrap)) {
            producer.send(new ProducerRecord<>(config.topics().models(), ClusterIo.utf8(config.modelName()),
                    checkpoint)).get();
        }
    }

    /** A version with other parameters: the same architecture, initialised from another seed. */
    private static LoadedModel version(long version, long seed) {
        LoadedModel initial = LoadedModel.initial(EngineFixture.smallModel(), seed);
        return new LoadedModel(version, seed, initial.config(), initial.parameters());
    }

    /** Writes events for every series, round robin and in time order, until stopped; remembers what it sent. */
    private static final class Traffic implements Runnable {

        private final String bootstrap;
        private final String topic;
        private final AtomicBoolean running = new AtomicBoolean(true);
        private final Map<String, List<Event>> sent = new HashMap<>();
        private final long t0 = System.currentTimeMillis() - 3_600_000;
        private volatile int count;

        Traffic(String bootstrap, String topic) {
            this.bootstrap = bootstrap;
            this.topic = topic;
        }

        @Override
        public void run() {
            try (KafkaProducer<byte[], byte[]> producer = ClusterIo.producer(bootstrap)) {
                for (int i = 0; running.get(); i++) {
                    String series = "swap-" + (i % SERIES);
                    int n = i / SERIES;
                    Event e = Event.of(t0 + 1_000L * n + 11L * (i % SERIES), Math.sin(0.4 * n + i % SERIES),
                            Math.cos(0.3 * n));
                    producer.send(new ProducerRecord<>(topic, ClusterIo.utf8(series), EventJson.write(e))).get();
                    synchronized (sent) {
                        sent.computeIfAbsent(series, s -> new ArrayList<>()).add(e);
                    }
                    count = i + 1;
                    Thread.sleep(1);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (java.util.concurrent.ExecutionException e) {
                throw new IllegalStateException("cannot send", e);
            }
        }

        void stop() {
            running.set(false);
        }

        int sent() {
            return count;
        }

        Map<String, Long> counts() {
            synchronized (sent) {
                Map<String, Long> counts = new HashMap<>();
                sent.forEach((series, events) -> counts.put(series, (long) events.size()));
                return counts;
            }
        }

        List<Event> events(String series) {
            synchronized (sent) {
                return List.copyOf(sent.get(series));
            }
        }
    }
}
