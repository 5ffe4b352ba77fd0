package dev.odestream.cli;

import dev.odestream.metrics.EngineMetrics;

/** The engine's status line, one per call: rates since the last call and totals. Not thread-safe. */
final class StatusLine {

    private final DemoProducer producer;
    private long lastNanos = System.nanoTime();
    private long lastIn;
    private long lastSent;

    StatusLine(EngineMetrics metrics, DemoProducer producer) {
        this.producer = producer;
        this.lastIn = metrics.eventsIn();
    }

    String line(EngineMetrics m) {
        long now = System.nanoTime();
        double seconds = (now - lastNanos) / 1e9;
        long in = m.eventsIn();
        long sent = producer == null ? 0 : producer.sent();
        String line = String.format("odestream: %,8.0f events/s in (%,d total), produced %,.0f/s, %,d series,"
                        + " model version %s, dlq %d, late %d, swaps %d, idle intensities %d, expired %d",
                (in - lastIn) / seconds, in, (sent - lastSent) / seconds, m.seriesCount(), modelVersion(m),
                m.eventsRejected(), m.eventsLate(), m.modelSwaps(), m.idleIntensities(), m.seriesExpiredCount());
        lastNanos = now;
        lastIn = in;
        lastSent = sent;
        return line;
    }

    private static String modelVersion(EngineMetrics m) {
        var gauge = m.registry().find("odestream.model.version").gauge();
        return gauge == null ? "?" : Long.toString((long) gauge.value());
    }
}
