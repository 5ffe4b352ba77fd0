package dev.odestream.evaluate;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.odestream.dataset.TimeSplit;

import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.List;
import java.util.Locale;

/**
 * The scores of several forecasters on the same test events: {@link #format()} prints them as a table, {@link
 * #toJson()} writes them for machines (non-finite numbers as {@code null}).
 *
 * @param data what the data is called, such as its file name
 * @param split how each series was split
 * @param part the part of each series scored: its test tail, or its validation slice when choosing
 * @param intensityUnit the time unit of intensities in the event-time log-likelihood
 * @param series the series in the data
 * @param seriesScored the series that contributed test events
 * @param testEvents the scored part's events, over all scored series
 * @param valueNames one name per value
 * @param rows one row per forecaster
 */
public record Scoreboard(String data, TimeSplit split, Evaluator.Part part, Duration intensityUnit, int series,
        int seriesScored, int testEvents, List<String> valueNames, List<Row> rows) {

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /** Copies the lists. */
    public Scoreboard {
        valueNames = List.copyOf(valueNames);
        rows = List.copyOf(rows);
    }

    /**
     * One forecaster's scores.
     *
     * @param forecaster its name
     * @param values its scores on the values
     * @param events its scores on the event times
     */
    public record Row(String forecaster, ValueMetrics values, EventMetrics events) {
    }

    /** @return a header naming the data and split, a table of every metric, and RMSE / MAE by dimension. */
    public String format() {
        StringBuilder s = new StringBuilder();
        s.append(String.format(Locale.ROOT, "%s: %d of %d series scored, %d %s events; %s; one step ahead%n", data,
                seriesScored, series, testEvents, part.word(), split.describe()));
        s.append(String.format(Locale.ROOT, "%-13s %7s %7s %9s %9s %7s %9s %5s %5s %5s | %6s %6s %7s %6s %7s %6s%n",
                "forecaster", "values", "skipped", "RMSE", "MAE", "NLL", "CRPS", "cov50", "cov90", "cov95", "events",
                "skip", "evNLL", "PITdev", "PITchi2", "PITks"));
        rows.forEach(r -> s.append(tableRow(r)));
        s.append("event NLL with intensities per ").append(unitName()).append("; coverage of central intervals;")
                .append(" PIT of exp(-Lambda) at each event, uniform if calibrated (chi2 5% critical value 16.92;")
                .append(" KS distance from uniform, 5% critical value about 1.36 / sqrt(events))\n");
        if (!valueNames.isEmpty()) {
            s.append(byDimension());
        }
        return s.toString();
    }

    private String tableRow(Row r) {
        ValueMetrics v = r.values();
        EventMetrics e = r.events();
        return String.format(Locale.ROOT, "%-13s %7d %7d %9s %9s %7s %9s %5s %5s %5s | %6d %6d %7s %6s %7s %6s%n",
                r.forecaster(), v.scored(), v.skipped(), num(v.rmse()), num(v.mae()), num(v.nll()), num(v.crps()),
                share(v.coverage50()), share(v.coverage90()), share(v.coverage95()), e.scored(), e.skipped(),
                num(e.nll()), share(e.pitMaxDeviation()), num(e.pitChiSquare()), share(e.pitKs()));
    }

    private String byDimension() {
        StringBuilder s = new StringBuilder(String.format(Locale.ROOT, "%-13s", "RMSE / MAE"));
        valueNames.forEach(name -> s.append(String.format(Locale.ROOT, " %21s", name)));
        s.append('\n');
        for (Row r : rows) {
            if (r.values().scored() == 0) {
                continue;
            }
            s.append(String.format(Locale.ROOT, "%-13s", r.forecaster()));
            r.values().byDimension().forEach(d -> s.append(String.format(Locale.ROOT, " %10s / %8s", num(d.rmse()),
                    num(d.mae()))));
            s.append('\n');
        }
        return s.toString();
    }

    private String unitName() {
        return intensityUnit.equals(Duration.ofDays(1)) ? "day" : intensityUnit.toString();
    }

    /** @return four significant digits, or "-" for NaN. */
    private static String num(double x) {
        if (Double.isNaN(x)) {
            return "-";
        }
        return Math.abs(x) >= 1e5 || (x != 0 && Math.abs(x) < 1e-3) ? String.format(Locale.ROOT, "%.3e", x)
                : new java.math.BigDecimal(x).round(new java.math.MathContext(4)).stripTrailingZeros().toPlainString();
    }

    private static String share(double x) {
        return Double.isNaN(x) ? "-" : String.format(Locale.ROOT, "%.3f", x);
    }

    /** @return the scoreboard as indented JSON. */
    public String toJson() {
        ObjectNode root = JSON.createObjectNode();
        root.put("data", data);
        root.putObject("split").put("validationFraction", split.validationFraction())
                .put("testFraction", split.testFraction()).put("minEvents", split.minEvents());
        root.put("part", part.word());
        root.put("intensityUnit", intensityUnit.toString());
        root.put("series", series).put("seriesScored", seriesScored).put("testEvents", testEvents);
        valueNames.forEach(root.putArray("valueNames")::add);
        ArrayNode table = root.putArray("forecasters");
        rows.forEach(r -> json(r, table.addObject()));
        try {
            return JSON.writeValueAsString(root);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void json(Row r, ObjectNode row) {
        row.put("name", r.forecaster());
        ValueMetrics v = r.values();
        ObjectNode values = row.putObject("values").put("scored", v.scored()).put("skipped", v.skipped());
        put(values, "rmse", v.rmse());
        put(values, "mae", v.mae());
        put(values, "nll", v.nll());
        put(values, "crps", v.crps());
        put(values, "coverage50", v.coverage50());
        put(values, "coverage90", v.coverage90());
        put(values, "coverage95", v.coverage95());
        ArrayNode dims = values.putArray("byDimension");
        for (ValueMetrics.Dimension d : v.byDimension()) {
            ObjectNode dim = dims.addObject().put("name", d.name()).put("scored", d.scored())
                    .put("skipped", d.skipped());
            put(dim, "rmse", d.rmse());
            put(dim, "mae", d.mae());
            put(dim, "nll", d.nll());
            put(dim, "coverage90", d.coverage90());
        }
        EventMetrics e = r.events();
        ObjectNode events = row.putObject("events").put("scored", e.scored()).put("skipped", e.skipped());
        put(events, "nll", e.nll());
        e.pitHistogram().forEach(events.putArray("pitHistogram")::add);
        put(events, "pitMaxDeviation", e.pitMaxDeviation());
        put(events, "pitChiSquare", e.pitChiSquare());
        put(events, "pitKs", e.pitKs());
    }

    private static void put(ObjectNode node, String field, double x) {
        if (Double.isFinite(x)) {
            node.put(field, x);
        } else {
            node.putNull(field);
        }
    }
}
