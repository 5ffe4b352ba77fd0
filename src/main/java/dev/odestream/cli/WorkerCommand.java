package dev.odestream.cli;

import dev.odestream.metrics.Registries;
import dev.odestream.model.checkpoint.LoadedModel;
import dev.odestream.model.checkpoint.ModelRejectedException;
import dev.odestream.train.TrainingBackend;
import dev.odestream.train.TrainingSettings;
import dev.odestream.worker.MetricsHttp;
import dev.odestream.worker.TrainingBackends;
import dev.odestream.worker.Worker;
import dev.odestream.worker.WorkerConfig;
import dev.odestream.worker.WorkerMetrics;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.apache.kafka.clients.CommonClientConfigs;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.Set;

/**
 * The {@code worker} command: the trainer worker as its own process, with its own consumer group and its own
 * {@code /metrics}. It reads the engine's topics on a running cluster and publishes the models that pass its gate.
 * See {@link #USAGE}.
 */
public final class WorkerCommand {

    /** The help text. */
    public static final String USAGE = """
            usage: worker [options]
              --bootstrap-servers HOST:PORT  the engine's cluster (default localhost:9092)
              --properties FILE              Kafka client properties, passed through (TLS, SASL, ...)
              --group-id ID                  the worker's consumer group (default odestream-worker)
              --model-name NAME              the key on the models topic (default default)
              --checkpoint FILE              the model until the models topic has one (default: the engine's
                                             bundled default model, version 1)
              --seed N                       seed of training (default 1)
              --http-port N                  port of /metrics and /health (default 8081; 0 picks a free one)
              --backend auto|cpu|cuda        where training runs (default auto: CUDA when the driver finds a
                                             device, otherwise the CPU)
              --threads N                    CPU backend threads (default: available processors)
              --train-every D                time between scheduled rounds, e.g. 10m; 0 turns it off (default 10m)
              --train-every-events N         new events between scheduled rounds; 0 turns it off (default 50000)
              --drift-threshold X            drift when the live error passes (1 + X) x the reference (default 0.5)
              --max-series N                 series kept in the training buffer (default 10000)
              --max-events-per-series N      events kept per series (default 64)
              --iterations N                 optimizer steps per round (default 200)
              --rmse-margin X                how much worse (relative) a candidate's RMSE may be (default 0.05)
              --duration D                   stop after D (default: until interrupted)
              --help                         print this and exit
            """;

    private static final Set<String> VALUED = Set.of("--bootstrap-servers", "--properties", "--group-id",
            "--model-name", "--checkpoint", "--seed", "--http-port", "--backend", "--threads", "--train-every",
            "--train-every-events", "--drift-threshold", "--max-series", "--max-events-per-series", "--iterations",
            "--rmse-margin", "--duration");

    private WorkerCommand() {
    }

    /** Runs the worker; exits with 2 on a bad command line, 1 on a failure to start. */
    public static void main(String[] args) throws Exception {
        HttpServerDefaults.apply(System.getProperties());
        int status = run(args, System.out);
        if (status != 0) {
            System.exit(status);
        }
    }

    /**
     * Runs the command with messages to {@code out}.
     *
     * @return 0 after a run, 2 on a usage error, 1 when it cannot start (an unavailable backend, a bad checkpoint)
     */
    public static int run(String[] args, PrintStream out) throws Exception {
        Map<String, String> options;
        try {
            options = parse(args);
        } catch (IllegalArgumentException e) {
            out.println("worker: " + e.getMessage());
            out.print(USAGE);
            return 2;
        }
        if (options.containsKey("--help")) {
            out.print(USAGE);
            return 0;
        }
        WorkerConfig config;
        TrainingBackend backend;
        try {
            config = config(options);
            backend = TrainingBackends.select(config.backend(), config.training().threads(), out::println);
        } catch (IllegalArgumentException | IOException | ModelRejectedException e) {
            out.println("worker: cannot start: " + e.getMessage());
            return 1;
        }
        serve(options, config, backend, out);
        return 0;
    }

    /** @throws IllegalArgumentException naming the first unknown option or missing value */
    static Map<String, String> parse(String... args) {
        Map<String, String> v = new HashMap<>();
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--help") || args[i].equals("-h")) {
                v.put("--help", "");
            } else if (!VALUED.contains(args[i])) {
                throw new IllegalArgumentException("unknown option " + args[i]);
            } else if (i + 1 >= args.length) {
                throw new IllegalArgumentException("option " + args[i] + " needs a value");
            } else {
                v.put(args[i], args[++i]);
            }
        }
        return v;
    }

    /**
     * @throws IllegalArgumentException naming a bad value
     * @throws IOException if the checkpoint cannot be read
     * @throws ModelRejectedException if it is not a latent ODE checkpoint
     */
    static WorkerConfig config(Map<String, String> o) throws IOException, ModelRejectedException {
        String current = null;
        try {
            current = "--seed";
            long seed = Long.parseLong(o.getOrDefault(current, "1"));
            LoadedModel model = o.containsKey("--checkpoint")
                    ? LoadedModel.read(Files.readAllBytes(Path.of(o.get("--checkpoint"))))
                    : DefaultModel.load();
            WorkerConfig d = WorkerConfig.defaults(model);
            current = "--train-every";
            Duration every = o.containsKey(current) ? CliOptions.duration(o.get(current)) : d.triggers().every();
            current = "--train-every-events";
            long everyEvents = Long.parseLong(o.getOrDefault(current, Long.toString(d.triggers().everyEvents())));
            current = "--drift-threshold";
            double drift = Double.parseDouble(o.getOrDefault(current, Double.toString(d.triggers().driftThreshold())));
            current = "--max-series";
            int maxSeries = Integer.parseInt(o.getOrDefault(current, Integer.toString(d.buffer().maxSeries())));
            current = "--max-events-per-series";
            int maxEvents = Integer.parseInt(o.getOrDefault(current,
                    Integer.toString(d.buffer().maxEventsPerSeries())));
            current = "--iterations";
            int iterations = Integer.parseInt(o.getOrDefault(current, Integer.toString(d.training().iterations())));
            current = "--threads";
            int threads = Integer.parseInt(o.getOrDefault(current, Integer.toString(d.training().threads())));
            current = "--rmse-margin";
            double margin = Double.parseDouble(o.getOrDefault(current, Double.toString(d.rmseMargin())));
            current = null;
            WorkerConfig.TriggerSettings t = d.triggers();
            TrainingSettings s = d.training();
            WorkerConfig.BufferSettings b = d.buffer();
            return new WorkerConfig(d.topics(), o.getOrDefault("--model-name", d.modelName()), model, d.timeScale(),
                    false, new WorkerConfig.BufferSettings(maxSeries, maxEvents, b.contextEvents(), b.targetEvents()),
                    new WorkerConfig.TriggerSettings(every, everyEvents, drift, t.ewmaWeight(), t.warmupEvents()),
                    new TrainingSettings(iterations, s.batchSize(), s.learningRate(), s.clipNorm(),
                            threads, s.minWindows(), seed), margin, o.getOrDefault("--backend", d.backend()),
                    d.limits(), d.maxFuture());
        } catch (NumberFormatException | java.time.format.DateTimeParseException e) {
            throw new IllegalArgumentException("bad value for " + current + ": '" + o.get(current) + "'");
        }
    }

    private static void serve(Map<String, String> o, WorkerConfig config, TrainingBackend backend, PrintStream out)
            throws Exception {
        Properties client = new Properties();
        if (o.containsKey("--properties")) {
            try (InputStream in = Files.newInputStream(Path.of(o.get("--properties")))) {
                client.load(in);
            }
        }
        client.putIfAbsent(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG,
                o.getOrDefault("--bootstrap-servers", "localhost:9092"));
        if (o.containsKey("--bootstrap-servers")) {
            client.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, o.get("--bootstrap-servers"));
        }
        PrometheusMeterRegistry registry = Registries.prometheus();
        Worker worker = new Worker(config, client, o.getOrDefault("--group-id", "odestream-worker"),
                new WorkerMetrics(registry, backend.name()), backend, out::println);
        int port = Integer.parseInt(o.getOrDefault("--http-port", "8081"));
        try (MetricsHttp http = MetricsHttp.start(new InetSocketAddress(port), registry)) {
            out.printf("worker: %s backend, model '%s', metrics at http://localhost:%d/metrics%n", backend.name(),
                    config.modelName(), http.port());
            Thread thread = new Thread(worker, "odestream-worker");
            thread.start();
            Thread hook = new Thread(worker::close, "odestream-worker-shutdown");
            Runtime.getRuntime().addShutdownHook(hook);
            Duration duration = o.containsKey("--duration") ? CliOptions.duration(o.get("--duration")) : null;
            thread.join(duration == null ? 0 : duration.toMillis());
            worker.close();
            thread.join();
        }
    }
}
