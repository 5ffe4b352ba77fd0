package dev.odestream.stream;

import java.time.Instant;

/**
 * Bounds on what one record may be, so that no single record can stop the engine: a series id that would make its
 * forecast records too large for the producer, an event time so early that the encoder's solve from it never ends, or
 * a dead letter too large to publish. Each bound that refuses an event has its own reason on {@code events.dlq}.
 *
 * @param maxSeriesIdBytes the longest series id, in UTF-8 bytes; a longer key is dead-lettered
 *     {@code series-id-too-long}. Every forecast and intensity record carries the id twice (key and value), so this
 *     must stay far below the producer's {@code max.request.size}
 * @param earliestEventTimeMs the earliest event time accepted, epoch milliseconds; an earlier one is dead-lettered
 *     {@code too-early}. The latest is the wall clock plus {@link EngineConfig#maxFuture()}
 * @param maxDeadLetterBytes the most bytes of key, value and headers a dead letter may have; above it the value (then
 *     the key) is cut, and headers give the original size and SHA-256 ({@link DeadLetters}). Must stay below the
 *     producer's {@code max.request.size} (1 MiB by default; {@link Engine} refuses to start otherwise) and the
 *     dead-letter topic's {@code max.message.bytes}
 */
public record Limits(int maxSeriesIdBytes, long earliestEventTimeMs, int maxDeadLetterBytes) {

    /** The default longest series id: 1 KiB of UTF-8. */
    public static final int DEFAULT_MAX_SERIES_ID_BYTES = 1024;
    /**
     * The default earliest event time: 2000-01-01T00:00:00Z. It refuses times that cannot be meant for a live series
     * (0, year 1, {@code Long.MIN_VALUE}) and epoch seconds sent as milliseconds (which land in January 1970), whose
     * gap to the next real event no encoder solve can cross in reasonable time. Older data need a lower bound.
     */
    public static final long DEFAULT_EARLIEST_EVENT_TIME_MS = 946_684_800_000L;
    /** The default largest dead letter: 1,000,000 bytes, leaving room under the producer's 1 MiB for its framing. */
    public static final int DEFAULT_MAX_DEAD_LETTER_BYTES = 1_000_000;
    /** The smallest dead-letter bound allowed: room for the headers and a useful prefix of the value. */
    public static final int MIN_DEAD_LETTER_BYTES = 16 * 1024;

    /** Checks the bounds. */
    public Limits {
        if (maxSeriesIdBytes < 1) {
            throw new IllegalArgumentException("the longest series id must be at least 1 byte, got "
                    + maxSeriesIdBytes);
        }
        if (maxDeadLetterBytes < MIN_DEAD_LETTER_BYTES) {
            throw new IllegalArgumentException("the largest dead letter must be at least " + MIN_DEAD_LETTER_BYTES
                    + " bytes, got " + maxDeadLetterBytes);
        }
    }

    /** @return the defaults: series ids up to 1 KiB, event times from 2000, dead letters up to 1,000,000 bytes */
    public static Limits defaults() {
        return new Limits(DEFAULT_MAX_SERIES_ID_BYTES, DEFAULT_EARLIEST_EVENT_TIME_MS, DEFAULT_MAX_DEAD_LETTER_BYTES);
    }

    /** @return these limits with another longest series id */
    public Limits withMaxSeriesIdBytes(int bytes) {
        return new Limits(bytes, earliestEventTimeMs, maxDeadLetterBytes);
    }

    /** @return these limits with another earliest event time */
    public Limits withEarliestEventTime(Instant earliest) {
        return new Limits(maxSeriesIdBytes, earliest.toEpochMilli(), maxDeadLetterBytes);
    }

    /** @return these limits with another largest dead letter */
    public Limits withMaxDeadLetterBytes(int bytes) {
        return new Limits(maxSeriesIdBytes, earliestEventTimeMs, bytes);
    }
}
