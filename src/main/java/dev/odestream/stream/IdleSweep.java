package dev.odestream.stream;

import dev.odestream.metrics.EngineMetrics;
import dev.odestream.model.ForecastPoint;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * The wall-clock sweep of one task's {@code series-state} store, every {@link EngineConfig#idleInterval()}. A series
 * counts as idle from the wall-clock time of its last event ({@link SeriesSnapshot#lastActivityMs()}), not from its
 * event time, so that replayed history does not look idle. Each sweep:
 * <ul>
 *   <li>deletes every series idle for longer than the TTL, if one is set ({@code odestream.series.expired});</li>
 *   <li>for every other series idle for longer than the interval, publishes an intensity record at the sweep's time
 *       (lambda, the expected count since the last event and the probability of none, so a consumer sees the silence
 *       grow more or less surprising) and stores that intensity in the snapshot. A series whose last event lies more
 *       than {@link ForecastTimes#MAX_AHEAD_UNITS} model time units before the sweep is skipped: the solve would be unbounded.</li>
 * </ul>
 * The store is walked in batches of {@link #BATCH} keys, and a batch's deletes and writes are made after its iterator
 * is closed, so a sweep never changes the store under an open iterator and holds at most one batch in memory. Each
 * idle series costs one forecast and one store write (a changelog record) per sweep: choose the interval with the
 * number of idle series in mind.
 */
final class IdleSweep {

    /** Keys read per batch. */
    static final int BATCH = 1_000;

    private static final Logger LOG = LoggerFactory.getLogger(IdleSweep.class);

    private final EngineMetrics metrics;
    private final ProcessorContext<Object, Object> context;
    private final KeyValueStore<String, SeriesSnapshot> store;
    private final Supplier<SeriesModel> model;
    private final AtomicLong taskSeries;
    private final long idleMs;
    private final long ttlMs;

    /**
     * @param model the model in use now, looked up at each sweep
     * @param taskSeries the task's series count, lowered by each expiry
     */
    IdleSweep(EngineConfig config, EngineMetrics metrics, ProcessorContext<Object, Object> context,
              KeyValueStore<String, SeriesSnapshot> store, Supplier<SeriesModel> model, AtomicLong taskSeries) {
        this.metrics = metrics;
        this.context = context;
        this.store = store;
        this.model = model;
        this.taskSeries = taskSeries;
        this.idleMs = config.idleInterval().toMillis();
        this.ttlMs = config.ttl().toMillis();
    }

    /** @param nowMs the wall-clock time of the sweep */
    void run(long nowMs) {
        String after = null;
        do {
            after = batch(after, nowMs);
        } while (after != null);
    }

    /** @return the last key of a full batch, where the next one starts; {@code null} when the store is done. */
    private String batch(String after, long nowMs) {
        List<KeyValue<String, SeriesSnapshot>> idle = new ArrayList<>();
        List<String> expired = new ArrayList<>();
        String last = null;
        int read = 0;
        try (KeyValueIterator<String, SeriesSnapshot> it = after == null ? store.all() : store.range(after, null)) {
            while (it.hasNext() && read < BATCH) {
                KeyValue<String, SeriesSnapshot> entry = it.next();
                if (entry.key.equals(after)) {
                    continue;
                }
                read++;
                last = entry.key;
                long quiet = nowMs - entry.value.lastActivityMs();
                if (ttlMs > 0 && quiet > ttlMs) {
                    expired.add(entry.key);
                } else if (quiet > idleMs) {
                    idle.add(entry);
                }
            }
        }
        expire(expired);
        idle.forEach(entry -> publish(entry.key, entry.value, nowMs));
        return read == BATCH ? last : null;
    }

    private void expire(List<String> series) {
        if (series.isEmpty()) {
            return;
        }
        series.forEach(store::delete);
        taskSeries.addAndGet(-series.size());
        metrics.seriesExpired(series.size());
        LOG.debug("expired {} series past the TTL of {} ms", series.size(), ttlMs);
    }

    private void publish(String series, SeriesSnapshot s, long nowMs) {
        long tau = s.lastTimeMs();
        long at = Math.max(nowMs, tau);
        SeriesModel m = model.get();
        if (at - tau > ForecastTimes.MAX_AHEAD_UNITS * m.loaded().spec().timeUnitMs()) {
            LOG.debug("series {}: idle since {}, too long ago for an intensity", series, EventJson.iso(tau));
            return;
        }
        try {
            SeriesSnapshot current = s.modelVersion() == m.version() ? s : m.reencode(s);
            SeriesModel.Answer answer = m.answer(current, new long[] {at});
            ForecastPoint p = answer.points().getFirst();
            IntensityRecord record = new IntensityRecord(series, m.version(), tau, at, s.events(), p.intensity(),
                    p.expectedCount(), p.probabilityNoEvent(), answer.source());
            if (!record.isFinite()) {
                throw new ArithmeticException("the intensity is not finite: " + record);
            }
            store.put(series, current.withIntensity(SeriesProcessor.lastIntensity(record)));
            if (current != s) {
                metrics.reencoded();
            }
            context.forward(new Record<>(series, record, nowMs), EngineTopology.INTENSITIES_SINK);
            metrics.idleIntensity();
        } catch (RuntimeException e) {
            metrics.forecastFailed();
            LOG.warn("series {}: no idle intensity at {}: {}", series, EventJson.iso(at), e.toString());
        }
    }
}
