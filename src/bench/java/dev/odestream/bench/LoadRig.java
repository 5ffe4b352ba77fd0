package dev.odestream.bench;

import dev.odestream.cli.DefaultModel;
import dev.odestream.cli.EmbeddedKafka;
import dev.odestream.metrics.EngineMetrics;
import dev.odestream.model.ModelConfig;
import dev.odestream.model.checkpoint.LoadedModel;
import dev.odestream.model.checkpoint.ModelRejectedException;
import dev.odestream.stream.Engine;
import dev.odestream.stream.EngineConfig;
import dev.odestream.stream.Topics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.stream.Stream;

/**
 * What the load benches stand on: an in-process KRaft broker ({@link EmbeddedKafka}) with the engine's topics and
 * the plain application's, one producer for the input, and the ways to start an engine or the plain application and
 * to drive them. Everything runs in this JVM, so the load generator shares the machine with what it measures.
 */
final class LoadRig implements AutoCloseable {

    static final String PLAIN_EVENTS = "plain.events";
    static final String PLAIN_MEANS = "plain.means";

    private final EmbeddedKafka kafka;
    private final Path root;
    private final KafkaProducer<byte[], byte[]> producer;
    private final LongAdder producerErrors = new LongAdder();
    private final AtomicLong acked = new AtomicLong();
    private volatile long producedAt;

    private LoadRig(EmbeddedKafka kafka, Path root) {
        this.kafka = kafka;
        this.root = root;
        Properties p = client();
        p.putAll(Map.of(ProducerConfig.ACKS_CONFIG, "all", ProducerConfig.LINGER_MS_CONFIG, 5,
                ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024));
        this.producer = new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer());
    }

    /** Starts the broker and creates the engine's default topics and the plain application's. */
    static LoadRig start(int partitions) throws Exception {
        Path root = Files.createTempDirectory("odestream-load-");
        EmbeddedKafka kafka = EmbeddedKafka.start();
        LoadRig rig = new LoadRig(kafka, root);
        List<NewTopic> topics = new ArrayList<>(Topics.defaults().newTopics(partitions, (short) 1));
        topics.add(new NewTopic(PLAIN_EVENTS, partitions, (short) 1));
        topics.add(new NewTopic(PLAIN_MEANS, partitions, (short) 1));
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()))) {
            admin.createTopics(topics).all().get(30, TimeUnit.SECONDS);
        }
        return rig;
    }

    Properties client() {
        Properties p = new Properties();
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        return p;
    }

    /**
     * @param untrained a freshly initialised model of the reference size instead of the bundled one
     * @return the model a load bench serves: the bundled model ({@link DefaultModel}), as the engine does by default
     */
    static LoadedModel model(boolean untrained, long seed) throws ModelRejectedException {
        return untrained ? LoadedModel.initial(ModelConfig.reference(), seed) : DefaultModel.load();
    }

    /** @return a Prometheus registry whose update and query timers resolve microseconds. */
    static PrometheusMeterRegistry registry() {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        registry.config().meterFilter(TimerWindow.microsecondBuckets("odestream.update.latency",
                "odestream.query.latency"));
        return registry;
    }

    /** @return Kafka Streams properties as the engine's defaults give them, for an application and thread count. */
    Properties streamsProperties(String applicationId, int threads) throws IOException {
        Path stateDir = Files.createDirectories(root.resolve("state-" + applicationId));
        Properties p = Engine.streamsProperties(applicationId, kafka.bootstrapServers(), stateDir);
        p.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, threads);
        return p;
    }

    /** @return where an application's RocksDB stores live. */
    Path stateDir(String applicationId) {
        return root.resolve("state-" + applicationId);
    }

    /**
     * Starts an engine on the default topics and waits until it runs.
     *
     * @param streamExceptions counts uncaught stream-thread exceptions (the thread is replaced)
     */
    Engine startEngine(EngineConfig config, int threads, EngineMetrics metrics, LongAdder streamExceptions)
            throws Exception {
        Engine engine = new Engine(config, streamsProperties("odestream-engine", threads), metrics);
        engine.streams().setUncaughtExceptionHandler(e -> {
            streamExceptions.increment();
            System.err.println("bench: stream thread failed: " + e);
            return StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.REPLACE_THREAD;
        });
        engine.start();
        awaitRunning(engine.streams());
        return engine;
    }

    /** Starts the plain running-mean application on its own topics and waits until it runs. */
    KafkaStreams startPlain(int threads, LongAdder invalid) throws Exception {
        KafkaStreams streams = new KafkaStreams(RunningMeanApp.topology(PLAIN_EVENTS, PLAIN_MEANS, invalid),
                streamsProperties("plain-mean", threads));
        streams.start();
        awaitRunning(streams);
        return streams;
    }

    private static void awaitRunning(KafkaStreams streams) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (streams.state() != KafkaStreams.State.RUNNING) {
            if (System.nanoTime() > deadline || streams.state() == KafkaStreams.State.ERROR) {
                throw new IllegalStateException("the application did not start: " + streams.state());
            }
            Thread.sleep(20);
        }
    }

    /**
     * What a saturation run measured.
     *
     * @param events input events
     * @param produceSeconds from the first send until the broker acknowledged the last
     * @param seconds from the first send until a read_committed consumer read the last output
     * @param complete whether every output arrived (else {@code events} outputs did not within the stall limit)
     * @param outputs outputs read
     */
    record Throughput(long events, double produceSeconds, double seconds, boolean complete, long outputs) {

        /** @return outputs read per second of the run. */
        double eventsPerSecond() {
            return outputs / seconds;
        }
    }

    /**
     * Sends every payload to {@code input} as fast as the producer goes, and times until a read_committed consumer
     * has read one output record per input from {@code output}.
     *
     * @param stall give up when no output arrives for this long
     */
    Throughput saturate(String input, String output, List<Workload.Payload> payloads, Duration stall)
            throws Exception {
        return saturate(input, output, payloads, payloads.size(), stall);
    }

    /**
     * As {@link #saturate(String, String, List, Duration)}, for inputs of which only {@code expected} give an output
     * (the others go to the dead-letter topic, say).
     */
    Throughput saturate(String input, String output, List<Workload.Payload> payloads, int expected, Duration stall)
            throws Exception {
        try (KafkaConsumer<byte[], byte[]> consumer = committedConsumer()) {
            List<TopicPartition> partitions = consumer.partitionsFor(output).stream()
                    .map(p -> new TopicPartition(output, p.partition())).toList();
            consumer.assign(partitions);
            consumer.endOffsets(partitions).forEach(consumer::seek);
            long start = System.nanoTime();
            Thread sender = Thread.ofPlatform().name("bench-saturate").start(() -> {
                for (Workload.Payload p : payloads) {
                    send(input, p);
                }
                producer.flush();
            });
            long read = 0;
            long last = System.nanoTime();
            while (read < expected && System.nanoTime() - last < stall.toNanos()) {
                int n = consumer.poll(Duration.ofMillis(50)).count();
                if (n > 0) {
                    read += n;
                    last = System.nanoTime();
                }
            }
            long end = last;
            sender.join();
            double produced = (producedAt - start) / 1e9;
            return new Throughput(payloads.size(), produced, (end - start) / 1e9, read >= expected, read);
        }
    }

    private void send(String topic, Workload.Payload p) {
        producer.send(new ProducerRecord<>(topic, p.key(), p.value()), (metadata, e) -> {
            if (e != null) {
                producerErrors.increment();
            } else {
                acked.incrementAndGet();
                producedAt = System.nanoTime();
            }
        });
    }

    /**
     * Sends the workload to {@code topic} at a steady rate (open loop) until interrupted or {@code end}.
     *
     * @return a started daemon thread; interrupt it to stop
     */
    Thread steady(String topic, Iterator<Workload.Payload> workload, double rate, long endNanos) {
        return Thread.ofPlatform().daemon().name("bench-steady-producer").start(() -> {
            try {
                new OpenLoopSchedule(rate, System.nanoTime()).run(endNanos, OpenLoopSchedule.SYSTEM,
                        (k, due) -> send(topic, workload.next()));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            producer.flush();
        });
    }

    /** @return records the broker has acknowledged so far. */
    long acked() {
        return acked.get();
    }

    /** @return records the producer failed to write so far. */
    long producerErrors() {
        return producerErrors.sum();
    }

    private KafkaConsumer<byte[], byte[]> committedConsumer() {
        Properties p = client();
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5_000);
        return new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    /** @return bytes in files under {@code dir} whose path contains {@code part} and ends with {@code suffix}. */
    static long bytesUnder(Path dir, String part, String suffix) throws IOException {
        if (!Files.exists(dir)) {
            return 0;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile).filter(f -> f.toString().contains(part)
                    && f.toString().endsWith(suffix)).mapToLong(f -> f.toFile().length()).sum();
        }
    }

    @Override
    public void close() throws Exception {
        producer.close(Duration.ofSeconds(10));
        kafka.close();
        try (Stream<Path> paths = Files.walk(root)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
