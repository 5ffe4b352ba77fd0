package dev.odestream.stream;

import dev.odestream.metrics.EngineMetrics;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Properties;

/**
 * One engine instance: the topology of {@link EngineTopology} running on {@link KafkaStreams}. Scaling out is
 * starting more instances with the same application id; Kafka Streams spreads the partitions and moves state.
 */
public final class Engine implements AutoCloseable {

    private final EngineConfig config;
    private final EngineMetrics metrics;
    private final KafkaStreams streams;

    /**
     * @param config the topology's configuration
     * @param streamsProperties Kafka Streams and client settings, passed through unchanged; start from
     *     {@link #streamsProperties}
     * @param metrics where the processors count
     */
    public Engine(EngineConfig config, Properties streamsProperties, EngineMetrics metrics) {
        this.config = config;
        this.metrics = metrics;
        requireRoom(config.limits(), streamsProperties);
        Topology topology = EngineTopology.build(config, metrics);
        this.streams = new KafkaStreams(topology, streamsProperties);
    }

    /**
     * The engine's defaults: {@code exactly_once_v2}, byte-array default serdes (every node names its own), and
     * reading input from the earliest offset on first start, and the processing exception handler on the global
     * (models) thread too. Anything may be overridden afterwards.
     *
     * @param applicationId the Kafka Streams application id, shared by all instances of one engine
     * @param bootstrapServers the cluster
     * @param stateDir where RocksDB stores live
     */
    public static Properties streamsProperties(String applicationId, String bootstrapServers, Path stateDir) {
        Properties p = new Properties();
        p.put(StreamsConfig.APPLICATION_ID_CONFIG, applicationId);
        p.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        p.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        p.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        p.put(StreamsConfig.DEFAULT_KEY_SERDE_CLASS_CONFIG, Serdes.ByteArraySerde.class);
        p.put(StreamsConfig.DEFAULT_VALUE_SERDE_CLASS_CONFIG, Serdes.ByteArraySerde.class);
        p.put(StreamsConfig.consumerPrefix(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG), "earliest");
        // Deprecated only because Kafka 5.0 makes it the default; until then Kafka Streams warns without it.
        p.put("processing.exception.handler.global.enabled", true);
        return p;
    }

    /** Framing the producer adds around a record's key, value and headers: the batch header and varints, rounded up. */
    static final int PRODUCER_FRAMING_BYTES = 1024;

    /**
     * Refuses a producer limit below what the engine's records may take. Under {@code exactly_once_v2} a record the
     * producer refuses as too large fails the transaction, whatever a production exception handler answers, so the
     * engine bounds every record it makes ({@link Limits}) and needs the producer to take that bound.
     *
     * @throws IllegalArgumentException naming both sizes
     */
    static void requireRoom(Limits limits, Properties streamsProperties) {
        Object value = streamsProperties.getOrDefault(StreamsConfig.producerPrefix(
                ProducerConfig.MAX_REQUEST_SIZE_CONFIG), streamsProperties.get(ProducerConfig.MAX_REQUEST_SIZE_CONFIG));
        long maxRequest = value == null ? 1024 * 1024 : Long.parseLong(value.toString().trim());
        if (maxRequest < (long) limits.maxDeadLetterBytes() + PRODUCER_FRAMING_BYTES) {
            throw new IllegalArgumentException("the producer's " + ProducerConfig.MAX_REQUEST_SIZE_CONFIG + " ("
                    + maxRequest + " bytes) is below the largest dead letter the engine makes ("
                    + limits.maxDeadLetterBytes() + " bytes) plus " + PRODUCER_FRAMING_BYTES + " bytes of framing;"
                    + " lower the dead-letter bound or raise the producer's limit");
        }
    }

    /** Starts processing; returns at once. */
    public void start() {
        streams.start();
    }

    /** @return the Kafka Streams instance, for state, interactive queries and metadata. */
    public KafkaStreams streams() {
        return streams;
    }

    /** @return the configuration. */
    public EngineConfig config() {
        return config;
    }

    /** @return the engine's meters. */
    public EngineMetrics metrics() {
        return metrics;
    }

    /** Stops processing and waits up to {@code timeout} for a clean shutdown. */
    public void close(Duration timeout) {
        streams.close(timeout);
    }

    @Override
    public void close() {
        close(Duration.ofSeconds(30));
    }
}
