package dev.odestream.worker;

import java.util.Optional;

/**
 * Decides when a training round is due: on a schedule (a time since the last round, or a count of new events), or
 * on drift, which needs at least {@code warmupEvents} new events since the last round so that a rejected candidate
 * does not start another round at once. Times are {@link System#nanoTime()} readings passed in, so tests need no
 * clock. Not thread-safe.
 */
public final class Triggers {

    private final WorkerConfig.TriggerSettings settings;
    private long lastNanos;
    private long newEvents;

    /**
     * @param settings the schedule and the drift gap
     * @param nowNanos the start, from which the first scheduled round is timed
     */
    public Triggers(WorkerConfig.TriggerSettings settings, long nowNanos) {
        this.settings = settings;
        this.lastNanos = nowNanos;
    }

    /** Counts one new (valid) event. */
    public void eventSeen() {
        newEvents++;
    }

    /** @return valid events since the last round. */
    public long newEvents() {
        return newEvents;
    }

    /**
     * @param nowNanos the time now
     * @param drifted whether the live error has drifted
     * @return the reason for a round now, drift first, or empty
     */
    public Optional<Trigger> due(long nowNanos, boolean drifted) {
        if (drifted && newEvents >= settings.warmupEvents()) {
            return Optional.of(Trigger.DRIFT);
        }
        boolean timer = !settings.every().isZero() && nowNanos - lastNanos >= settings.every().toNanos();
        boolean count = settings.everyEvents() > 0 && newEvents >= settings.everyEvents();
        return newEvents > 0 && (timer || count) ? Optional.of(Trigger.SCHEDULE) : Optional.empty();
    }

    /** Starts the next interval: call when a round was attempted. */
    public void roundDone(long nowNanos) {
        lastNanos = nowNanos;
        newEvents = 0;
    }
}
