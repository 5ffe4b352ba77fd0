package dev.odestream.query;

import java.time.Duration;

/**
 * What the query server grants a client, so that no client can hold the threads that answer the others.
 *
 * @param queryThreads threads that compute forecasts, intensities and summaries, each with its own model instance
 * @param queueLength series queries that may wait for a query thread; one more is answered 503 with
 *     {@code Retry-After} at once
 * @param maxExchanges requests read or answered at once, each on its own virtual thread; a connection that sends a
 *     request beyond this is closed without an answer. Connections that wait between requests (keep-alive) hold no
 *     thread; the JDK server closes them after {@code sun.net.httpserver.idleInterval} (30 s unless set; the engine's
 *     command sets 10 s) and bounds them by {@code jdk.httpserver.maxConnections}, both read once per JVM.
 * @param headerTimeout how long a client may take to send its request line and headers, from its first byte; a
 *     slower one is cut off
 * @param writeTimeout how long a client may take to read its answer; a slower one is cut off
 */
public record HttpLimits(int queryThreads, int queueLength, int maxExchanges, Duration headerTimeout,
                         Duration writeTimeout) {

    /** Queued series queries by default. */
    public static final int QUEUE_LENGTH = 64;
    /** Requests in flight at once by default. */
    public static final int MAX_EXCHANGES = 256;
    /** Time to send a request's head by default. */
    public static final Duration HEADER_TIMEOUT = Duration.ofSeconds(10);
    /** Time to read an answer by default. */
    public static final Duration WRITE_TIMEOUT = Duration.ofSeconds(30);

    /** @throws IllegalArgumentException if a count is not positive or a timeout is not */
    public HttpLimits {
        if (queryThreads < 1 || queueLength < 0 || maxExchanges < 1) {
            throw new IllegalArgumentException("threads and exchanges must be positive, the queue not negative: "
                    + queryThreads + ", " + maxExchanges + ", " + queueLength);
        }
        if (headerTimeout.isNegative() || headerTimeout.isZero() || writeTimeout.isNegative()
                || writeTimeout.isZero()) {
            throw new IllegalArgumentException("timeouts must be positive: " + headerTimeout + ", " + writeTimeout);
        }
    }

    /** @return the defaults with that many query threads */
    public static HttpLimits defaults(int queryThreads) {
        return new HttpLimits(queryThreads, QUEUE_LENGTH, MAX_EXCHANGES, HEADER_TIMEOUT, WRITE_TIMEOUT);
    }

    /** @return these limits with other timeouts */
    public HttpLimits withTimeouts(Duration header, Duration write) {
        return new HttpLimits(queryThreads, queueLength, maxExchanges, header, write);
    }

    /** @return these limits with another bound on requests in flight and on the queue */
    public HttpLimits withBounds(int exchanges, int queue) {
        return new HttpLimits(queryThreads, queue, exchanges, headerTimeout, writeTimeout);
    }
}
