package dev.odestream.stream;

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

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The engine in a separate process, killed with SIGKILL in the middle of a stream and started again on the same
 * state directory: exactly-once means its final series states are those of a run that was never interrupted, and
 * a {@code read_committed} reader sees each forecast once.
 */
@Tag("integration")
class CrashDrillIntegrationTest {

    private static final int SERIES = 24;
    private static final int EVENTS_PER_SERIES = 40;
    private static final int TOTAL = SERIES * EVENTS_PER_SERIES;
    /** Events on the topic before the engine starts; the rest arrive while it runs, and after the kill. */
    private static final int UPFRONT = TOTAL * 2 / 5;
    private static final Duration WAIT = Duration.ofSeconds(40);
    private static final TrainingMetadata PROVENANCE = new TrainingMetadata(Instant.parse("2025-11-20T00:00:00Z"),
            OptionalLong.empty(), new DataRange(Instant.EPOCH, Instant.EPOCH, 0), Map.of(), "crash drill");

    @TempDir
    Path dir;

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void shouldEndAKilledAndRestartedRunInTheStatesOfAnUninterruptedOneWithEachForecastOnce() throws Exception {
        Topics topics = Topics.defaults();
        List<ProducerRecord<byte[], byte[]>> input = input(topics.events());
        // The small model as the initial one, through --checkpoint: the reference size would cost seconds here.
        byte[] model = CheckpointCodec.encode(LoadedModel.initial(EngineFixture.smallModel(), 3)
                .toCheckpoint(PROVENANCE));
        Path checkpoint = Files.write(dir.resolve("small.odsc"), model);
        Path properties = Files.writeString(dir.resolve("client.properties"),
                "# a killed member must not hold the restarted one up for long\nsession.timeout.ms=6000\n"
                        + "heartbeat.interval.ms=1500\n");
        try (TestCluster cluster = TestCluster.start()) {
            String bootstrap = cluster.bootstrapServers();
            cluster.createTopics(topics, 4);
            // The uninterrupted run: a second application over the same input, configured as Main configures the
            // child, writing its outputs to topics of its own so that the child's forecasts can be counted alone.
            Topics referenceTopics = ClusterIo.prefixed("reference.", Set.of("events"));
            cluster.createTopics(referenceTopics.newTopics(4, (short) 1).stream()
                    .filter(t -> !t.name().equals(topics.events())).toList());
            EngineConfig referenceConfig = EngineConfig.defaults(LoadedModel.read(model)).withTopics(referenceTopics);
            AtomicInteger sent = new AtomicInteger();
            send(bootstrap, input.subList(0, UPFRONT), sent, 0);
            Thread producer = new Thread(() -> send(bootstrap, input.subList(UPFRONT, TOTAL), sent, 5),
                    "crash-drill-producer");
            try (EngineInstance reference = EngineInstance.start(bootstrap, referenceConfig, "reference-run",
                    dir.resolve("reference-state"))) {
                int committedAtKill = crash(bootstrap, topics, properties, checkpoint, producer);
                assertTrue(sent.get() < TOTAL, "killed while events were still arriving: " + sent.get());
                assertTrue(committedAtKill < TOTAL, "killed before the end: " + committedAtKill);

                ChildEngine restarted = ChildEngine.launch(bootstrap, "crash-run", dir.resolve("crash-state"),
                        properties, checkpoint, dir.resolve("crash-2.log"));
                try {
                    producer.join(WAIT.toMillis());
                    checkEachForecastOnce(ClusterIo.readCommitted(bootstrap, topics.forecasts(),
                            r -> r.size() >= TOTAL || !restarted.alive(), WAIT), restarted);
                    Map<String, SeriesSnapshot> recovered = ClusterIo.finalStates(bootstrap, "crash-run",
                            expectedEvents(), WAIT);
                    Map<String, SeriesSnapshot> uninterrupted = ClusterIo.finalStates(bootstrap, "reference-run",
                            expectedEvents(), WAIT);
                    assertEquals(SERIES, uninterrupted.size());
                    assertEquals(uninterrupted, recovered, "the states of an uninterrupted run");
                    assertEquals(0, reference.engine.metrics().eventsLate() + reference.engine.metrics()
                            .eventsRejected(), "the input is all valid");
                    restarted.stop();
                } finally {
                    restarted.kill();
                }
            }
        }
    }

    /**
     * Starts the child, starts the rest of the input once it forecasts, and kills it once a third of the forecasts
     * are committed.
     *
     * @return the forecasts committed at the kill
     */
    private int crash(String bootstrap, Topics topics, Path properties, Path checkpoint, Thread producer)
            throws Exception {
        ChildEngine crashed = ChildEngine.launch(bootstrap, "crash-run", dir.resolve("crash-state"), properties,
                checkpoint, dir.resolve("crash-1.log"));
        try {
            awaitForecasts(bootstrap, topics, 1, crashed);
            producer.start();
            return awaitForecasts(bootstrap, topics, TOTAL / 3, crashed);
        } finally {
            crashed.kill();
        }
    }

    private static Map<String, Long> expectedEvents() {
        Map<String, Long> expected = new HashMap<>();
        for (int s = 0; s < SERIES; s++) {
            expected.put(key(s), (long) EVENTS_PER_SERIES);
        }
        return expected;
    }

    private static void checkEachForecastOnce(List<ConsumerRecord<byte[], byte[]>> records, ChildEngine engine) {
        Set<String> seen = new HashSet<>();
        Map<String, Long> last = new HashMap<>();
        for (ConsumerRecord<byte[], byte[]> r : records) {
            ForecastRecord f = RecordJson.readForecast(r.value());
            assertTrue(seen.add(f.series() + "#" + f.eventCount()), "forecast " + f.series() + " #" + f.eventCount()
                    + " seen twice");
            assertEquals(last.getOrDefault(f.series(), 0L) + 1, f.eventCount(), "forecasts of " + f.series()
                    + " in order");
            last.put(f.series(), f.eventCount());
        }
        assertEquals(TOTAL, records.size(), "one committed forecast per event\n" + engine.logTail());
    }

    /** @return the committed forecasts once there are at least {@code count} */
    private static int awaitForecasts(String bootstrap, Topics topics, int count, ChildEngine engine) {
        try {
            return ClusterIo.readCommitted(bootstrap, topics.forecasts(), r -> r.size() >= count || !engine.alive(),
                    WAIT).size();
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + "\n" + engine.logTail(), e);
        }
    }

    private static String key(int series) {
        return "drill-" + series;
    }

    /** The input in arrival order: series interleaved, each in time order, in the reference model's dimension. */
    private static List<ProducerRecord<byte[], byte[]>> input(String topic) {
        long t0 = System.currentTimeMillis() - 30 * 60_000L;
        List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>(TOTAL);
        for (int i = 0; i < EVENTS_PER_SERIES; i++) {
            for (int s = 0; s < SERIES; s++) {
                Event e = Event.of(t0 + 1_000L * i + 7L * s, Math.sin(0.3 * i + s), Math.cos(0.2 * i) + 0.1 * s);
                records.add(new ProducerRecord<>(topic, ClusterIo.utf8(key(s)), EventJson.write(e)));
            }
        }
        return records;
    }

    /** Sends in order, pausing {@code pauseMs} after every ten records so that the stream lasts a while. */
    private static void send(String bootstrap, List<ProducerRecord<byte[], byte[]>> records, AtomicInteger sent,
                             long pauseMs) {
        try (KafkaProducer<byte[], byte[]> producer = ClusterIo.producer(bootstrap)) {
            for (ProducerRecord<byte[], byte[]> r : records) {
                producer.send(r).get();
                if (sent.incrementAndGet() % 10 == 0 && pauseMs > 0) {
                    Thread.sleep(pauseMs);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException("cannot send the input", e);
        }
    }

    /**
     * {@code dev.odestream.cli.Main} in a child JVM on this test's class path, on an existing cluster, without the
     * demo producer; its output goes to a log file.
     */
    private record ChildEngine(Process process, Path log) {

        static ChildEngine launch(String bootstrap, String applicationId, Path stateDir, Path properties,
                                  Path checkpoint, Path log)
                throws IOException {
            String java = ProcessHandle.current().info().command().orElseThrow();
            List<String> command = List.of(java, "-Xmx384m",  "--enable-native-access=ALL-UNNAMED", "-cp",
                    System.getProperty("java.class.path"), "dev.odestream.cli.Main", "--bootstrap-servers",
                    bootstrap, "--no-demo", "--application-id", applicationId, "--state-dir", stateDir.toString(),
                    "--http-port", "0", "--partitions", "4", "--checkpoint", checkpoint.toString(), "--properties", properties.toString());
            Process process = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
            return new ChildEngine(process, log);
        }

        boolean alive() {
            return process.isAlive();
        }

        /** SIGKILL: no shutdown hook runs, nothing is flushed or committed. */
        void kill() throws InterruptedException {
            process.destroyForcibly();
            process.waitFor(30, TimeUnit.SECONDS);
        }

        /** SIGTERM: the shutdown hook closes the engine cleanly. */
        void stop() throws InterruptedException {
            process.destroy();
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                kill();
            }
        }

        String logTail() {
            try {
                List<String> lines = Files.readAllLines(log);
                return "child log (" + (alive() ? "running" : "exit " + process.exitValue()) + "):\n"
                        + lines.subList(Math.max(0, lines.size() - 40), lines.size()).stream()
                        .collect(Collectors.joining("\n"));
            } catch (IOException e) {
                return "no child log: " + e;
            }
        }
    }
}
