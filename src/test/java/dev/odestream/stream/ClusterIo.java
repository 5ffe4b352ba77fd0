package dev.odestream.stream;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

import java.io.IOException;
import java.lang.reflect.RecordComponent;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the integration tests do to a real broker and a real HTTP server: produce, read topics back with
 * {@code read_committed}, read a store's final states from its changelog, wait for a condition, query over HTTP and
 * parse the Prometheus text of {@code /metrics}.
 */
final class ClusterIo {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    /** A sample line of the Prometheus text format: name, optional labels, value. */
    private static final Pattern SAMPLE = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{[^}]*})?\\s+(\\S+)");

    private ClusterIo() {
    }

    /** @return a producer of raw bytes that waits for every replica and never duplicates on retry. */
    static KafkaProducer<byte[], byte[]> producer(String bootstrap) {
        Map<String, Object> props = Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ProducerConfig.ACKS_CONFIG, "all", ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                ProducerConfig.LINGER_MS_CONFIG, 2);
        return new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer());
    }

    static byte[] utf8(String text) {
        return text == null ? null : text.getBytes(StandardCharsets.UTF_8);
    }

    static String text(byte[] bytes) {
        return bytes == null ? null : new String(bytes, StandardCharsets.UTF_8);
    }

    /**
     * Reads a topic from the beginning with {@code read_committed} until {@code done} holds for what was read, and
     * then on to the end offsets of that moment, so that committed extras (duplicates) show up too.
     *
     * @throws AssertionError if {@code done} does not hold within the timeout
     */
    static List<ConsumerRecord<byte[], byte[]>> readCommitted(String bootstrap, String topic,
                                                            Predicate<List<ConsumerRecord<byte[], byte[]>>> done,
                                                            Duration timeout) {
        List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
        long deadline = System.nanoTime() + timeout.toNanos();
        try (KafkaConsumer<byte[], byte[]> consumer = committedConsumer(bootstrap)) {
            List<TopicPartition> partitions = partitions(consumer, topic, deadline);
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            while (!done.test(records)) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("reading " + topic + ": condition not met in " + timeout + " after "
                            + records.size() + " records");
                }
                consumer.poll(Duration.ofMillis(100)).forEach(records::add);
            }
            // For read_committed, the end offsets are the last stable offsets.
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("reading " + topic + ": end offsets " + end + " not reached");
                }
                consumer.poll(Duration.ofMillis(100)).forEach(records::add);
            }
        }
        return records;
    }

    /** @return the partitions of a topic, once it exists (a changelog appears when its application starts) */
    private static List<TopicPartition> partitions(KafkaConsumer<?, ?> consumer, String topic, long deadline) {
        while (true) {
            List<TopicPartition> partitions = consumer.listTopics().getOrDefault(topic, List.of()).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            if (!partitions.isEmpty()) {
                return partitions;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("no topic " + topic);
            }
            sleep(100);
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    private static KafkaConsumer<byte[], byte[]> committedConsumer(String bootstrap) {
        Map<String, Object> props = new HashMap<>();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        return new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    /** @return the changelog topic of the {@code series-state} store of an application. */
    static String changelog(String applicationId) {
        return applicationId + "-" + EngineConfig.SERIES_STORE + "-changelog";
    }

    /**
     * Reads the committed {@code series-state} changelog of an application until every series in
     * {@code expectedEvents} has its last snapshot at that event count.
     *
     * @return the last snapshot of each series, with its wall-clock arrival time ({@code seenAtMs}) cleared: it
     *     differs between any two runs and is not part of the model state being compared
     */
    static Map<String, SeriesSnapshot> finalStates(String bootstrap, String applicationId,
                                                   Map<String, Long> expectedEvents, Duration timeout) {
        Map<String, SeriesSnapshot> last = new HashMap<>();
        List<ConsumerRecord<byte[], byte[]>> seen = new ArrayList<>();
        readCommitted(bootstrap, changelog(applicationId), records -> {
            records.subList(seen.size(), records.size()).forEach(r -> {
                seen.add(r);
                last.put(text(r.key()), r.value() == null ? null
                        : SnapshotCodec.decode(r.value()).withSeenAt(SeriesSnapshot.NEVER));
            });
            return expectedEvents.entrySet().stream().allMatch(e -> last.get(e.getKey()) != null
                    && last.get(e.getKey()).events() == e.getValue());
        }, timeout);
        return last;
    }

    /** Waits for a condition, polling. @throws AssertionError naming {@code what} when the time is up */
    static void await(BooleanSupplier condition, Duration timeout, Supplier<String> what) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within " + timeout + ": " + what.get());
            }
            sleep(50);
        }
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    /** @return the response to {@code GET http://localhost:port/path}. */
    static HttpResponse<String> get(int port, String pathAndQuery) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + pathAndQuery))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /**
     * Scrapes {@code /metrics} and parses the Prometheus text format.
     *
     * @return each sample by its name and labels as written, such as
     *     {@code odestream_events_rejected_total{reason="late"}}
     */
    static Map<String, Double> scrape(int port) throws IOException, InterruptedException {
        HttpResponse<String> response = get(port, "/metrics");
        if (response.statusCode() != 200) {
            throw new AssertionError("/metrics answered " + response.statusCode() + ": " + response.body());
        }
        Map<String, Double> samples = new LinkedHashMap<>();
        for (String line : response.body().split("\n")) {
            Matcher m = SAMPLE.matcher(line);
            if (!line.startsWith("#") && m.find()) {
                samples.put(m.group(1) + (m.group(2) == null ? "" : m.group(2)), Double.parseDouble(m.group(3)));
            }
        }
        return samples;
    }

    /** @return a sample's value, 0 when the meter has no sample yet (a counter never incremented). */
    static double sample(Map<String, Double> samples, String name) {
        return samples.getOrDefault(name, 0.0);
    }

    /**
     * The default topics with a prefix on every name, so that several applications on one broker read and write
     * their own topics. Built from the record's components so that it follows whatever topics {@link Topics} names.
     */
    static Topics prefixed(String prefix) {
        return prefixed(prefix, Set.of());
    }

    /**
     * @param keep the record components (such as {@code events}) that keep their default names
     * @return the default topics with a prefix on every name but those kept
     */
    static Topics prefixed(String prefix, Set<String> keep) {
        try {
            Topics defaults = Topics.defaults();
            RecordComponent[] parts = Topics.class.getRecordComponents();
            Class<?>[] types = new Class<?>[parts.length];
            Object[] names = new Object[parts.length];
            for (int i = 0; i < parts.length; i++) {
                types[i] = parts[i].getType();
                Object name = parts[i].getAccessor().invoke(defaults);
                names[i] = keep.contains(parts[i].getName()) ? name : prefix + name;
            }
            return Topics.class.getDeclaredConstructor(types).newInstance(names);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot prefix the topics", e);
        }
    }
}
