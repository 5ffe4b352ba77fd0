package dev.odestream.query;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.odestream.metrics.EngineMetrics;
import dev.odestream.stream.EngineConfig;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.apache.kafka.streams.state.HostInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The engine's HTTP API on the JDK's HTTP server:
 * <ul>
 *   <li>{@code GET /v1/series/{id}/forecast?at=t1,t2|horizon=1s,5s} - a forecast record;</li>
 *   <li>{@code GET /v1/series/{id}/intensity?at=...|horizon=...} - intensity records (at the last event by
 *       default);</li>
 *   <li>{@code GET /v1/series/{id}} - a summary of the stored state;</li>
 *   <li>{@code GET /health} and {@code GET /metrics} (Prometheus text format).</li>
 * </ul>
 * A series owned by another instance is fetched from it (once: a forwarded request that still does not land on the
 * owner gets a 503). Errors are JSON: 400 for a bad id or time, 404 for an unknown series, 503 with
 * {@code Retry-After} while the stores rebalance.
 */
public final class QueryServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(QueryServer.class);
    static final String FORWARDED = "X-Odestream-Forwarded";
    private static final String SERIES_PREFIX = "/v1/series/";

    private final HttpServer server;
    private final ExecutorService executor;
    private final QueryBackend backend;
    private final SeriesQueries queries;
    private final EngineMetrics metrics;
    private final PrometheusMeterRegistry prometheus;
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private QueryServer(HttpServer server, ExecutorService executor, QueryBackend backend, EngineConfig config,
                        EngineMetrics metrics, PrometheusMeterRegistry prometheus) {
        this.server = server;
        this.executor = executor;
        this.backend = backend;
        this.queries = new SeriesQueries(backend, config, metrics);
        this.metrics = metrics;
        this.prometheus = prometheus;
    }

    /**
     * Binds and starts the server.
     *
     * @param address where to listen; port 0 picks a free one
     * @param backend the stores
     * @param config the engine's configuration (its initial model is used until the models store has one)
     * @param metrics the engine's meters; query latency is recorded there
     * @param prometheus what {@code /metrics} renders, or {@code null} for no {@code /metrics}
     * @param threads request threads, each with its own model instance
     */
    public static QueryServer start(InetSocketAddress address, QueryBackend backend, EngineConfig config,
                                    EngineMetrics metrics, PrometheusMeterRegistry prometheus, int threads)
            throws IOException {
        HttpServer http = HttpServer.create(address, 64);
        ExecutorService executor = Executors.newFixedThreadPool(threads, runnable -> {
            Thread t = new Thread(runnable, "odestream-query");
            t.setDaemon(true);
            return t;
        });
        QueryServer server = new QueryServer(http, executor, backend, config, metrics, prometheus);
        http.createContext("/", server::handle);
        http.setExecutor(executor);
        http.start();
        return server;
    }

    /** @return the port the server listens on. */
    public int port() {
        return server.getAddress().getPort();
    }

    private void handle(HttpExchange exchange) throws IOException {
        long start = System.nanoTime();
        String endpoint = "other";
        Response response;
        try {
            String path = exchange.getRequestURI().getRawPath();
            endpoint = endpoint(path);
            response = "GET".equals(exchange.getRequestMethod()) ? route(exchange, path, endpoint)
                    : Response.error(405, "only GET is supported");
        } catch (QueryTimes.BadRequestException e) {
            response = Response.error(400, e.getMessage());
        } catch (QueryBackend.StoreUnavailableException e) {
            response = Response.unavailable(e.getMessage());
        } catch (Exception e) {
            LOG.warn("query {} failed", exchange.getRequestURI(), e);
            response = Response.error(500, e.getClass().getSimpleName() + ": " + e.getMessage());
        }
        // Recorded before the reply goes out, so a client that scrapes /metrics right after its answer sees it.
        Timer.builder("odestream.query.latency").tag("endpoint", endpoint)
                .tag("status", Integer.toString(response.status())).publishPercentileHistogram()
                .register(metrics.registry()).record(Duration.ofNanos(System.nanoTime() - start));
        send(exchange, response);
    }

    private static String endpoint(String path) {
        if (path.equals("/health") || path.equals("/metrics")) {
            return path.substring(1);
        }
        if (!path.startsWith(SERIES_PREFIX)) {
            return "other";
        }
        String rest = path.substring(SERIES_PREFIX.length());
        int slash = rest.indexOf('/');
        return slash < 0 ? "summary" : rest.substring(slash + 1);
    }

    private Response route(HttpExchange exchange, String path, String endpoint) throws Exception {
        return switch (endpoint) {
            case "health" -> health();
            case "metrics" -> prometheus == null ? Response.error(404, "no metrics registry")
                    : Response.text(200, "text/plain; version=0.0.4; charset=utf-8", prometheus.scrape());
            case "summary", "forecast", "intensity" -> series(exchange, path, endpoint);
            default -> Response.error(404, "no such endpoint: " + path);
        };
    }

    private Response health() {
        Map<String, Object> body = Map.of("status", backend.healthy() ? "UP" : "DOWN", "state", backend.state());
        return Response.json(backend.healthy() ? 200 : 503, body);
    }

    private Response series(HttpExchange exchange, String path, String endpoint) throws Exception {
        String rawId = path.substring(SERIES_PREFIX.length());
        rawId = endpoint.equals("summary") ? rawId : rawId.substring(0, rawId.indexOf('/'));
        String series = decode(rawId);
        if (series.isEmpty()) {
            throw new QueryTimes.BadRequestException("the series id is empty");
        }
        return switch (backend.locate(series)) {
            case QueryBackend.Unavailable u -> Response.unavailable(u.why());
            case QueryBackend.Remote r -> forward(exchange, r.host());
            case QueryBackend.Local l -> switch (endpoint) {
                case "forecast" -> queries.forecast(series, params(exchange));
                case "intensity" -> queries.intensity(series, params(exchange));
                default -> queries.summary(series);
            };
        };
    }

    private Response forward(HttpExchange exchange, HostInfo owner) throws IOException, InterruptedException {
        if (exchange.getRequestHeaders().containsKey(FORWARDED)) {
            return Response.unavailable("the series moved while the request was forwarded");
        }
        URI uri = URI.create("http://" + owner.host() + ":" + owner.port() + exchange.getRequestURI().getRawPath()
                + (exchange.getRequestURI().getRawQuery() == null ? "" : "?" + exchange.getRequestURI().getRawQuery()));
        HttpRequest request = HttpRequest.newBuilder(uri).header(FORWARDED, "1").timeout(Duration.ofSeconds(5)).GET()
                .build();
        HttpResponse<byte[]> reply;
        try {
            reply = client.send(request, HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            return Response.unavailable("the owner " + owner + " did not answer: " + e.getMessage());
        }
        Map<String, String> headers = new HashMap<>();
        reply.headers().firstValue("Retry-After").ifPresent(v -> headers.put("Retry-After", v));
        return new Response(reply.statusCode(), reply.headers().firstValue("Content-Type").orElse(Response.JSON),
                reply.body(), headers);
    }

    private static String decode(String raw) throws QueryTimes.BadRequestException {
        try {
            return URLDecoder.decode(raw.replace("+", "%2B"), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new QueryTimes.BadRequestException("bad percent-encoding in '" + raw + "'");
        }
    }

    private static Map<String, String> params(HttpExchange exchange) throws QueryTimes.BadRequestException {
        Map<String, String> params = new HashMap<>();
        String query = exchange.getRequestURI().getRawQuery();
        if (query == null || query.isEmpty()) {
            return params;
        }
        for (String pair : query.split("&")) {
            int eq = pair.indexOf('=');
            String name = decode(eq < 0 ? pair : pair.substring(0, eq));
            if (params.put(name, eq < 0 ? "" : decode(pair.substring(eq + 1))) != null) {
                throw new QueryTimes.BadRequestException("parameter '" + name + "' given twice");
            }
        }
        return params;
    }

    private static void send(HttpExchange exchange, Response response) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", response.contentType());
        response.headers().forEach((name, value) -> exchange.getResponseHeaders().set(name, value));
        exchange.sendResponseHeaders(response.status(), response.body().length == 0 ? -1 : response.body().length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(response.body());
        }
    }

    /** Stops accepting requests and waits up to a second for those in flight. */
    @Override
    public void close() {
        server.stop(1);
        executor.shutdownNow();
    }
}
