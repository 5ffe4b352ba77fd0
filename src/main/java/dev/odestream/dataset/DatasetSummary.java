package dev.odestream.dataset;

import dev.odestream.stream.Event;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;

/**
 * The facts of a {@link Dataset} that a user checks before training; {@link #describe()} prints them.
 *
 * @param series the number of series
 * @param events the number of events
 * @param pointEvents how many events carry no values
 * @param missingValues how many values of events with values are masked out
 * @param dimension the number of values of an event with values
 * @param valueNames one name per value
 * @param first the earliest event time
 * @param last the latest event time
 * @param gaps the gaps between consecutive events of a series
 */
public record DatasetSummary(int series, int events, int pointEvents, int missingValues, int dimension,
        List<String> valueNames, Instant first, Instant last, GapQuantiles gaps) {

    private static final long[] UNIT_MS = {86_400_000L, 3_600_000L, 60_000L, 1_000L};
    private static final String[] UNIT = {"d", "h", "min", "s"};

    /** Copies the names. */
    public DatasetSummary {
        valueNames = List.copyOf(valueNames);
    }

    static DatasetSummary of(Dataset dataset) {
        long[] gaps = new long[dataset.eventCount() - dataset.seriesCount()];
        int g = 0;
        int points = 0;
        int missing = 0;
        long first = Long.MAX_VALUE;
        long last = Long.MIN_VALUE;
        for (List<Event> series : dataset.allSeries().values()) {
            for (int i = 0; i < series.size(); i++) {
                Event e = series.get(i);
                points += e.isPoint() ? 1 : 0;
                missing += missing(e);
                if (i > 0) {
                    gaps[g++] = e.timeMs() - series.get(i - 1).timeMs();
                }
            }
            first = Math.min(first, series.getFirst().timeMs());
            last = Math.max(last, series.getLast().timeMs());
        }
        return new DatasetSummary(dataset.seriesCount(), dataset.eventCount(), points, missing, dataset.dimension(),
                dataset.valueNames(), Instant.ofEpochMilli(first), Instant.ofEpochMilli(last), GapQuantiles.of(gaps));
    }

    private static int missing(Event e) {
        int missing = 0;
        for (int d = 0; d < e.dimension(); d++) {
            missing += e.isPresent(d) ? 0 : 1;
        }
        return missing;
    }

    /**
     * @return three lines such as
     *     <pre>
     * 312 series, 1945 events (0 point events), dimension 4 [bili, albumin, chol, platelet], 894 values missing
     * time 2000-01-01T00:00:00Z to 2014-02-08T00:00:00Z
     * 1633 gaps: min 48d, p10 179d, median 356d, p90 413d, max 2107d</pre>
     */
    public String describe() {
        return series + " series, " + events + " events (" + pointEvents + " point events), dimension " + dimension
                + " " + valueNames + ", " + missingValues + " values missing\n"
                + "time " + first + " to " + last + "\n"
                + gaps.count() + " gaps: min " + human(gaps.min()) + ", p10 " + human(gaps.p10()) + ", median "
                + human(gaps.median()) + ", p90 " + human(gaps.p90()) + ", max " + human(gaps.max());
    }

    /** @return a duration in the largest unit it reaches, such as {@code 356d} or {@code 1.5h}. */
    static String human(Duration duration) {
        long ms = duration.toMillis();
        for (int u = 0; u < UNIT_MS.length; u++) {
            if (ms >= UNIT_MS[u]) {
                double amount = ms / (double) UNIT_MS[u];
                return (amount == Math.rint(amount) ? Long.toString((long) amount)
                        : String.format(Locale.ROOT, "%.1f", amount)) + UNIT[u];
            }
        }
        return ms + "ms";
    }
}
