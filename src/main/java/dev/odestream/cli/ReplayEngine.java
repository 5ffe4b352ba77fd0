package dev.odestream.cli;

import dev.odestream.metrics.EngineMetrics;
import dev.odestream.metrics.Registries;
import dev.odestream.model.checkpoint.LoadedModel;
import dev.odestream.query.QueryServer;
import dev.odestream.query.StreamsBackend;
import dev.odestream.stream.Engine;
import dev.odestream.stream.EngineConfig;
import dev.odestream.stream.Limits;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.state.HostInfo;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * An engine as {@code Main} starts one without a cluster, for {@code replay}: the in-process broker, the topics (one
 * partition each), the Kafka Streams engine serving one checkpoint with the default configuration, and the HTTP query
 * server on a free port. Closing stops all of it and deletes its directories.
 */
final class ReplayEngine implements AutoCloseable {

    private final List<AutoCloseable> open = new ArrayList<>();
    private final EngineConfig config;
    private String bootstrapServers;
    private int httpPort;

    private ReplayEngine(EngineConfig config) {
        this.config = config;
    }

    /**
     * Starts everything and waits until the engine runs; on a failure closes what it started.
     *
     * @param earliestMs the earliest event time to accept, when earlier than the engine's default
     */
    static ReplayEngine start(LoadedModel model, long earliestMs) throws Exception {
        EngineConfig defaults = EngineConfig.defaults(model);
        Limits limits = defaults.limits();
        ReplayEngine engine = new ReplayEngine(defaults.withLimits(new Limits(limits.maxSeriesIdBytes(),
                Math.min(earliestMs, limits.earliestEventTimeMs()), limits.maxDeadLetterBytes())));
        try {
            engine.startAll();
            return engine;
        } catch (Exception | Error e) {
            engine.close();
            throw e;
        }
    }

    private void startAll() throws Exception {
        EmbeddedKafka kafka = EmbeddedKafka.start();
        open.add(kafka);
        bootstrapServers = kafka.bootstrapServers();
        try (Admin admin = kafka.admin()) {
            admin.createTopics(config.topics().newTopics(1, (short) 1)).all().get(30, TimeUnit.SECONDS);
        }
        Path stateDir = Files.createTempDirectory("odestream-replay-state-");
        open.add(() -> deleteTree(stateDir));
        httpPort = EmbeddedKafka.freePort();
        Properties streams = Engine.streamsProperties("odestream-replay", bootstrapServers, stateDir);
        streams.put(StreamsConfig.APPLICATION_SERVER_CONFIG, "localhost:" + httpPort);
        EngineMetrics metrics = new EngineMetrics(Registries.prometheus());
        Engine engine = new Engine(config, streams, metrics);
        open.add(engine);
        open.add(QueryServer.start(new InetSocketAddress("localhost", httpPort),
                new StreamsBackend(engine.streams(), new HostInfo("localhost", httpPort)), config, metrics, null, 2));
        engine.start();
        Main.awaitRunning(engine.streams());
    }

    /** @return the broker's address */
    String bootstrapServers() {
        return bootstrapServers;
    }

    /** @return the base URL of the HTTP API, such as {@code http://localhost:40123} */
    String http() {
        return "http://localhost:" + httpPort;
    }

    /** @return the engine's configuration, topics included */
    EngineConfig config() {
        return config;
    }

    private static void deleteTree(Path root) throws IOException {
        try (Stream<Path> paths = Files.walk(root)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    @Override
    public void close() {
        for (AutoCloseable c : open.reversed()) {
            try {
                c.close();
            } catch (Exception e) {
                System.err.println("replay: while closing: " + e);
            }
        }
        open.clear();
    }
}
