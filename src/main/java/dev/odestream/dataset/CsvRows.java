package dev.odestream.dataset;

import dev.odestream.dataset.BadRowException.Reason;
import dev.odestream.stream.Event;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/** Turns the rows of a CSV file into events, by a {@link CsvLayout} and the column positions of its header. */
final class CsvRows implements RowParser {

    private static final Set<String> NON_FINITE = Set.of("nan", "inf", "+inf", "-inf", "infinity", "+infinity",
            "-infinity");

    private final CsvLayout layout;
    private final int columns;
    private final int key;
    private final int time;
    private final int[] values;

    private CsvRows(CsvLayout layout, Map<String, Integer> header) {
        this.layout = layout;
        this.columns = header.size();
        this.key = header.get(layout.keyColumn());
        this.time = header.get(layout.timeColumn());
        this.values = layout.valueColumns().stream().mapToInt(header::get).toArray();
    }

    /** @return a parser for the rows under {@code headerLine}, which must name every column of the layout. */
    static CsvRows fromHeader(String headerLine, CsvLayout layout) throws RowProblem {
        Map<String, Integer> header = positions(CsvLine.split(headerLine));
        List<String> required = new ArrayList<>(List.of(layout.keyColumn(), layout.timeColumn()));
        required.addAll(layout.valueColumns());
        List<String> missing = required.stream().filter(c -> !header.containsKey(c)).toList();
        if (!missing.isEmpty()) {
            throw new RowProblem(Reason.BAD_HEADER, "no column " + missing + " in header " + header.keySet());
        }
        return new CsvRows(layout, header);
    }

    private static Map<String, Integer> positions(List<String> names) throws RowProblem {
        Map<String, Integer> header = new LinkedHashMap<>();
        for (int i = 0; i < names.size(); i++) {
            if (header.putIfAbsent(names.get(i), i) != null) {
                throw new RowProblem(Reason.BAD_HEADER, "column '" + names.get(i) + "' appears twice");
            }
        }
        return header;
    }

    @Override
    public KeyedEvent parse(String line) throws RowProblem {
        List<String> cells = CsvLine.split(line);
        if (cells.size() != columns) {
            throw new RowProblem(Reason.COLUMN_COUNT, cells.size() + " cells, the header has " + columns);
        }
        String seriesKey = cells.get(key);
        if (seriesKey.isEmpty()) {
            throw new RowProblem(Reason.BAD_KEY, "column '" + layout.keyColumn() + "' is empty");
        }
        return new KeyedEvent(seriesKey, event(timeMs(cells.get(time)), cells));
    }

    private long timeMs(String cell) throws RowProblem {
        if (cell.isEmpty()) {
            throw new RowProblem(Reason.BAD_TIME, "column '" + layout.timeColumn() + "' is empty");
        }
        try {
            return layout.time().toEpochMillis(cell);
        } catch (IllegalArgumentException e) {
            throw new RowProblem(Reason.BAD_TIME, "column '" + layout.timeColumn() + "': " + e.getMessage());
        }
    }

    private Event event(long timeMs, List<String> cells) throws RowProblem {
        double[] row = new double[values.length];
        boolean[] mask = new boolean[values.length];
        int present = 0;
        for (int d = 0; d < values.length; d++) {
            String cell = cells.get(values[d]);
            mask[d] = !cell.isEmpty();
            row[d] = mask[d] ? number(cell, layout.valueColumns().get(d)) : 0.0;
            present += mask[d] ? 1 : 0;
        }
        if (present == 0) {
            return point(timeMs);
        }
        return new Event(timeMs, row, present == values.length ? null : mask, 0);
    }

    private Event point(long timeMs) throws RowProblem {
        if (values.length > 0 && !layout.allMissingIsPoint()) {
            throw new RowProblem(Reason.NO_VALUES, "every value column " + layout.valueColumns() + " is empty"
                    + " (CsvLayout.withAllMissingAsPoint reads such a row as a point event)");
        }
        return Event.point(timeMs, 0);
    }

    private static double number(String cell, String column) throws RowProblem {
        if (NON_FINITE.contains(cell.toLowerCase(Locale.ROOT))) {
            throw new RowProblem(Reason.NON_FINITE, "column '" + column + "': " + cell);
        }
        if (!TimeFormat.isNumber(cell)) {
            throw new RowProblem(Reason.NOT_A_NUMBER, "column '" + column + "': '" + cell + "' is not a number"
                    + " (an empty cell marks a missing value)");
        }
        double value = Double.parseDouble(cell);
        if (!Double.isFinite(value)) {
            throw new RowProblem(Reason.NON_FINITE, "column '" + column + "': " + cell + " is too large");
        }
        return value;
    }
}
