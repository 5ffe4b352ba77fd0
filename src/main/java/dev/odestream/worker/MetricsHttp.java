package dev.odestream.worker;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The worker process's own HTTP endpoint on the JDK's server: {@code GET /metrics} in the Prometheus text format and
 * {@code GET /health}. Each request runs on its own virtual thread, so a client that sends its request slowly holds
 * that thread alone, not the server's dispatcher (which would run every exchange without an executor); the command
 * bounds how long it may take ({@code sun.net.httpserver.maxReqTime}, set by {@code WorkerCommand}).
 */
public final class MetricsHttp implements AutoCloseable {

    private final HttpServer server;
    private final ExecutorService executor;

    private MetricsHttp(HttpServer server, ExecutorService executor) {
        this.server = server;
        this.executor = executor;
    }

    /**
     * @param address where to listen; port 0 picks a free one
     * @param registry what {@code /metrics} renders
     */
    public static MetricsHttp start(InetSocketAddress address, PrometheusMeterRegistry registry) throws IOException {
        HttpServer server = HttpServer.create(address, 0);
        server.createContext("/", exchange -> handle(exchange, registry));
        ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
        server.setExecutor(executor);
        server.start();
        return new MetricsHttp(server, executor);
    }

    private static void handle(HttpExchange exchange, PrometheusMeterRegistry registry) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getPath();
            boolean get = exchange.getRequestMethod().equals("GET");
            int status;
            String body;
            String type = "text/plain; charset=utf-8";
            if (get && path.equals("/metrics")) {
                status = 200;
                body = registry.scrape();
                type = "text/plain; version=0.0.4; charset=utf-8";
            } else if (get && path.equals("/health")) {
                status = 200;
                body = "ok\n";
            } else {
                status = get ? 404 : 405;
                body = get ? "not found: " + path + "\n" : "only GET\n";
            }
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", type);
            exchange.sendResponseHeaders(status, bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        }
    }

    /** @return the port it listens on. */
    public int port() {
        return server.getAddress().getPort();
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
