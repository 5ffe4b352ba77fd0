package dev.odestream.stream;

import dev.odestream.metrics.EngineMetrics;
import dev.odestream.metrics.Registries;
import dev.odestream.query.QueryServer;
import dev.odestream.query.StreamsBackend;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.state.HostInfo;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Properties;
import java.util.function.Consumer;

/**
 * One engine instance as an operator runs it, in this JVM: the engine on a broker, a Prometheus registry, and the
 * query server on its own port, advertised as {@code application.server} so that other instances route to it.
 */
final class EngineInstance implements AutoCloseable {

    final Engine engine;
    final QueryServer http;
    final PrometheusMeterRegistry registry;
    final HostInfo host;

    private EngineInstance(Engine engine, QueryServer http, PrometheusMeterRegistry registry, HostInfo host) {
        this.engine = engine;
        this.http = http;
        this.registry = registry;
        this.host = host;
    }

    /**
     * Builds the instance and starts its query server; the engine itself starts with {@link #start}.
     *
     * @param port the query server's port, also the advertised {@code application.server} port
     */
    static EngineInstance create(String bootstrap, EngineConfig config, String applicationId, Path stateDir,
                                 int port) throws Exception {
        Properties props = Engine.streamsProperties(applicationId, bootstrap, stateDir);
        props.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, 100);
        props.put(StreamsConfig.APPLICATION_SERVER_CONFIG, "localhost:" + port);
        PrometheusMeterRegistry registry = Registries.prometheus();
        Engine engine = new Engine(config, props, new EngineMetrics(registry));
        HostInfo host = new HostInfo("localhost", port);
        try {
            QueryServer http = QueryServer.start(new InetSocketAddress("localhost", port),
                    new StreamsBackend(engine.streams(), host), config, engine.metrics(), registry, 2);
            return new EngineInstance(engine, http, registry, host);
        } catch (Exception e) {
            engine.close();
            throw e;
        }
    }

    /** Creates, starts and waits until the instance runs. */
    static EngineInstance start(String bootstrap, EngineConfig config, String applicationId, Path stateDir)
            throws Exception {
        EngineInstance instance = create(bootstrap, config, applicationId, stateDir, ClusterIo.freePort());
        instance.start(streams -> { });
        instance.awaitRunning();
        return instance;
    }

    /** Starts the engine, after {@code beforeStart} has set what must be set before (listeners). */
    void start(Consumer<KafkaStreams> beforeStart) {
        beforeStart.accept(engine.streams());
        engine.start();
    }

    void awaitRunning() {
        ClusterIo.await(() -> engine.streams().state() == KafkaStreams.State.RUNNING, Duration.ofSeconds(30),
                () -> "engine " + host + " running, is " + engine.streams().state());
    }

    int port() {
        return http.port();
    }

    @Override
    public void close() {
        http.close();
        engine.close();
    }
}
