package dev.odestream.dataset;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.ToLongFunction;

/**
 * Splits each series by time into a head for training, the next slice for validation and the tail for testing.
 * Nothing is shuffled: the parts keep the series' order, and every event of a later part is strictly later than every
 * event of an earlier part, so a model fitted on the head never sees the future it is scored on.
 *
 * <p>Sizes, for a series of {@code n} events, sorted by time:
 * <ul>
 *   <li>test: {@code max(1, round(testFraction * n))} events;</li>
 *   <li>validation: {@code round(validationFraction * n)} events, fewer if the head would be left empty;</li>
 *   <li>train: the rest, at least one event.</li>
 * </ul>
 * A boundary that falls between two events at the same time moves earlier until it separates two times, so tied
 * events go to the later part. A series with fewer than {@code minEvents} events, or whose head becomes empty that
 * way, does not contribute.
 *
 * <p>The split only needs each element's time, so it serves training windows as well as events. Immutable.
 *
 * @param validationFraction the share of each series for validation, in [0, 1)
 * @param testFraction the share of each series for testing, in (0, 1)
 * @param minEvents the fewest events a series needs to contribute, at least 2
 */
public record TimeSplit(double validationFraction, double testFraction, int minEvents) {

    /** The default: 10% validation, the last 20% for testing, series of at least 3 events. */
    public static final TimeSplit DEFAULT = new TimeSplit(0.1, 0.2, 3);

    /** Checks the fractions and the minimum. */
    public TimeSplit {
        if (!(testFraction > 0 && testFraction < 1) || !(validationFraction >= 0 && validationFraction < 1)
                || validationFraction + testFraction >= 1) {
            throw new IllegalArgumentException("need 0 < test < 1, 0 <= validation < 1 and validation + test < 1,"
                    + " got validation " + validationFraction + ", test " + testFraction);
        }
        if (minEvents < 2) {
            throw new IllegalArgumentException("a series needs at least 2 events to be split, got " + minEvents);
        }
    }

    /**
     * One series split in three.
     *
     * @param train the head, never empty
     * @param validation the slice after it, possibly empty
     * @param test the tail, never empty
     */
    public record Parts<T>(List<T> train, List<T> validation, List<T> test) {

        /** Copies the lists. */
        public Parts {
            train = List.copyOf(train);
            validation = List.copyOf(validation);
            test = List.copyOf(test);
        }

        /** @return the train and validation parts together: everything before the test part. */
        public List<T> beforeTest() {
            return java.util.stream.Stream.concat(train.stream(), validation.stream()).toList();
        }
    }

    /**
     * @param series one series, sorted by time. Not modified.
     * @param time the time of an element
     * @return the parts, or empty if the series does not contribute
     * @throws IllegalArgumentException if the series is not sorted by time
     */
    public <T> Optional<Parts<T>> split(List<T> series, ToLongFunction<T> time) {
        requireSorted(series, time);
        int n = series.size();
        if (n < minEvents) {
            return Optional.empty();
        }
        int test = (int) Math.max(1, Math.round(testFraction * n));
        int validation = (int) Math.min(Math.round(validationFraction * n), n - test - 1);
        int testStart = earlierTie(series, time, n - test);
        int validationStart = earlierTie(series, time, Math.min(n - test - validation, testStart));
        if (validationStart == 0) {
            return Optional.empty();
        }
        return Optional.of(new Parts<>(series.subList(0, validationStart), series.subList(validationStart, testStart),
                series.subList(testStart, n)));
    }

    /**
     * Splits every series; keys keep the map's order.
     *
     * @return the parts of each series that contributes
     */
    public <T> Map<String, Parts<T>> splitAll(Map<String, List<T>> series, ToLongFunction<T> time) {
        Map<String, Parts<T>> parts = new LinkedHashMap<>();
        series.forEach((key, events) -> split(events, time).ifPresent(p -> parts.put(key, p)));
        return parts;
    }

    /** @return a one-line description, such as "test = last 20%, validation = 10% before it, series >= 3 events". */
    public String describe() {
        return String.format(java.util.Locale.ROOT, "test = last %s%% of each series, validation = %s%% before it,"
                + " series of >= %d events", percent(testFraction), percent(validationFraction), minEvents);
    }

    private static String percent(double fraction) {
        double p = fraction * 100;
        return p == Math.rint(p) ? Long.toString((long) p) : Double.toString(p);
    }

    private static <T> int earlierTie(List<T> series, ToLongFunction<T> time, int boundary) {
        int b = boundary;
        while (b > 0 && b < series.size() && time.applyAsLong(series.get(b - 1)) == time.applyAsLong(series.get(b))) {
            b--;
        }
        return b;
    }

    private static <T> void requireSorted(List<T> series, ToLongFunction<T> time) {
        for (int i = 1; i < series.size(); i++) {
            if (time.applyAsLong(series.get(i)) < time.applyAsLong(series.get(i - 1))) {
                throw new IllegalArgumentException("a series must be sorted by time; element " + i + " is earlier"
                        + " than element " + (i - 1));
            }
        }
    }
}
