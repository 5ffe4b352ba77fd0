package dev.odestream.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.odestream.metrics.EngineMetrics;
import dev.odestream.metrics.Registries;
import dev.odestream.model.ModelConfig;
import dev.odestream.model.checkpoint.LoadedModel;
import dev.odestream.query.QueryServer;
import dev.odestream.query.StreamsBackend;
import dev.odestream.stream.Engine;
import dev.odestream.stream.EngineConfig;
import dev.odestream.stream.Topics;
import dev.odestream.worker.WorkerMetrics;
import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The files under {@code deploy/} agree with the code they run: they parse, what they reference exists, ports,
 * paths and topic names are the code's defaults, and every metric a rule or a panel queries is one the engine or the
 * worker exports, read from real registry scrapes: of an engine instance (constructed, not started: Kafka Streams
 * registers its thread and consumer meters when it builds its threads) and of the worker's meters.
 *
 * <p>Jackson's YAML module comes with {@code kafka_2.13} on the runtime classpath; declaring it again in test scope
 * would take it (and SnakeYAML) off the engine's runtime classpath, so the pom does not.
 */
class DeployFilesTest {

    private static final Path DEPLOY = Path.of("deploy");
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final ObjectMapper JSON = new ObjectMapper();

    private static Set<String> exported;
    /** Statuses of the health paths of a real query server over an engine constructed but not started. */
    private static final java.util.Map<String, Integer> HEALTH = new java.util.TreeMap<>();
    /** Exit codes of the compose healthcheck run against that server, by the path it asks for. */
    private static final java.util.Map<String, Integer> COMPOSE_CHECK = new java.util.TreeMap<>();

    @BeforeAll
    static void scrapeARealEngineRegistry(@TempDir Path stateDir) throws Exception {
        PrometheusMeterRegistry registry = Registries.prometheus();
        EngineMetrics metrics = new EngineMetrics(registry);
        exerciseEveryEngineMeter(metrics);
        awaitAGarbageCollection(registry);
        EngineConfig config = EngineConfig.defaults(LoadedModel.initial(ModelConfig.reference(), 1));
        Engine engine = new Engine(config, Engine.streamsProperties("deploy-files", "127.0.0.1:9", stateDir), metrics);
        try (engine) {
            KafkaStreamsMetrics binder = Registries.bind(engine.streams(), registry);
            try (QueryServer server = QueryServer.start(new InetSocketAddress("127.0.0.1", 0),
                    new StreamsBackend(engine.streams(), null), config, metrics, registry, 1)) {
                // One real request, so the query-latency histogram exists as it does once Prometheus scrapes.
                HttpResponse<String> health = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + server.port() + "/health")).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertTrue(health.body().contains("state"), health.body());
                for (String path : List.of("/health", "/health/live", "/health/ready")) {
                    HEALTH.put(path, HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(
                            "http://127.0.0.1:" + server.port() + path)).build(),
                            HttpResponse.BodyHandlers.discarding()).statusCode());
                    COMPOSE_CHECK.put(path, runComposeHealthcheck(server.port(), path));
                }
                // The server records a request's latency after it has sent the response.
                awaitMeter(registry, "odestream.query.latency");
                exported = sampleNames(registry.scrape());
            } finally {
                binder.close();
            }
        }
        exported.addAll(workerScrape());
    }

    /** @return the exit code of engine-1's compose healthcheck, run here against that port and path. */
    private static int runComposeHealthcheck(int port, String path) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        yaml("docker-compose.yml").at("/services/engine-1/healthcheck/test").forEach(a -> command.add(a.asText()));
        assertEquals("CMD", command.removeFirst());
        String script = command.removeLast();
        assertTrue(script.contains("/127.0.0.1/8080") && script.contains("GET /health/ready "), script);
        command.add(script.replace("/8080", "/" + port).replace("/health/ready", path));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        process.getInputStream().transferTo(java.io.OutputStream.nullOutputStream());
        return process.waitFor();
    }

    /** The worker command's registry: its own Prometheus registry with the worker's meters. */
    private static Set<String> workerScrape() {
        PrometheusMeterRegistry registry = Registries.prometheus();
        WorkerMetrics worker = new WorkerMetrics(registry, "cpu");
        worker.eventIn();
        worker.liveError(0.5, 1.5);
        worker.bufferWindows(3);
        worker.modelVersion(2);
        return sampleNames(registry.scrape());
    }

    /** The GC pause timer appears with the first collection it is told of; a long-running engine has had one. */
    private static void awaitAGarbageCollection(PrometheusMeterRegistry registry) throws InterruptedException {
        System.gc();
        awaitMeter(registry, "jvm.gc.pause");
    }

    private static void awaitMeter(PrometheusMeterRegistry registry, String name) throws InterruptedException {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (registry.find(name).meter() == null && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
    }

    private static void exerciseEveryEngineMeter(EngineMetrics m) {
        m.eventIn();
        m.rejected("malformed-json");
        m.late();
        m.accepted(1_000_000, 40, true);
        m.seriesCreated();
        m.reencoded();
        m.forecastPublished();
        m.forecastFailed();
        m.modelInUse(3, 1_700_000_000L, true);
        m.modelRejected("canary");
        m.seriesExpired(1);
        m.idleIntensity();
        m.topicQuery("ok");
    }

    private static Set<String> sampleNames(String scrape) {
        Set<String> names = new TreeSet<>();
        scrape.lines().filter(l -> !l.startsWith("#") && !l.isBlank())
                .forEach(l -> names.add(l.split("[{ ]", 2)[0]));
        return names;
    }

    @Test
    void shouldParseEveryYamlAndJsonFile() throws IOException {
        List<Path> files = files(".yml", ".yaml", ".json");
        assertTrue(files.size() >= 14, files.toString());
        for (Path file : files) {
            List<JsonNode> docs = documents(file);
            assertFalse(docs.isEmpty(), file + " holds no document");
            docs.forEach(d -> assertTrue(d.isObject(), file + " is not a mapping: " + d));
        }
    }

    @Test
    void shouldProbeReadinessAndLivenessWhereTheServerAnswersThem() throws IOException {
        assertEquals(java.util.Map.of("/health", 503, "/health/live", 200, "/health/ready", 503), HEALTH,
                "an engine not started yet is alive but not ready, and /health is readiness");
        JsonNode container = k8s("engine-statefulset.yaml").at("/spec/template/spec/containers/0");
        assertEquals("/health/ready", container.at("/readinessProbe/httpGet/path").asText());
        assertEquals("/health/live", container.at("/livenessProbe/httpGet/path").asText());
        assertEquals("http", container.at("/readinessProbe/httpGet/port").asText());
        assertEquals("http", container.at("/livenessProbe/httpGet/port").asText());
        for (String engine : List.of("engine-1", "engine-2")) {
            JsonNode s = yaml("docker-compose.yml").at("/services/" + engine);
            String test = s.at("/healthcheck/test").toString();
            assertTrue(test.contains("/" + s.at("/environment/ODESTREAM_HTTP_PORT").asText() + " ")
                    && test.contains("/health/ready"), engine + ": " + test);
        }
        assertEquals(java.util.Map.of("/health", 1, "/health/live", 0, "/health/ready", 1), COMPOSE_CHECK,
                "the compose healthcheck passes exactly when the path answers 200");
    }

    @Test
    void shouldReferenceOnlyFilesThatExist() throws IOException {
        JsonNode compose = yaml("docker-compose.yml");
        for (JsonNode service : compose.get("services")) {
            if (service.has("build")) {
                Path context = DEPLOY.resolve(service.at("/build/context").asText()).normalize();
                assertTrue(Files.isRegularFile(context.resolve(service.at("/build/dockerfile").asText())));
            }
            for (JsonNode volume : service.path("volumes")) {
                String source = volume.asText().split(":")[0];
                assertTrue(!source.startsWith(".") || Files.exists(DEPLOY.resolve(source)), source);
            }
        }
        for (String copied : dockerfileCopySources()) {
            assertTrue(Files.exists(Path.of(copied)), "Dockerfile copies a missing " + copied);
        }
        for (JsonNode rules : yaml("prometheus/prometheus.yml").get("rule_files")) {
            assertTrue(Files.isRegularFile(DEPLOY.resolve("prometheus").resolve(rules.asText())), rules.asText());
        }
        assertKustomizationsResolve();
    }

    private static List<String> dockerfileCopySources() throws IOException {
        return Files.readAllLines(DEPLOY.resolve("Dockerfile")).stream()
                .filter(l -> l.startsWith("COPY ") && !l.contains("--from="))
                .flatMap(l -> Stream.of(l.substring(5).trim().split("\\s+")).toList().reversed().stream().skip(1))
                .toList();
    }

    private static void assertKustomizationsResolve() throws IOException {
        for (String dir : List.of("k8s/base", "k8s/gpu")) {
            JsonNode k = yaml(dir + "/kustomization.yaml");
            List<String> refs = new ArrayList<>();
            k.path("resources").forEach(r -> refs.add(r.asText()));
            k.path("patches").forEach(p -> refs.add(p.get("path").asText()));
            assertFalse(refs.isEmpty(), dir);
            refs.forEach(r -> assertTrue(Files.exists(DEPLOY.resolve(dir).resolve(r)), dir + " names " + r));
        }
    }

    @Test
    void shouldServeOnTheEnginesDefaultPortEverywhere() throws IOException {
        int port = CliOptions.parse().httpPort();
        JsonNode compose = yaml("docker-compose.yml");
        for (String engine : List.of("engine-1", "engine-2")) {
            JsonNode s = compose.at("/services/" + engine);
            assertEquals(Integer.toString(port), s.at("/environment/ODESTREAM_HTTP_PORT").asText(), engine);
            assertTrue(s.get("ports").get(0).asText().endsWith(":" + port), engine);
        }
        assertEquals(List.of("engine-1:" + port, "engine-2:" + port), targets("odestream-engine"));
        JsonNode container = k8s("engine-statefulset.yaml").at("/spec/template/spec/containers/0");
        assertEquals(port, container.at("/ports/0/containerPort").asInt());
        assertEquals(Integer.toString(port), env(container, "ODESTREAM_HTTP_PORT"));
        assertTrue(dockerfile().contains("EXPOSE " + port), "the Dockerfile exposes " + port);
    }

    @Test
    void shouldServeTheWorkerOnItsDefaultPortEverywhere() throws IOException {
        Matcher usage = Pattern.compile("--http-port N .*\\(default (\\d+)").matcher(WorkerCommand.USAGE);
        assertTrue(usage.find(), WorkerCommand.USAGE);
        String port = usage.group(1);
        JsonNode compose = yaml("docker-compose.yml");
        assertEquals(port, argAfter(compose.at("/services/worker/command"), "--http-port"));
        assertEquals(port, argAfter(compose.at("/services/worker-gpu/command"), "--http-port"));
        assertEquals(List.of("worker:" + port), targets("odestream-worker"));
        JsonNode container = k8s("worker-deployment.yaml").at("/spec/template/spec/containers/0");
        assertEquals(port, container.at("/ports/0/containerPort").asText());
        assertEquals(port, env(container, "ODESTREAM_HTTP_PORT"));
        assertTrue(dockerfile().matches("(?s).*EXPOSE [0-9 ]*\\b" + port + "\\b.*"), "the Dockerfile exposes " + port);
    }

    @Test
    void shouldKeepTheStateDirOnAVolumeAndReachTheBroker() throws IOException {
        JsonNode compose = yaml("docker-compose.yml");
        String broker = compose.at("/services/kafka/environment/KAFKA_ADVERTISED_LISTENERS").asText()
                .replace("PLAINTEXT://", "");
        for (String engine : List.of("engine-1", "engine-2")) {
            JsonNode s = compose.at("/services/" + engine);
            assertEquals(broker, argAfter(s.get("command"), "--bootstrap-servers"), engine);
            assertTrue(s.get("command").toString().contains("\"--no-worker\""), engine + " leaves training to the worker");
            String stateDir = argAfter(s.get("command"), "--state-dir");
            assertTrue(s.get("volumes").toString().contains(":" + stateDir + "\""), engine + " keeps " + stateDir);
        }
        JsonNode pod = k8s("engine-statefulset.yaml").at("/spec/template/spec");
        String stateDir = argAfter(pod.at("/containers/0/args"), "--state-dir");
        assertTrue(pod.at("/containers/0/args").toString().contains("\"--no-worker\""), "the worker runs apart");
        String claim = k8s("engine-statefulset.yaml").at("/spec/volumeClaimTemplates/0/metadata/name").asText();
        assertTrue(pod.at("/containers/0/volumeMounts").toString()
                .contains("{\"name\":\"" + claim + "\",\"mountPath\":\"" + stateDir + "\"}"), pod.toString());
        assertTrue(env(pod.at("/containers/0"), "ODESTREAM_ADVERTISED_HOST").contains(
                k8s("engine-statefulset.yaml").at("/spec/serviceName").asText()), "pod DNS name via the headless service");
        assertEquals("None", k8s("engine-services.yaml").at("/spec/clusterIP").asText());
    }

    @Test
    void shouldNameOnlyTheEnginesTopicsAndClasses() throws IOException {
        Set<String> topics = Set.copyOf(Topics.defaults().all());
        Matcher m = Pattern.compile("\\bevents\\.[a-z]+\\b").matcher(allText());
        int seen = 0;
        while (m.find()) {
            assertTrue(topics.contains(m.group()), "not a topic of Topics.defaults(): " + m.group());
            seen++;
        }
        assertTrue(seen > 0);
        Matcher c = Pattern.compile("dev\\.odestream\\.[a-z.]+\\.[A-Z]\\w+").matcher(allText());
        while (c.find()) {
            assertTrue(exists(c.group()), "no class " + c.group());
        }
        String launcher = Files.readString(DEPLOY.resolve("odestream.sh"));
        assertTrue(launcher.contains(Main.class.getName()) && launcher.contains(WorkerCommand.class.getName()));
    }

    private static boolean exists(String className) {
        try {
            Class.forName(className);
            return true;
        } catch (ClassNotFoundException e) {
            return false;
        }
    }

    @Test
    void shouldQueryOnlyMetricsTheCodeExports() throws IOException {
        Set<String> recorded = recordedNames();
        assertTrue(exported.contains("odestream_update_latency_seconds_bucket"), "latency histogram buckets");
        assertTrue(exported.contains("kafka_consumer_fetch_manager_records_lag_max"), "consumer lag");
        Set<String> used = new TreeSet<>();
        promql().forEach(expr -> used.addAll(metricNames(expr)));
        assertTrue(used.size() > 20, used.toString());
        for (String name : used) {
            assertTrue(exported.contains(name) || recorded.contains(name) || name.equals("up"),
                    "queried but not exported: " + name);
        }
        for (String name : recorded) {
            assertTrue(used.contains(name), "recorded but never used: " + name);
        }
    }

    @Test
    void shouldUseTheScrapeJobsAndDatasourceThatExist() throws IOException {
        Set<String> jobs = new TreeSet<>();
        yaml("prometheus/prometheus.yml").get("scrape_configs").forEach(j -> jobs.add(j.get("job_name").asText()));
        Matcher m = Pattern.compile("job=\"([^\"]+)\"").matcher(String.join("\n", promql()));
        while (m.find()) {
            assertTrue(jobs.contains(m.group(1)), "no scrape job " + m.group(1));
        }
        String uid = yaml("grafana/provisioning/datasources/prometheus.yml").at("/datasources/0/uid").asText();
        for (JsonNode panel : dashboard().get("panels")) {
            if (!panel.get("type").asText().equals("row")) {
                assertEquals(uid, panel.at("/datasource/uid").asText(), panel.get("title").asText());
            }
        }
        String path = yaml("grafana/provisioning/dashboards/odestream.yml").at("/providers/0/options/path").asText();
        String mount = yaml("docker-compose.yml").at("/services/grafana/volumes").toString();
        assertTrue(mount.contains("./grafana/dashboards:" + path), mount);
    }

    @Test
    void shouldStartOneWorkerPerProfileWithTheGpuReserved() throws IOException {
        JsonNode services = yaml("docker-compose.yml").get("services");
        assertEquals("[\"cpu\"]", services.at("/worker/profiles").toString());
        assertEquals("[\"gpu\"]", services.at("/worker-gpu/profiles").toString());
        assertEquals("nvidia", services.at("/worker-gpu/deploy/resources/reservations/devices/0/driver").asText());
        assertTrue(Files.readString(DEPLOY.resolve(".env")).contains("COMPOSE_PROFILES=cpu"));
        JsonNode patch = yaml("k8s/gpu/worker-gpu.yaml");
        assertEquals(k8s("worker-deployment.yaml").at("/metadata/name"), patch.at("/metadata/name"));
        assertEquals(1, patch.at("/spec/template/spec/containers/0/resources/limits").get("nvidia.com/gpu").asInt());
    }

    @Test
    void shouldUnitTestEveryAlert() throws IOException {
        JsonNode tests = yaml("prometheus/alerts_test.yml");
        assertEquals("[\"alerts.yml\"]", tests.get("rule_files").toString());
        Set<String> tested = new TreeSet<>();
        tests.get("tests").forEach(t -> t.path("alert_rule_test").forEach(a -> tested.add(a.get("alertname").asText())));
        for (JsonNode group : yaml("prometheus/alerts.yml").get("groups")) {
            group.get("rules").forEach(r -> assertTrue(!r.has("alert") || tested.contains(r.get("alert").asText()),
                    "no promtool test for " + r.get("alert")));
        }
    }

    /** @return the metric names in a PromQL expression: identifiers that are not functions, labels or keywords. */
    static Set<String> metricNames(String expr) {
        String e = expr.replaceAll("\"[^\"]*\"", "\"\"").replaceAll("\\{[^}]*}", "").replaceAll("\\[[^]]*]", "")
                .replaceAll("\\b(by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)", "");
        Set<String> names = new TreeSet<>();
        Matcher m = Pattern.compile("([a-zA-Z_:][a-zA-Z0-9_:]*)(\\s*\\()?").matcher(e);
        while (m.find()) {
            if (m.group(2) == null && !Set.of("and", "or", "unless", "bool", "offset").contains(m.group(1))) {
                names.add(m.group(1));
            }
        }
        return names;
    }

    @Test
    void shouldFindMetricNamesInPromql() {
        assertEquals(Set.of("a_bucket", "b:c"), metricNames(
                "histogram_quantile(0.99, sum by (job, le) (rate(a_bucket{x=\"y z\"}[5m]))) / b:c and on(x) vector(1)"));
    }

    private static List<String> promql() throws IOException {
        List<String> exprs = new ArrayList<>();
        for (JsonNode group : yaml("prometheus/alerts.yml").get("groups")) {
            group.get("rules").forEach(r -> exprs.add(r.get("expr").asText()));
        }
        for (JsonNode panel : dashboard().get("panels")) {
            panel.path("targets").forEach(t -> exprs.add(t.get("expr").asText()));
        }
        return exprs;
    }

    private static Set<String> recordedNames() throws IOException {
        Set<String> names = new TreeSet<>();
        for (JsonNode group : yaml("prometheus/alerts.yml").get("groups")) {
            group.get("rules").forEach(r -> {
                if (r.has("record")) {
                    names.add(r.get("record").asText());
                }
            });
        }
        return names;
    }

    private static List<String> targets(String job) throws IOException {
        for (JsonNode j : yaml("prometheus/prometheus.yml").get("scrape_configs")) {
            if (j.get("job_name").asText().equals(job)) {
                List<String> targets = new ArrayList<>();
                j.at("/static_configs/0/targets").forEach(t -> targets.add(t.asText()));
                return targets;
            }
        }
        throw new AssertionError("no scrape job " + job);
    }

    private static String argAfter(JsonNode args, String option) {
        for (int i = 0; i + 1 < args.size(); i++) {
            if (args.get(i).asText().equals(option)) {
                return args.get(i + 1).asText();
            }
        }
        throw new AssertionError("no " + option + " in " + args);
    }

    private static String env(JsonNode container, String name) {
        for (JsonNode e : container.get("env")) {
            if (e.get("name").asText().equals(name)) {
                return e.path("value").asText();
            }
        }
        throw new AssertionError("no env " + name);
    }

    private static JsonNode yaml(String file) throws IOException {
        return documents(DEPLOY.resolve(file)).getFirst();
    }

    private static JsonNode k8s(String file) throws IOException {
        return yaml("k8s/base/" + file);
    }

    private static JsonNode dashboard() throws IOException {
        return JSON.readTree(DEPLOY.resolve("grafana/dashboards/odestream.json").toFile());
    }

    private static String dockerfile() throws IOException {
        return Files.readString(DEPLOY.resolve("Dockerfile"));
    }

    private static List<JsonNode> documents(Path file) throws IOException {
        ObjectMapper mapper = file.toString().endsWith(".json") ? JSON : YAML;
        try (var docs = mapper.readerFor(JsonNode.class).<JsonNode>readValues(file.toFile())) {
            return docs.readAll().stream().filter(d -> !d.isNull() && !d.isMissingNode()).toList();
        }
    }

    private static List<Path> files(String... endings) throws IOException {
        try (Stream<Path> walk = Files.walk(DEPLOY)) {
            return walk.filter(Files::isRegularFile)
                    .filter(p -> Stream.of(endings).anyMatch(p.toString()::endsWith)).sorted().toList();
        }
    }

    private static String allText() throws IOException {
        StringBuilder text = new StringBuilder();
        for (Path p : files(".yml", ".yaml", ".json", ".sh", ".properties", "Dockerfile")) {
            text.append(Files.readString(p)).append('\n');
        }
        return text.toString();
    }
}
