package dev.odestream.cli;

import dev.odestream.data.IrregularSeries;
import dev.odestream.data.IrregularSeriesConfig;
import dev.odestream.metrics.EngineMetrics;
import dev.odestream.metrics.Registries;
import dev.odestream.model.DataSpec;
import dev.odestream.model.ModelConfig;
import dev.odestream.model.checkpoint.LoadedModel;
import dev.odestream.model.checkpoint.ModelRejectedException;
import dev.odestream.query.HttpLimits;
import dev.odestream.query.QueryServer;
import dev.odestream.query.StreamsBackend;
import dev.odestream.stream.Engine;
import dev.odestream.stream.EngineConfig;
import dev.odestream.stream.Topics;
import dev.odestream.train.TrainingBackend;
import dev.odestream.train.TrainingSettings;
import dev.odestream.worker.TrainingBackends;
import dev.odestream.worker.Worker;
import dev.odestream.worker.WorkerConfig;
import dev.odestream.worker.WorkerMetrics;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.state.HostInfo;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The one command that starts everything: an in-process broker when no cluster is given, the topics, the engine,
 * the query server and a demo producer; it prints progress and a curl example, and runs until interrupted or for
 * {@code --duration}. See {@link CliOptions#USAGE}.
 */
public final class Main {

    private static final Duration PROGRESS_EVERY = Duration.ofSeconds(5);

    private final CliOptions options;
    private final List<AutoCloseable> open = new ArrayList<>();
    private final CountDownLatch stop = new CountDownLatch(1);

    private Main(CliOptions options) {
        this.options = options;
    }

    /**
     * Runs the engine; exits with status 2 on a bad command line, 1 when the engine fails or stops by itself (before
     * it ran, or later), with the reason on standard error.
     */
    public static void main(String[] args) throws Exception {
        CliOptions options;
        try {
            options = CliOptions.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("odestream: " + e.getMessage());
            System.err.print(CliOptions.USAGE);
            System.exit(2);
            return;
        }
        if (options.help()) {
            System.out.print(CliOptions.USAGE);
            return;
        }
        HttpServerDefaults.apply(System.getProperties());
        try {
            new Main(options).run();
        } catch (EngineStoppedException e) {
            System.err.println("odestream: " + e.getMessage());
            System.exit(1);
        }
    }

    /** The engine failed or stopped without being asked to. */
    static final class EngineStoppedException extends IllegalStateException {
        private static final long serialVersionUID = 1L;

        EngineStoppedException(String message) {
            super(message);
        }
    }

    private void run() throws Exception {
        Thread hook = new Thread(stop::countDown, "odestream-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            Running running = start();
            report(running);
        } finally {
            closeAll();
        }
    }

    /** Everything {@link #start} started that progress reports need. */
    private record Running(Engine engine, DemoProducer producer, int httpPort) {
    }

    private Running start() throws Exception {
        Properties client = clientProperties();
        LoadedModel model = initialModel();
        EngineConfig config = EngineConfig.defaults(model).withIdle(options.idleInterval(), options.ttl())
                .withLimits(options.limits()).withMaxFuture(options.maxFuture());
        createTopics(client, config.topics());
        int port = options.httpPort() == 0 ? EmbeddedKafka.freePort() : options.httpPort();
        PrometheusMeterRegistry registry = Registries.prometheus();
        EngineMetrics metrics = new EngineMetrics(registry);
        Properties streams = streamsProperties(client, port);
        Engine engine = new Engine(config, streams, metrics);
        open.add(engine);
        open.add(Registries.bind(engine.streams(), registry));
        // The properties may name this instance's address for the others (a pod's DNS name); routing compares to it.
        HostInfo self = HostInfo.buildFromEndpoint(streams.getProperty(StreamsConfig.APPLICATION_SERVER_CONFIG));
        InetSocketAddress bind = new InetSocketAddress(options.httpBind(), port);
        if (bind.isUnresolved()) {
            throw new IllegalArgumentException("--http-bind " + options.httpBind() + ": no such address");
        }
        open.add(QueryServer.start(bind, new StreamsBackend(engine.streams(), self), config, metrics, registry,
                HttpLimits.defaults(4)));
        engine.start();
        awaitRunning(engine.streams());
        System.out.printf("odestream: model version %d (%s), http://localhost:%d%n", model.version(),
                modelSource(), port);
        startWorker(client, model, registry);
        return new Running(engine, startDemo(client, config), port);
    }

    private Properties clientProperties() throws Exception {
        Properties client = new Properties();
        if (options.propertiesFile() != null) {
            try (InputStream in = Files.newInputStream(options.propertiesFile())) {
                client.load(in);
            }
        }
        String bootstrap = options.bootstrapServers();
        if (bootstrap == null) {
            long began = System.nanoTime();
            EmbeddedKafka kafka = EmbeddedKafka.start();
            open.add(kafka);
            bootstrap = kafka.bootstrapServers();
            System.out.printf("odestream: in-process Kafka broker at %s, ready in %.1f s%n", bootstrap,
                    (System.nanoTime() - began) / 1e9);
        }
        client.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        return client;
    }

    private LoadedModel initialModel() throws IOException, ModelRejectedException {
        if (options.checkpoint() != null) {
            return LoadedModel.read(Files.readAllBytes(options.checkpoint()));
        }
        if (options.untrained()) {
            return LoadedModel.initial(ModelConfig.reference(), options.seed());
        }
        if (options.observationDim() > 0) {
            return LoadedModel.baseline(ModelConfig.forData(options.observationDim(), options.eventTypes()));
        }
        return DefaultModel.load();
    }

    private String modelSource() {
        if (options.checkpoint() != null) {
            return options.checkpoint().toString();
        }
        if (options.observationDim() > 0) {
            return "no model yet: baseline forecasts for " + DataSpec.shape(options.observationDim(),
                    options.eventTypes()) + " until the worker publishes a first model";
        }
        return options.untrained() ? "seeded initial model, untrained"
                : "bundled default model " + DefaultModel.RESOURCE;
    }

    private void createTopics(Properties client, Topics topics) throws Exception {
        try (Admin admin = Admin.create(client)) {
            admin.createTopics(topics.newTopics(options.partitions(), (short) 1)).values().values().forEach(f -> {
                try {
                    f.get();
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw new IllegalStateException("cannot create topics: " + e.getCause().getMessage(), e);
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
        }
    }

    private Properties streamsProperties(Properties client, int port) throws IOException {
        Path stateDir = options.stateDir();
        if (stateDir == null) {
            Path temporary = Files.createTempDirectory("odestream-state-");
            open.add(() -> deleteTree(temporary));
            stateDir = temporary;
        }
        Properties p = Engine.streamsProperties(options.applicationId(), client.getProperty(
                CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG), stateDir);
        p.put(StreamsConfig.APPLICATION_SERVER_CONFIG, "localhost:" + port);
        p.putAll(client);
        return p;
    }

    /** How often {@link #awaitRunning} says that it is still waiting. */
    static final Duration WAIT_NOTICE = Duration.ofSeconds(10);

    /** Waits until the engine runs, saying so every {@link #WAIT_NOTICE} on standard output. */
    static void awaitRunning(KafkaStreams streams) throws InterruptedException {
        awaitRunning(streams, WAIT_NOTICE, System.out::println);
    }

    /**
     * Waits until the engine runs, for as long as it starts or rebalances: after a restart the group waits for the
     * members of the stopped instance to time out ({@code session.timeout.ms}, 45 s by default), which is no
     * failure. It throws at once if the engine fails ({@code ERROR}, {@code PENDING_ERROR}) or stops.
     *
     * @param notice how often to log that it is still waiting
     * @param log where the waiting lines go
     * @throws EngineStoppedException if the engine failed or stopped instead of running
     */
    static void awaitRunning(KafkaStreams streams, Duration notice, Consumer<String> log)
            throws InterruptedException {
        long began = System.nanoTime();
        long next = began + notice.toNanos();
        KafkaStreams.State state;
        while ((state = streams.state()) != KafkaStreams.State.RUNNING) {
            if (state != KafkaStreams.State.CREATED && state != KafkaStreams.State.REBALANCING) {
                throw new EngineStoppedException(notRunning(state));
            }
            if (System.nanoTime() >= next) {
                log.accept(String.format("odestream: waiting for the engine to join its group: %s for %d s (after a"
                        + " restart the group waits until the stopped instance's members time out)", state,
                        TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - began)));
                next += notice.toNanos();
            }
            Thread.sleep(50);
        }
    }

    private static String notRunning(KafkaStreams.State state) {
        return switch (state) {
            case ERROR, PENDING_ERROR -> "the engine failed before it ran (" + state + "): a stream thread stopped"
                    + " on an error; its exception is logged above";
            default -> "the engine stopped before it ran (" + state + ")";
        };
    }

    private DemoProducer startDemo(Properties client, EngineConfig config) {
        if (!options.demo()) {
            return null;
        }
        IrregularSeriesConfig workload = IrregularSeriesConfig.demo(options.series(),
                config.modelConfig().observationDim());
        DemoProducer producer = new DemoProducer(client, config.topics().events(), workload, options.seed(),
                options.rate());
        Thread thread = new Thread(producer, "odestream-demo-producer");
        thread.setDaemon(true);
        thread.start();
        open.add(() -> {
            producer.close();
            thread.join(5_000);
            producer.closeProducer();
        });
        return producer;
    }

    /**
     * The trainer worker on its own thread, in its own consumer group, with its meters on the engine's registry; its
     * windows are short (8 + 4 events) so that the demo's slow series fill them within minutes.
     */
    private void startWorker(Properties client, LoadedModel model, PrometheusMeterRegistry registry) {
        if (!options.worker()) {
            return;
        }
        WorkerConfig config = WorkerConfig.defaults(model).withLimits(options.limits(), options.maxFuture())
                .withBuffer(new WorkerConfig.BufferSettings(options.series(), 64, 8, 4))
                .withTriggers(new WorkerConfig.TriggerSettings(Duration.ofMinutes(3), 20_000, 0.5, 0.01, 500))
                .withTraining(new TrainingSettings(100, 32, 0.005, 10.0,
                        Runtime.getRuntime().availableProcessors(), 32, options.seed()));
        TrainingBackend backend = TrainingBackends.select(config.backend(), config.training().threads(),
                System.out::println);
        Worker worker = new Worker(config, client, options.applicationId() + "-worker",
                new WorkerMetrics(registry, backend.name()), backend, System.out::println);
        Thread thread = new Thread(worker, "odestream-worker");
        thread.setDaemon(true);
        thread.start();
        open.add(() -> {
            worker.close();
            thread.join(10_000);
        });
    }

    private void report(Running running) throws InterruptedException {
        // Without a demo there is no series to name; a user's own data comes with its own ids.
        String series = options.demo() ? IrregularSeries.key(0) : "ID";
        if (options.observationDim() > 0) {
            System.out.printf("odestream: produce your events (schemas/event.schema.json, %d values) keyed by series id"
                    + " to topic %s; answers come from a baseline until the worker publishes a first model%n",
                    options.observationDim(), running.engine().config().topics().events());
        }
        System.out.printf("odestream: try  curl 'http://localhost:%d/v1/series/%s/forecast?horizon=1s,5s,30s'%n",
                running.httpPort(), series);
        System.out.printf("odestream:      or send {\"correlationId\": \"c-1\", \"horizons\": [1000, 5000]} keyed %s"
                + " to topic %s and read %s%n", series, running.engine().config().topics().forecastRequests(),
                running.engine().config().topics().forecastResponses());
        System.out.printf("odestream:      curl http://localhost:%d/metrics%n", running.httpPort());
        StatusLine status = new StatusLine(running.engine().metrics(), running.producer());
        long end = options.duration() == null ? Long.MAX_VALUE
                : System.nanoTime() + options.duration().toNanos();
        while (System.nanoTime() < end) {
            long wait = Math.min(PROGRESS_EVERY.toNanos(), end - System.nanoTime());
            if (stop.await(Math.max(wait, 0), TimeUnit.NANOSECONDS)) {
                break;
            }
            KafkaStreams.State state = running.engine().streams().state();
            if (!state.isRunningOrRebalancing()) {
                throw new EngineStoppedException("the engine stopped by itself (" + state + "); a stream thread's"
                        + " error is logged above");
            }
            System.out.println(status.line(running.engine().metrics()));
        }
    }

    private static void deleteTree(Path root) throws IOException {
        try (java.util.stream.Stream<Path> paths = Files.walk(root)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    private void closeAll() {
        for (AutoCloseable c : open.reversed()) {
            try {
                c.close();
            } catch (Exception e) {
                System.err.println("odestream: while closing: " + e);
            }
        }
        open.clear();
    }
}
