package dev.odestream.cli;

import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.metadata.storage.Formatter;
import org.apache.kafka.server.common.MetadataVersion;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A one-node KRaft Kafka (combined broker and controller) in this JVM, for the demo and for a machine with no
 * cluster. It is the only class that touches Kafka's internal server API ({@link KafkaRaftServer}, {@link Formatter},
 * {@link MetadataVersion}), which may change between Kafka releases.
 *
 * <p>Settings suit one node and Kafka Streams with exactly-once: replication factor and min ISR 1 for the internal
 * topics, no group rebalance delays, a small log cleaner buffer (the compacted {@code models} topic needs the
 * cleaner), no automatic topic creation. It listens on localhost only. Its start-up time and memory are
 * in docs/performance.md.
 */
public final class EmbeddedKafka implements AutoCloseable {

    private static final int NODE_ID = 1;

    private final KafkaRaftServer server;
    private final String bootstrapServers;
    private final Path directory;
    private final boolean deleteOnClose;

    private EmbeddedKafka(KafkaRaftServer server, String bootstrapServers, Path directory, boolean deleteOnClose) {
        this.server = server;
        this.bootstrapServers = bootstrapServers;
        this.directory = directory;
        this.deleteOnClose = deleteOnClose;
    }

    /**
     * Formats a fresh log directory under a new temporary directory, starts the node and waits until it answers;
     * the directory is deleted on {@link #close()}.
     */
    public static EmbeddedKafka start() throws Exception {
        return start(Files.createTempDirectory("odestream-kafka-"), true);
    }

    /**
     * @param directory where the log directory goes; formatted if empty, reused if formatted before
     * @param deleteOnClose whether {@link #close()} deletes it
     */
    public static EmbeddedKafka start(Path directory, boolean deleteOnClose) throws Exception {
        int brokerPort = freePort();
        int controllerPort = freePort();
        Path logDir = directory.resolve("kraft");
        KafkaConfig config = KafkaConfig.fromProps(properties(logDir, brokerPort, controllerPort));
        format(logDir);
        KafkaRaftServer server = new KafkaRaftServer(config, Time.SYSTEM);
        server.startup();
        String bootstrap = "localhost:" + brokerPort;
        EmbeddedKafka kafka = new EmbeddedKafka(server, bootstrap, directory, deleteOnClose);
        try {
            kafka.awaitReady();
            return kafka;
        } catch (Exception e) {
            kafka.close();
            throw e;
        }
    }

    private static Properties properties(Path logDir, int brokerPort, int controllerPort) {
        Properties p = new Properties();
        p.putAll(Map.of("process.roles", "broker,controller", "node.id", Integer.toString(NODE_ID),
                "controller.quorum.voters", NODE_ID + "@localhost:" + controllerPort,
                "listeners", "PLAINTEXT://localhost:" + brokerPort + ",CONTROLLER://localhost:" + controllerPort,
                "advertised.listeners", "PLAINTEXT://localhost:" + brokerPort,
                "controller.listener.names", "CONTROLLER",
                "listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT",
                "inter.broker.listener.name", "PLAINTEXT", "log.dirs", logDir.toString()));
        p.putAll(Map.of("offsets.topic.replication.factor", "1", "offsets.topic.num.partitions", "1",
                "transaction.state.log.replication.factor", "1", "transaction.state.log.min.isr", "1",
                "transaction.state.log.num.partitions", "1", "group.initial.rebalance.delay.ms", "0",
                "group.streams.initial.rebalance.delay.ms", "0", "log.cleaner.dedupe.buffer.size", "2097152",
                "auto.create.topics.enable", "false"));
        return p;
    }

    private static void format(Path logDir) throws Exception {
        new Formatter().setPrintStream(new PrintStream(OutputStream.nullOutputStream())).setNodeId(NODE_ID)
                .setClusterId(Uuid.randomUuid().toString()).addDirectory(logDir.toString())
                .setReleaseVersion(MetadataVersion.LATEST_PRODUCTION).setControllerListenerName("CONTROLLER")
                .setMetadataLogDirectory(logDir.toString()).setIgnoreFormatted(true).run();
    }

    private void awaitReady() throws Exception {
        try (Admin admin = admin()) {
            admin.describeCluster().nodes().get(30, TimeUnit.SECONDS);
        }
    }

    /** @return a port free on this machine now, for a listener about to start. */
    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    /** @return {@code localhost:port} of the broker listener. */
    public String bootstrapServers() {
        return bootstrapServers;
    }

    /** @return an admin client for this node; the caller closes it. */
    public Admin admin() {
        return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers));
    }

    /** Shuts the node down and, if so configured, deletes its directory. */
    @Override
    public void close() {
        server.shutdown();
        server.awaitShutdown();
        if (deleteOnClose) {
            deleteTree(directory);
        }
    }

    private static void deleteTree(Path root) {
        try (Stream<Path> paths = Files.walk(root)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + root, e);
        }
    }
}
