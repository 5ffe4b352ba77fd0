package dev.odestream.dataset;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;

/**
 * Which columns of a CSV file make an event. Columns are found by their name in the header; others are ignored.
 * A row gives an event of type 0: its values are the value columns in the order given here, and an empty cell is a
 * missing value (0 with mask false). With no value columns every row is a point event.
 *
 * <p>A row with every value cell empty is rejected unless {@code allMissingIsPoint}: such a row is more often a
 * broken export than an event, so reading it as a point event is something the user asks for.
 *
 * @param keyColumn the column holding the series id
 * @param timeColumn the column holding the event time
 * @param valueColumns the columns holding the values, in order; empty for point events only
 * @param time how the time column is read
 * @param allMissingIsPoint whether a row with every value empty is a point event rather than a bad row
 */
public record CsvLayout(String keyColumn, String timeColumn, List<String> valueColumns, TimeFormat time,
        boolean allMissingIsPoint) {

    /** Checks that the column names are non-empty and distinct, and copies the list. */
    public CsvLayout {
        Objects.requireNonNull(time, "time");
        valueColumns = List.copyOf(valueColumns);
        List<String> all = new ArrayList<>(valueColumns);
        all.add(0, timeColumn);
        all.add(0, keyColumn);
        for (String name : all) {
            if (name == null || name.isBlank()) {
                throw new IllegalArgumentException("column names must be non-empty: " + all);
            }
        }
        if (new HashSet<>(all).size() != all.size()) {
            throw new IllegalArgumentException("a column can play only one part: " + all);
        }
    }

    /** @return a layout with times in epoch milliseconds or ISO-8601, and rows of all-empty values rejected. */
    public static CsvLayout of(String keyColumn, String timeColumn, String... valueColumns) {
        return new CsvLayout(keyColumn, timeColumn, List.of(valueColumns), TimeFormat.EPOCH_MILLIS, false);
    }

    /** @return this layout with another time format. */
    public CsvLayout withTime(TimeFormat newTime) {
        return new CsvLayout(keyColumn, timeColumn, valueColumns, newTime, allMissingIsPoint);
    }

    /** @return this layout, reading a row with every value empty as a point event. */
    public CsvLayout withAllMissingAsPoint() {
        return new CsvLayout(keyColumn, timeColumn, valueColumns, time, true);
    }
}
