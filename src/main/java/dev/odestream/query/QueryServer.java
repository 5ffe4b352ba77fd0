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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The engine's HTTP API on the JDK's HTTP server:
 * <ul>
 *   <li>{@code GET /v1/series/{id}/forecast?at=t1,t2|horizon=1s,5s} - a forecast record;</li>
 *   <li>{@code GET /v1/series/{id}/intensity?at=...|horizon=...} - intensity records (at the last event by
 *       default);</li>
 *   <li>{@code GET /v1/series/{id}} - a summary of the stored state;</li>
 *   <li>{@code GET /health/live} - 200 while the engine is starting, rebalancing or running, 503 once it has
 *       stopped or failed (restart it);</li>
 *   <li>{@code GET /health/ready} and {@code GET /health} - 200 while it processes (Kafka Streams RUNNING: every
 *       stream thread has its partitions and has restored their stores), 503 otherwise (send queries elsewhere);</li>
 *   <li>{@code GET /metrics} (Prometheus text format).</li>
 * </ul>
 * A series owned by another instance is fetched from it (once: a forwarded request that still does not land on the
 * owner gets a 503). Errors are JSON: 400 for a bad id or time, 404 for an unknown series, 503 with
 * {@code Retry-After} while the stores rebalance or when the query threads and their queue are full.
 *
 * <p>Clients are held to {@link HttpLimits}: requests are read and answered on virtual threads watched by an
 * {@link ExchangeGuard}, and only series queries take one of the few query threads, which hold a model each. A slow
 * or stuck client therefore holds a virtual thread for at most the header timeout, and {@code /health} and
 * {@code /metrics} never wait for a query thread.
 */
public final class QueryServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(QueryServer.class);
    static final String FORWARDED = "X-Odestream-Forwarded";
    private static final String SERIES_PREFIX = "/v1/series/";
    /** The values of the {@code endpoint} tag of the query latency: a fixed set, whatever the paths asked for. */
    static final List<String> ROUTES = List.of("health", "health_live", "health_ready", "metrics", "summary",
            "forecast", "intensity", "other");

    private final HttpServer server;
    private final ExchangeGuard guard;
    private final ThreadPoolExecutor queryThreads;
    private final QueryBackend backend;
    private final SeriesQueries queries;
    private final EngineMetrics metrics;
    private final PrometheusMeterRegistry prometheus;
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private QueryServer(HttpServer server, ExchangeGuard guard, ThreadPoolExecutor queryThreads, QueryBackend backend,
                        EngineConfig config, EngineMetrics metrics, PrometheusMeterRegistry prometheus) {
        this.server = server;
        this.guard = guard;
        this.queryThreads = queryThreads;
        this.backend = backend;
        this.queries = new SeriesQueries(backend, config, metrics);
        this.metrics = metrics;
        this.prometheus = prometheus;
    }

    /** Binds and starts the server with the default {@link HttpLimits} and that many query threads. */
    public static QueryServer start(InetSocketAddress address, QueryBackend backend, EngineConfig config,
                                    EngineMetrics metrics, PrometheusMeterRegistry prometheus, int threads)
            throws IOException {
        return start(address, backend, config, metrics, prometheus, HttpLimits.defaults(threads));
    }

    /**
     * Binds and starts the server.
     *
     * @param address where to listen; port 0 picks a free one
     * @param backend the stores
     * @param config the engine's configuration (its initial model is used until the models store has one)
     * @param metrics the engine's meters; query latency is recorded there
     * @param prometheus what {@code /metrics} renders, or {@code null} for no {@code /metrics}
     * @param limits query threads (each with its own model instance), queue, timeouts and requests in flight
     */
    public static QueryServer start(InetSocketAddress address, QueryBackend backend, EngineConfig config,
                                    EngineMetrics metrics, PrometheusMeterRegistry prometheus, HttpLimits limits)
            throws IOException {
        HttpServer http = HttpServer.create(address, 64);
        AtomicInteger named = new AtomicInteger();
        ThreadPoolExecutor pool = new ThreadPoolExecutor(limits.queryThreads(), limits.queryThreads(), 0,
                TimeUnit.MILLISECONDS, limits.queueLength() == 0 ? new SynchronousQueue<>()
                : new ArrayBlockingQueue<>(limits.queueLength()), runnable -> {
                    Thread t = new Thread(runnable, "odestream-query-" + named.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                });
        ExchangeGuard guard = new ExchangeGuard(limits, metrics.registry());
        QueryServer server = new QueryServer(http, guard, pool, backend, config, metrics, prometheus);
        http.createContext("/", server::handle);
        http.setExecutor(guard);
        http.start();
        return server;
    }

    /** @return the port the server listens on. */
    public int port() {
        return server.getAddress().getPort();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            if (!ExchangeGuard.headRead()) {
                return;
            }
            long start = System.nanoTime();
            String path = exchange.getRequestURI().getRawPath();
            String route = route(path);
            Response response = answer(exchange, path, route);
            // Recorded before the reply goes out, so a client that scrapes /metrics right after its answer sees it.
            Timer.builder("odestream.query.latency").tag("endpoint", route)
                    .tag("status", Integer.toString(response.status())).publishPercentileHistogram()
                    .register(metrics.registry()).record(Duration.ofNanos(System.nanoTime() - start));
            ExchangeGuard.writing();
            send(exchange, response);
        }
    }

    /** @return the route of a path, one of {@link #ROUTES}; anything unknown is {@code other} */
    static String route(String path) {
        switch (path) {
            case "/health":
                return "health";
            case "/health/live":
                return "health_live";
            case "/health/ready":
                return "health_ready";
            case "/metrics":
                return "metrics";
            default:
                break;
        }
        if (!path.startsWith(SERIES_PREFIX) || path.length() == SERIES_PREFIX.length()) {
            return "other";
        }
        String rest = path.substring(SERIES_PREFIX.length());
        int slash = rest.indexOf('/');
        if (slash < 0) {
            return "summary";
        }
        String tail = rest.substring(slash + 1);
        return tail.equals("forecast") || tail.equals("intensity") ? tail : "other";
    }

    private Response answer(HttpExchange exchange, String path, String route) {
        try {
            if (!"GET".equals(exchange.getRequestMethod())) {
                return Response.error(405, "only GET is supported");
            }
            return switch (route) {
                case "health", "health_ready" -> health(backend.ready());
                case "health_live" -> health(backend.live());
                case "metrics" -> prometheus == null ? Response.error(404, "no metrics registry")
                        : Response.text(200, "text/plain; version=0.0.4; charset=utf-8", prometheus.scrape());
                case "summary", "forecast", "intensity" -> series(exchange, path, route);
                default -> Response.error(404, "no such endpoint: " + Response.clip(path));
            };
        } catch (QueryTimes.BadRequestException e) {
            return Response.error(400, e.getMessage());
        } catch (QueryBackend.StoreUnavailableException e) {
            return Response.unavailable(e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Response.unavailable("the server is stopping");
        } catch (Exception e) {
            LOG.warn("query {} failed", Response.clip(exchange.getRequestURI().toString()), e);
            return Response.error(500, e.getClass().getSimpleName() + ": " + Response.clip(e.getMessage()));
        }
    }

    private Response health(boolean up) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", up ? "UP" : "DOWN");
        body.put("state", backend.state());
        body.put("live", backend.live());
        body.put("ready", backend.ready());
        return Response.json(up ? 200 : 503, body);
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
            case QueryBackend.Local l -> {
                Map<String, String> params = params(exchange);
                yield onQueryThread(() -> switch (endpoint) {
                    case "forecast" -> queries.forecast(series, params);
                    case "intensity" -> queries.intensity(series, params);
                    default -> queries.summary(series);
                });
            }
        };
    }

    /** Runs a series query on a query thread, or answers 503 at once when they and their queue are all taken. */
    private Response onQueryThread(Callable<Response> query) throws Exception {
        Future<Response> answer;
        try {
            answer = queryThreads.submit(query);
        } catch (RejectedExecutionException e) {
            return Response.unavailable("busy: all " + queryThreads.getMaximumPoolSize()
                    + " query threads and their queue are taken");
        }
        try {
            return answer.get();
        } catch (ExecutionException e) {
            throw e.getCause() instanceof Exception cause ? cause : new IllegalStateException(e.getCause());
        }
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
            throw new QueryTimes.BadRequestException("bad percent-encoding in '" + Response.clip(raw) + "'");
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
        queryThreads.shutdownNow();
        guard.close();
    }
}
