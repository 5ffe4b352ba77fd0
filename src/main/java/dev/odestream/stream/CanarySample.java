package dev.odestream.stream;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * A few recently updated series of this instance, for the canary run of a new model ({@link ModelCanary}). Each
 * series processor offers every snapshot it stores; a series takes the slot its id hashes to, replacing whatever was
 * there, so the sample follows the live series without a lock and without allocating on the event path. Snapshots are
 * immutable, so the models thread reads them while the stream threads go on.
 */
final class CanarySample {

    /** Series the canary runs on, besides its fixed probe. */
    static final int SIZE = 8;

    private final AtomicReferenceArray<SeriesSnapshot> slots = new AtomicReferenceArray<>(SIZE);

    /** Offers a series just stored; cheap enough for every event. */
    void offer(String series, SeriesSnapshot snapshot) {
        slots.setRelease(Math.floorMod(series.hashCode(), SIZE), snapshot);
    }

    /** @return the series sampled so far, at most {@link #SIZE}, those without events left out */
    List<SeriesSnapshot> snapshots() {
        List<SeriesSnapshot> out = new ArrayList<>(SIZE);
        for (int i = 0; i < SIZE; i++) {
            SeriesSnapshot s = slots.getAcquire(i);
            if (s != null && !s.ring().isEmpty()) {
                out.add(s);
            }
        }
        return out;
    }
}
