package dev.odestream.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * Forecast queries over HTTP on an open-loop schedule ({@link OpenLoopSchedule}): each goes out when due, whether
 * or not the ones before it have been answered, to a series drawn at random, and its latency is counted from when it
 * was due until its answer has been read.
 */
final class QueryLoad implements AutoCloseable {

    final LatencyRecorder latency = new LatencyRecorder();
    final LongAdder non2xx = new LongAdder();
    final LongAdder failed = new LongAdder();
    private final AtomicInteger inFlight = new AtomicInteger();
    private final ExecutorService executor = Executors.newFixedThreadPool(4, r -> Thread.ofPlatform().daemon()
            .name("bench-query-client").unstarted(r));
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).executor(executor).build();
    private final String base;
    private final String[] series;
    private final String query;
    private final SplittableRandom random;

    /**
     * @param port the engine's HTTP port on localhost
     * @param series the ids queries choose from; each must exist
     * @param query the query string, e.g. {@code horizon=1s,5s,15s}
     */
    QueryLoad(int port, String[] series, String query, long seed) {
        this.base = "http://localhost:" + port + "/v1/series/";
        this.series = series.clone();
        this.query = query;
        this.random = new SplittableRandom(seed);
    }

    /** Runs the schedule on a new daemon thread until {@code endNanos}. */
    Thread start(double rate, long endNanos) {
        return Thread.ofPlatform().daemon().name("bench-query-schedule").start(() -> {
            try {
                new OpenLoopSchedule(rate, System.nanoTime()).run(endNanos, OpenLoopSchedule.SYSTEM, this::send);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
    }

    private void send(long k, long due) {
        URI uri = URI.create(base + series[random.nextInt(series.length)] + "/forecast?" + query);
        HttpRequest request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).GET().build();
        inFlight.incrementAndGet();
        client.sendAsync(request, HttpResponse.BodyHandlers.ofByteArray()).whenComplete((response, error) -> {
            latency.record(System.nanoTime() - due);
            if (error != null) {
                failed.increment();
            } else if (response.statusCode() / 100 != 2) {
                non2xx.increment();
            }
            inFlight.decrementAndGet();
        });
    }

    /** Waits up to {@code limit} for the queries in flight to end. */
    void drain(Duration limit) throws InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        while (inFlight.get() > 0 && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
    }

    @Override
    public void close() {
        client.shutdownNow();
        executor.shutdownNow();
    }
}
