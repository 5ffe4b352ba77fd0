package dev.odestream.worker;

import dev.odestream.model.ModelConfig;
import dev.odestream.model.checkpoint.Checkpoint;
import dev.odestream.model.checkpoint.CheckpointEnvelope;
import dev.odestream.model.checkpoint.LoadedModel;
import dev.odestream.model.checkpoint.ModelRejectedException;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * Follows the compacted {@code models} topic from its beginning, without a consumer group, for one model name:
 * the newest checkpoint the engine would accept ({@link LoadedModel#fromCheckpoint} against the worker's
 * architecture), and the highest version seen, so that a candidate's version is above every earlier one. Not
 * thread-safe.
 */
final class ModelFeed implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ModelFeed.class);

    /**
     * A checkpoint the worker may follow.
     *
     * @param model the model
     * @param checkpoint its checkpoint, for the metadata
     */
    record Update(LoadedModel model, Checkpoint checkpoint) {
    }

    private final KafkaConsumer<String, byte[]> consumer;
    private final String topic;
    private final String modelName;
    private final ModelConfig architecture;
    private boolean assigned;
    private long maxVersion = -1;

    ModelFeed(Properties client, String topic, String modelName, ModelConfig architecture) {
        Properties p = new Properties();
        p.putAll(client);
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.remove(ConsumerConfig.GROUP_ID_CONFIG);
        this.consumer = new KafkaConsumer<>(p, new StringDeserializer(), new ByteArrayDeserializer());
        this.topic = topic;
        this.modelName = modelName;
        this.architecture = architecture;
    }

    /** @return the highest version among this model name's valid checkpoints so far; -1 if none. */
    long maxVersion() {
        return maxVersion;
    }

    /** Raises the highest version seen, for a version this worker published itself before reading it back. */
    void published(long version) {
        maxVersion = Math.max(maxVersion, version);
    }

    /** Reads to the end of the topic as it is now; returns the newest acceptable checkpoint, or {@code null}. */
    Update catchUp(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        Update latest = null;
        while (System.nanoTime() < deadline) {
            Update u = poll(Duration.ofMillis(100));
            latest = u == null ? latest : u;
            if (assigned && atEnd()) {
                return latest;
            }
        }
        LOG.warn("models topic '{}': not read to its end within {}", topic, timeout);
        return latest;
    }

    private boolean atEnd() {
        Map<TopicPartition, Long> ends = consumer.endOffsets(consumer.assignment());
        return ends.entrySet().stream().allMatch(e -> consumer.position(e.getKey()) >= e.getValue());
    }

    /** @return the newest acceptable checkpoint in what this poll read, or {@code null}. */
    Update poll(Duration timeout) {
        if (!assigned && !assign()) {
            return null;
        }
        Update latest = null;
        for (ConsumerRecord<String, byte[]> r : consumer.poll(timeout)) {
            if (modelName.equals(r.key()) && r.value() != null) {
                Update u = read(r.key(), r.value());
                latest = u == null ? latest : u;
            }
        }
        return latest;
    }

    private boolean assign() {
        List<PartitionInfo> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(5));
        if (partitions == null || partitions.isEmpty()) {
            return false;
        }
        List<TopicPartition> all = partitions.stream().map(p -> new TopicPartition(topic, p.partition())).toList();
        consumer.assign(all);
        consumer.seekToBeginning(all);
        assigned = true;
        return true;
    }

    /** Reads raw ODSC or a JSON envelope, as the engine does. */
    private Update read(String key, byte[] value) {
        try {
            Checkpoint checkpoint = CheckpointEnvelope.open(key, value);
            LoadedModel model = LoadedModel.fromCheckpoint(checkpoint, architecture);
            maxVersion = Math.max(maxVersion, model.version());
            return new Update(model, checkpoint);
        } catch (ModelRejectedException e) {
            LOG.warn("model '{}': checkpoint not followed: {}", modelName, e.getMessage());
            return null;
        }
    }

    @Override
    public void close() {
        consumer.close();
    }
}
