package dev.odestream.dataset;

import dev.odestream.stream.Event;
import dev.odestream.stream.EventJson;
import dev.odestream.stream.EventValidation;
import dev.odestream.stream.InvalidEventException;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Properties;
import java.util.TreeMap;
import java.util.stream.IntStream;

/**
 * The retained history of an events topic as a {@link Dataset}: every record from the start of each partition up to
 * the end it had when reading began, read with the engine's own JSON code and checks. A record the engine would
 * dead-letter (bad key, malformed JSON, non-finite value, a dimension other than the first valued event's) is skipped
 * and counted by its reason, as the engine counts it. Reads without a consumer group, so it commits nothing and
 * disturbs no running consumer.
 */
public final class TopicHistory {

    private TopicHistory() {
    }

    /**
     * What was read.
     *
     * @param dataset the events, by series, in time order
     * @param records records read
     * @param skipped records left out, by the engine's reject reason
     */
    public record Result(Dataset dataset, long records, Map<String, Integer> skipped) {
    }

    /**
     * @param client Kafka client properties; {@code bootstrap.servers} at least
     * @param topic the events topic
     * @param timeout how long to wait for the history before giving up
     * @throws IllegalStateException if the history was not read within the timeout, or holds no valid event
     */
    public static Result read(Properties client, String topic, Duration timeout) {
        Properties props = new Properties();
        props.putAll(client);
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = IntStream.range(0, consumer.partitionsFor(topic, timeout).size())
                    .mapToObj(p -> new TopicPartition(topic, p)).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions, timeout);
            return collect(consumer, end, System.nanoTime() + timeout.toNanos());
        }
    }

    private static Result collect(KafkaConsumer<byte[], byte[]> consumer, Map<TopicPartition, Long> end,
                                  long deadline) {
        List<KeyedEvent> events = new ArrayList<>();
        Map<String, Integer> skipped = new TreeMap<>();
        long records = 0;
        int dimension = -1;
        while (!reachedEnd(consumer, end)) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the history of the topic was not read in time: " + records
                        + " records so far");
            }
            for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                records++;
                try {
                    Event event = EventJson.parse(r.value(), OptionalLong.empty());
                    dimension = dimension < 0 && !event.isPoint() ? event.dimension() : dimension;
                    if (!event.isPoint() && event.dimension() != dimension) {
                        skipped.merge("dimension-mismatch", 1, Integer::sum);
                        continue;
                    }
                    events.add(new KeyedEvent(EventValidation.seriesId(r.key()), event));
                } catch (InvalidEventException e) {
                    skipped.merge(e.reason().code(), 1, Integer::sum);
                }
            }
        }
        if (events.isEmpty()) {
            throw new IllegalStateException("no valid event among " + records + " records");
        }
        int d = Math.max(0, dimension);
        return new Result(Dataset.of(events, IntStream.range(0, d).mapToObj(i -> "x" + i).toList()), records,
                skipped);
    }

    private static boolean reachedEnd(KafkaConsumer<byte[], byte[]> consumer, Map<TopicPartition, Long> end) {
        return end.entrySet().stream().allMatch(e -> consumer.position(e.getKey()) >= e.getValue());
    }
}
