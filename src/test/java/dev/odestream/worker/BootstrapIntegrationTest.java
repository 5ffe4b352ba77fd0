package dev.odestream.worker;

import dev.odestream.metrics.EngineMetrics;
import dev.odestream.model.checkpoint.Checkpoint;
import dev.odestream.model.checkpoint.CheckpointEnvelope;
import dev.odestream.model.checkpoint.LoadedModel;
import dev.odestream.stream.Engine;
import dev.odestream.stream.EngineConfig;
import dev.odestream.stream.Event;
import dev.odestream.stream.EventJson;
import dev.odestream.stream.ForecastRecord;
import dev.odestream.stream.Source;
import dev.odestream.stream.TestCluster;
import dev.odestream.train.CpuBackend;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static dev.odestream.worker.WorkerCluster.await;
import static dev.odestream.worker.WorkerCluster.awaitStored;
import static dev.odestream.worker.WorkerCluster.forecasts;
import static dev.odestream.worker.WorkerCluster.producer;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Starting without a model, on a real in-process broker: the engine answers every event from the baseline, labelled
 * so; the worker bootstraps a first model from the events it has read, publishes it as version 1 past the gate
 * against the baseline; the engine swaps it in, and the next events are answered by the model.
 */
@Tag("integration")
class BootstrapIntegrationTest {

    private static final int SERIES = 16;
    private static final int EVENTS = 12;

    @TempDir
    Path stateDir;

    @Test
    @Timeout(value = 90, unit = TimeUnit.SECONDS)
    void shouldServeTheBaselineUntilTheWorkerPublishesAFirstModelAndThenTheModel() throws Exception {
        LoadedModel baseline = LoadedModel.baseline(Streams.tinyModel().withObservationStd(0.5));
        EngineConfig engineConfig = EngineConfig.defaults(baseline);
        WorkerConfig config = Streams.config(baseline);
        try (TestCluster cluster = TestCluster.start()) {
            cluster.createTopics(engineConfig.topics(), 1);
            Properties client = new Properties();
            client.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers());
            Properties streams = Engine.streamsProperties("bootstrap-it", cluster.bootstrapServers(), stateDir);
            streams.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, 100);
            WorkerMetrics metrics = WorkerMetrics.inMemory();
            EngineMetrics engineMetrics = EngineMetrics.inMemory();
            AtomicReference<Throwable> failure = new AtomicReference<>();
            try (Engine engine = new Engine(engineConfig, streams, engineMetrics);
                 Worker worker = new Worker(config, client, "bootstrap-it-trainer", metrics, new CpuBackend(2),
                         System.out::println);
                 KafkaProducer<String, byte[]> producer = producer(cluster.bootstrapServers(),
                         "bootstrap-it-producer")) {
                engine.start();
                long first = send(producer, System.currentTimeMillis() - Duration.ofHours(2).toMillis(), EVENTS, 0);
                await(() -> engineMetrics.eventsIn() >= SERIES * EVENTS, "the engine reads the events");
                Thread thread = new Thread(worker, "bootstrap-it");
                thread.setUncaughtExceptionHandler((t, e) -> failure.set(e));
                thread.start();
                await(() -> metrics.promotions() >= 1 || failure.get() != null, "the worker publishes a model");
                assertNull(failure.get());
                assertEquals(1, metrics.trainings(Trigger.BOOTSTRAP));
                awaitStored(engine);
                send(producer, first, 1, 1);

                List<ForecastRecord> forecasts = forecasts(cluster.bootstrapServers(), SERIES * (EVENTS + 1));
                for (ForecastRecord f : forecasts) {
                    boolean before = f.tauMs() <= first;
                    assertEquals(before ? Source.BASELINE : Source.MODEL, f.source(), f.toString());
                    assertEquals(before ? 0 : 1, f.modelVersion(), f.toString());
                    f.horizons().forEach(h -> assertTrue(h.isFinite(), h.toString()));
                }
                Checkpoint c = published(cluster.bootstrapServers());
                assertEquals(1, c.modelVersion());
                assertTrue(c.training().parentVersion().isEmpty());
                assertTrue(c.training().metrics().get("heldout.nll")
                        < c.training().metrics().get("heldout.baseline.nll"), c.training().metrics().toString());
                worker.close();
                thread.join(30_000);
            }
        }
    }

    /**
     * Sends {@code count} swinging events of every series after {@code fromMs}, in time order, in one transaction.
     *
     * @return the time of the last event
     */
    private static long send(KafkaProducer<String, byte[]> producer, long fromMs, int count, int step) {
        record Keyed(String series, Event event) {
        }
        List<Keyed> all = new ArrayList<>();
        for (int s = 0; s < SERIES; s++) {
            for (Event e : BootstrapRoundTest.swinging(count, 1000L * step + s, fromMs)) {
                all.add(new Keyed("series-" + s, e));
            }
        }
        all.sort(Comparator.comparingLong((Keyed k) -> k.event().timeMs()));
        producer.beginTransaction();
        all.forEach(k -> producer.send(new ProducerRecord<>("events", k.series(), EventJson.write(k.event()))));
        producer.commitTransaction();
        return all.getLast().event().timeMs();
    }

    private static Checkpoint published(String bootstrap) throws Exception {
        Map<String, Object> props = Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.GROUP_ID_CONFIG, "check-models", ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(props, new StringDeserializer(),
                new ByteArrayDeserializer())) {
            consumer.subscribe(List.of("models"));
            List<ConsumerRecord<String, byte[]>> records = new ArrayList<>();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (records.isEmpty() && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
            }
            return CheckpointEnvelope.open("default", records.getFirst().value());
        }
    }
}
