package dev.odestream.query;

import dev.odestream.metrics.EngineMetrics;
import dev.odestream.stream.EngineFixture;
import dev.odestream.stream.Event;
import dev.odestream.stream.SeriesSnapshot;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static dev.odestream.stream.EngineFixture.T0;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The query server against clients that misbehave, over real sockets: slow ones are cut off, too many are refused,
 * a full queue answers 503 at once, and no URL makes a new metric series.
 */
class QueryServerLimitsTest {

    private static final Duration HEADER_TIMEOUT = Duration.ofSeconds(4);

    @TempDir
    Path stateDir;

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final PrometheusMeterRegistry prometheus = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final EngineMetrics metrics = new EngineMetrics(prometheus);
    private final List<Socket> sockets = new ArrayList<>();
    private EngineFixture engine;
    private QueryServer server;

    @BeforeEach
    void start() {
        engine = new EngineFixture(EngineFixture.smallConfig(), stateDir, metrics);
        engine.send("s1", Event.of(T0 - 3_000, 0.3, -0.1));
        engine.send("s1", Event.of(T0 - 1_000, 0.5, 0.4));
    }

    @AfterEach
    void stop() throws IOException {
        for (Socket s : sockets) {
            s.close();
        }
        if (server != null) {
            server.close();
        }
        engine.close();
    }

    private QueryServer serve(QueryBackend backend, HttpLimits limits) throws IOException {
        server = QueryServer.start(new InetSocketAddress("localhost", 0), backend, engine.config, metrics, prometheus,
                limits);
        return server;
    }

    private HttpResponse<String> get(String path, Duration timeout) throws Exception {
        return http.send(request(path, timeout), HttpResponse.BodyHandlers.ofString());
    }

    private HttpRequest request(String path, Duration timeout) {
        return HttpRequest.newBuilder(URI.create("http://localhost:" + server.port() + path)).timeout(timeout)
                .build();
    }

    /** A client that sends a request head one byte every 200 ms and never finishes it. */
    private Socket trickle() throws IOException {
        Socket socket = new Socket("localhost", server.port());
        sockets.add(socket);
        byte[] head = "GET /health HTTP/1.1\r\nHost: localhost\r\nX-Slow: ".getBytes(StandardCharsets.US_ASCII);
        OutputStream out = socket.getOutputStream();
        out.write(head[0]);
        out.flush();
        Thread.ofVirtual().start(() -> {
            try {
                for (int i = 1; ; i++) {
                    Thread.sleep(200);
                    out.write(i < head.length ? head[i] : 'x');
                    out.flush();
                }
            } catch (IOException | InterruptedException e) {
                // the server closed the connection, or the test ended
            }
        });
        return socket;
    }

    /** @return how long until the server closed the connection (end of stream or reset), at most {@code wait} */
    private static long millisUntilClosed(Socket socket, Duration wait) throws IOException {
        long began = System.nanoTime();
        socket.setSoTimeout((int) wait.toMillis());
        InputStream in = socket.getInputStream();
        try {
            while (in.read() >= 0) {
                // an answer would be a failure too; it is read and the loop waits for the end
                assertFalse(true, "the server answered a request it should have cut off");
            }
        } catch (SocketException e) {
            // reset: closed as well
        }
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - began);
    }

    @Test
    void shouldKeepAnsweringHealthAndForecastsWhileSlowClientsAreCutOff() throws Exception {
        serve(new DriverBackend(engine.driver), HttpLimits.defaults(4).withTimeouts(HEADER_TIMEOUT,
                Duration.ofSeconds(5)));
        List<Socket> slow = new ArrayList<>();
        long opened = System.nanoTime();
        for (int i = 0; i < 8; i++) {
            slow.add(trickle());
        }
        Thread.sleep(300);
        for (int i = 0; i < 3; i++) {
            assertEquals(200, get("/health", Duration.ofSeconds(1)).statusCode());
            HttpResponse<String> forecast = get("/v1/series/s1/forecast?horizon=1s", Duration.ofSeconds(1));
            assertEquals(200, forecast.statusCode(), forecast.body());
        }
        long answered = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - opened);
        assertTrue(answered < HEADER_TIMEOUT.toMillis(), "answered while the slow clients held on, in " + answered
                + " ms");
        for (Socket s : slow) {
            millisUntilClosed(s, Duration.ofSeconds(4));
            long sinceOpen = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - opened);
            assertTrue(sinceOpen < HEADER_TIMEOUT.toMillis() + 3_000, "cut off after " + sinceOpen + " ms");
        }
        assertTrue(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - opened) >= HEADER_TIMEOUT.toMillis());
        assertEquals(8.0, Prometheus.parse(get("/metrics", Duration.ofSeconds(5)).body())
                .value("odestream_http_cut_total", Map.of("why", "header-timeout")));
    }

    @Test
    void shouldCloseAConnectionBeyondTheBoundAtOnceAndServeAgainOnceTheOthersGo() throws Exception {
        serve(new DriverBackend(engine.driver), HttpLimits.defaults(4).withBounds(2, 4)
                .withTimeouts(Duration.ofSeconds(30), Duration.ofSeconds(30)));
        Socket first = trickle();
        Socket second = trickle();
        Thread.sleep(300);
        Socket third = new Socket("localhost", server.port());
        sockets.add(third);
        third.getOutputStream().write("GET /health HTTP/1.1\r\nHost: localhost\r\n\r\n"
                .getBytes(StandardCharsets.US_ASCII));
        assertTrue(millisUntilClosed(third, Duration.ofSeconds(5)) < 2_000, "closed at once, without an answer");
        first.close();
        second.close();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        int status = 0;
        while (status != 200 && System.nanoTime() < deadline) {
            try {
                status = get("/health", Duration.ofSeconds(1)).statusCode();
            } catch (IOException e) {
                Thread.sleep(50);
            }
        }
        assertEquals(200, status, "served again once the slow clients left");
    }

    @Test
    void shouldAnswerBusyAtOnceWhenTheQueryThreadsAndTheirQueueAreTaken() throws Exception {
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        DriverBackend stores = new DriverBackend(engine.driver);
        serve(new HeldBackend(stores, entered, release), HttpLimits.defaults(1).withBounds(64, 1));
        CompletableFuture<HttpResponse<String>> first = http.sendAsync(request("/v1/series/s1/forecast?horizon=1s",
                Duration.ofSeconds(20)), HttpResponse.BodyHandlers.ofString());
        assertTrue(entered.await(5, TimeUnit.SECONDS));
        List<CompletableFuture<HttpResponse<String>>> more = List.of(
                http.sendAsync(request("/v1/series/s1/forecast?horizon=2s", Duration.ofSeconds(20)),
                        HttpResponse.BodyHandlers.ofString()),
                http.sendAsync(request("/v1/series/s1/forecast?horizon=3s", Duration.ofSeconds(20)),
                        HttpResponse.BodyHandlers.ofString()));
        CompletableFuture.anyOf(more.toArray(CompletableFuture[]::new)).get(5, TimeUnit.SECONDS);
        assertEquals(200, get("/health", Duration.ofSeconds(1)).statusCode(), "health does not queue");
        HttpResponse<String> busy = more.stream().filter(CompletableFuture::isDone).findFirst().orElseThrow().get();
        assertEquals(503, busy.statusCode(), busy.body());
        assertEquals("1", busy.headers().firstValue("Retry-After").orElseThrow());
        assertTrue(busy.body().contains("busy"), busy.body());
        release.countDown();
        assertEquals(200, first.get(10, TimeUnit.SECONDS).statusCode());
        HttpResponse<String> queued = more.stream().filter(f -> f.join() != busy).findFirst().orElseThrow().join();
        assertEquals(200, queued.statusCode(), queued.body());
    }

    @Test
    void shouldTagQueryLatencyWithOneOfAFixedSetOfRoutesWhateverThePath() throws Exception {
        serve(new DriverBackend(engine.driver), HttpLimits.defaults(2));
        for (int i = 0; i < 4_000; i++) {
            String path = switch (i % 4) {
                case 0 -> "/v1/series/s1/x" + i;
                case 1 -> "/anything/" + i;
                case 2 -> "/v1/series/s1/forecast/" + i;
                default -> "/v1/series/s" + i;
            };
            int status = get(path, Duration.ofSeconds(5)).statusCode();
            assertEquals(404, status, path);
        }
        get("/v1/series/s1/forecast?horizon=1s", Duration.ofSeconds(5));
        Prometheus scrape = Prometheus.parse(get("/metrics", Duration.ofSeconds(5)).body());
        Set<Map<String, String>> series = scrape.labelSets("odestream_query_latency_seconds_count");
        Set<String> endpoints = new HashSet<>();
        series.forEach(labels -> endpoints.add(labels.get("endpoint")));
        assertEquals(Set.of("other", "summary", "forecast"), endpoints, series.toString());
        assertEquals(3, series.size(), series.toString());
        assertEquals(3_000.0, scrape.value("odestream_query_latency_seconds_count",
                Map.of("endpoint", "other", "status", "404")));
        assertTrue(QueryServer.ROUTES.containsAll(endpoints));
    }

    @Test
    void shouldNameEveryPathByItsRoute() {
        Map<String, String> expected = Map.of("/health", "health", "/health/live", "health_live", "/health/ready",
                "health_ready", "/metrics", "metrics", "/v1/series/a%2Fb", "summary", "/v1/series/a/forecast",
                "forecast", "/v1/series/a/intensity", "intensity", "/v1/series/a/forecastx", "other", "/v1/series/",
                "other", "/metrics/x", "other");
        expected.forEach((path, route) -> assertEquals(route, QueryServer.route(path), path));
    }

    @Test
    void shouldNotEchoAHugeIdOrTimeBack() throws Exception {
        serve(new DriverBackend(engine.driver), HttpLimits.defaults(2));
        String id = "x".repeat(100_000);
        HttpResponse<String> unknown = get("/v1/series/" + id, Duration.ofSeconds(5));
        assertEquals(404, unknown.statusCode());
        assertTrue(unknown.body().length() < 300, unknown.body().length() + " bytes");
        assertTrue(unknown.body().contains("(100000 characters)"), unknown.body());
        HttpResponse<String> badTime = get("/v1/series/s1/forecast?horizon=" + "9".repeat(50_000) + "y",
                Duration.ofSeconds(5));
        assertEquals(400, badTime.statusCode());
        assertTrue(badTime.body().length() < 400 && badTime.body().contains("(50001 characters)"), badTime.body());
    }

    /** The stores of a real topology, where reading a snapshot waits until the test lets it go on. */
    private record HeldBackend(QueryBackend stores, CountDownLatch entered, CountDownLatch release)
            implements QueryBackend {

        @Override
        public Location locate(String series) {
            return stores.locate(series);
        }

        @Override
        public Optional<SeriesSnapshot> snapshot(String series) throws StoreUnavailableException {
            entered.countDown();
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return stores.snapshot(series);
        }

        @Override
        public ReadOnlyKeyValueStore<String, byte[]> models() throws StoreUnavailableException {
            return stores.models();
        }

        @Override
        public String state() {
            return stores.state();
        }

        @Override
        public boolean live() {
            return stores.live();
        }

        @Override
        public boolean ready() {
            return stores.ready();
        }
    }

    /** The sample lines of a Prometheus text scrape, parsed back into names, labels and values. */
    record Prometheus(List<Sample> samples) {

        record Sample(String name, Map<String, String> labels, double value) {
        }

        private static final Pattern LINE = Pattern.compile("([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{(.*)})? (\\S+)");
        private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\",?");

        static Prometheus parse(String text) {
            List<Sample> samples = new ArrayList<>();
            for (String line : text.split("\n")) {
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                Matcher m = LINE.matcher(line);
                assertTrue(m.matches(), "not a sample line: " + line);
                Map<String, String> labels = new java.util.TreeMap<>();
                if (m.group(3) != null) {
                    Matcher l = LABEL.matcher(m.group(3));
                    int end = 0;
                    while (l.lookingAt()) {
                        labels.put(l.group(1), l.group(2));
                        end = l.end();
                        l.region(end, m.group(3).length());
                    }
                    assertEquals(m.group(3).length(), end, "unparsed labels in " + line);
                }
                samples.add(new Sample(m.group(1), labels, Double.parseDouble(m.group(4))));
            }
            return new Prometheus(samples);
        }

        Set<Map<String, String>> labelSets(String name) {
            Set<Map<String, String>> sets = new HashSet<>();
            samples.stream().filter(s -> s.name().equals(name)).forEach(s -> sets.add(s.labels()));
            return sets;
        }

        double value(String name, Map<String, String> labels) {
            return samples.stream().filter(s -> s.name().equals(name) && s.labels().entrySet()
                    .containsAll(labels.entrySet())).mapToDouble(Sample::value).findFirst().orElse(Double.NaN);
        }
    }
}
