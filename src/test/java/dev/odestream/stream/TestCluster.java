package dev.odestream.stream;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;
import org.apache.kafka.server.common.MetadataVersion;

import java.util.Collection;
import java.util.Map;

/**
 * A one-node KRaft cluster (combined broker and controller) in this JVM, from Kafka's test kit, set up for Kafka
 * Streams with exactly-once: replication factor and min ISR 1 for the internal topics, no rebalance delays, a small
 * cleaner buffer. Topics are created explicitly ({@link Topics#newTopics}).
 */
public final class TestCluster implements AutoCloseable {

    private final KafkaClusterTestKit kit;

    private TestCluster(KafkaClusterTestKit kit) {
        this.kit = kit;
    }

    /** Starts the cluster and waits until its broker is ready. */
    public static TestCluster start() throws Exception {
        TestKitNodes nodes = new TestKitNodes.Builder().setCombined(true).setNumBrokerNodes(1)
                .setNumControllerNodes(1).setBootstrapMetadataVersion(MetadataVersion.LATEST_PRODUCTION).build();
        KafkaClusterTestKit.Builder builder = new KafkaClusterTestKit.Builder(nodes);
        Map.of("offsets.topic.replication.factor", "1", "offsets.topic.num.partitions", "1",
                "transaction.state.log.replication.factor", "1", "transaction.state.log.min.isr", "1",
                "transaction.state.log.num.partitions", "1", "group.initial.rebalance.delay.ms", "0",
                "group.streams.initial.rebalance.delay.ms", "0", "log.cleaner.dedupe.buffer.size", "2097152")
                .forEach(builder::setConfigProp);
        KafkaClusterTestKit kit = builder.build();
        try {
            kit.format();
            kit.startup();
            kit.waitForReadyBrokers();
            return new TestCluster(kit);
        } catch (Exception e) {
            new TestCluster(kit).close();
            throw e;
        }
    }

    /** @return the bootstrap servers of the broker. */
    public String bootstrapServers() {
        return kit.bootstrapServers();
    }

    /** Creates the engine's topics with {@code partitions} partitions each ({@code models} has one). */
    public void createTopics(Topics topics, int partitions) throws Exception {
        createTopics(topics.newTopics(partitions, (short) 1));
    }

    /** Creates topics as given. */
    public void createTopics(Collection<NewTopic> topics) throws Exception {
        try (Admin admin = kit.admin()) {
            admin.createTopics(topics).all().get();
        }
    }

    @Override
    public void close() {
        try {
            kit.close();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while stopping the cluster", e);
        } catch (Exception e) {
            throw new IllegalStateException("cannot stop the cluster", e);
        }
    }
}
