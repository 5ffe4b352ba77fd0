package dev.odestream.query;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The executor of the JDK HTTP server's exchanges, which cuts off clients that are too slow or too many.
 *
 * <p>The JDK server reads a request's line and headers on the executor's thread, from a blocking channel, and has no
 * read timeout of its own (its {@code sun.net.httpserver.maxReqTime} is read once per JVM, when the first server is
 * created). So each exchange runs on its own virtual thread, cheap while it waits for a slow client, and a watchdog
 * interrupts the thread of an exchange whose client has not sent its head within the header timeout, or not read
 * its answer within the write timeout. The socket channel is interruptible: the blocked read or write fails and
 * closes the connection, and the server drops it. The handler is never interrupted while it computes: it tells the
 * guard when the head has been read ({@link #headRead}) and when it starts writing ({@link #writing}), and an
 * exchange is cut only in those two phases, decided by a compare-and-set on its phase.
 *
 * <p>An exchange beyond {@code maxExchanges} starts interrupted, so its first read closes the connection.
 */
final class ExchangeGuard implements Executor, AutoCloseable {

    private enum Phase { HEAD, HANDLING, WRITING, CUT }

    private static final class Tracked {
        final AtomicReference<Phase> phase = new AtomicReference<>(Phase.HEAD);
        volatile long sinceNanos = System.nanoTime();
        volatile Thread thread;
    }

    private static final ThreadLocal<Tracked> CURRENT = new ThreadLocal<>();

    private final long headerNanos;
    private final long writeNanos;
    private final int maxExchanges;
    private final Set<Tracked> inFlight = ConcurrentHashMap.newKeySet();
    private final AtomicInteger count = new AtomicInteger();
    private final ThreadFactory threads = Thread.ofVirtual().name("odestream-http-", 0).factory();
    private final ScheduledExecutorService watchdog;
    private final Map<String, Counter> cut;

    ExchangeGuard(HttpLimits limits, MeterRegistry registry) {
        this.headerNanos = limits.headerTimeout().toNanos();
        this.writeNanos = limits.writeTimeout().toNanos();
        this.maxExchanges = limits.maxExchanges();
        this.cut = Map.of("header-timeout", cutCounter(registry, "header-timeout"),
                "write-timeout", cutCounter(registry, "write-timeout"),
                "over-limit", cutCounter(registry, "over-limit"));
        this.watchdog = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "odestream-http-watchdog");
            t.setDaemon(true);
            return t;
        });
        long tick = Math.clamp(Math.min(headerNanos, writeNanos) / 4, 10_000_000L, 250_000_000L);
        watchdog.scheduleAtFixedRate(this::sweep, tick, tick, TimeUnit.NANOSECONDS);
    }

    private static Counter cutCounter(MeterRegistry registry, String why) {
        return Counter.builder("odestream.http.cut").tag("why", why)
                .description("HTTP connections the query server closed: a request head or an answer too slow, or"
                        + " more requests in flight than allowed").register(registry);
    }

    @Override
    public void execute(Runnable exchange) {
        Tracked tracked = new Tracked();
        boolean over = count.incrementAndGet() > maxExchanges;
        Thread thread = threads.newThread(() -> {
            CURRENT.set(tracked);
            try {
                if (over) {
                    tracked.phase.set(Phase.CUT);
                    cut.get("over-limit").increment();
                    Thread.currentThread().interrupt();
                }
                exchange.run();
            } finally {
                inFlight.remove(tracked);
                count.decrementAndGet();
            }
        });
        tracked.thread = thread;
        inFlight.add(tracked);
        thread.start();
    }

    /** @return whether the calling exchange may go on; false if it was cut while its head was read */
    static boolean headRead() {
        Tracked t = CURRENT.get();
        return t == null || t.phase.compareAndSet(Phase.HEAD, Phase.HANDLING);
    }

    /** The calling exchange starts writing its answer: from now on the write timeout runs. */
    static void writing() {
        Tracked t = CURRENT.get();
        if (t != null) {
            t.sinceNanos = System.nanoTime();
            t.phase.compareAndSet(Phase.HANDLING, Phase.WRITING);
        }
    }

    private void sweep() {
        long now = System.nanoTime();
        for (Tracked t : inFlight) {
            long age = now - t.sinceNanos;
            if (age > headerNanos && t.phase.compareAndSet(Phase.HEAD, Phase.CUT)) {
                cut.get("header-timeout").increment();
                t.thread.interrupt();
            } else if (age > writeNanos && t.phase.compareAndSet(Phase.WRITING, Phase.CUT)) {
                cut.get("write-timeout").increment();
                t.thread.interrupt();
            }
        }
    }

    @Override
    public void close() {
        watchdog.shutdownNow();
        inFlight.forEach(t -> t.thread.interrupt());
    }
}
