package dev.odestream.model.checkpoint;

import java.time.Instant;
import java.util.Objects;

/**
 * The span of event time a model was trained on.
 *
 * @param start earliest event time used.
 * @param end latest event time used; not before {@code start}.
 * @param eventCount number of events used, non-negative.
 */
public record DataRange(Instant start, Instant end, long eventCount) {

    /** Validates the range. */
    public DataRange {
        Objects.requireNonNull(start, "start");
        Objects.requireNonNull(end, "end");
        if (end.isBefore(start) || eventCount < 0) {
            throw new IllegalArgumentException("need start <= end and eventCount >= 0, got " + start + " .. " + end
                    + ", " + eventCount);
        }
    }
}
