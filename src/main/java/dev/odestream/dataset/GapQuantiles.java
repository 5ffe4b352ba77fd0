package dev.odestream.dataset;

import java.time.Duration;
import java.util.Arrays;

/**
 * Quantiles of the gaps between consecutive events of a series, over all series: how irregular the sampling is.
 * Quantiles are nearest-rank (the smallest gap with at least that share of gaps at or below it, R's {@code type = 1}),
 * so each is a gap that occurs. With no gaps (every series has one event) all are zero.
 *
 * @param count the number of gaps: events minus series
 * @param min the shortest gap (0 when two events of a series share a time)
 * @param p10 the 10th percentile
 * @param median the 50th percentile
 * @param p90 the 90th percentile
 * @param max the longest gap
 */
public record GapQuantiles(int count, Duration min, Duration p10, Duration median, Duration p90, Duration max) {

    /** @param gapsMs the gaps in milliseconds, in any order. Not modified. */
    static GapQuantiles of(long[] gapsMs) {
        long[] sorted = gapsMs.clone();
        Arrays.sort(sorted);
        return new GapQuantiles(sorted.length, at(sorted, 0), at(sorted, 10), at(sorted, 50), at(sorted, 90),
                at(sorted, 100));
    }

    private static Duration at(long[] sorted, int percent) {
        if (sorted.length == 0) {
            return Duration.ZERO;
        }
        int rank = (int) ((percent * (long) sorted.length + 99) / 100);
        return Duration.ofMillis(sorted[Math.max(rank, 1) - 1]);
    }
}
