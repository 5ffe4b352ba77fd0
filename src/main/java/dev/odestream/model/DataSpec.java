package dev.odestream.model;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * What a model's numbers mean in a user's data: the names of the value dimensions, the names of the event types,
 * how many milliseconds one model time unit is, and the transform of each value dimension. It travels in the
 * checkpoint (as {@code data.*} hyperparameters), so whoever serves or retrains a model reads the data's shape and
 * units from the model itself, and everything a user sees is in the user's units.
 *
 * @param valueNames one name per value dimension, non-blank and distinct
 * @param eventTypes one name per event type, non-blank and distinct
 * @param timeUnitMs milliseconds per model time unit, positive and finite
 * @param transforms one per value dimension
 * @param level the per-series level the value forecast is a residual on; {@link LevelRule#NONE} for none
 * @param calibration the post-hoc calibration of spreads and intensities; the identity for none
 */
public record DataSpec(List<String> valueNames, List<String> eventTypes, double timeUnitMs,
                       List<ValueTransform> transforms, LevelRule level, Calibration calibration) {

    /** The hyperparameter prefix under which a checkpoint carries its data spec. */
    public static final String PREFIX = "data.";

    private static final String TIME_UNIT = PREFIX + "timeUnitMs";

    /** Time units a fitted spec chooses from, so that a unit reads as what it is. */
    private static final List<Duration> UNITS = List.of(Duration.ofMillis(1), Duration.ofMillis(10),
            Duration.ofMillis(100), Duration.ofSeconds(1), Duration.ofSeconds(10), Duration.ofMinutes(1),
            Duration.ofMinutes(10), Duration.ofHours(1), Duration.ofHours(6), Duration.ofDays(1), Duration.ofDays(7),
            Duration.ofDays(30), Duration.ofDays(365));

    /** Checks and copies. */
    public DataSpec {
        valueNames = List.copyOf(valueNames);
        eventTypes = List.copyOf(eventTypes);
        transforms = List.copyOf(transforms);
        requireNames("value", valueNames);
        requireNames("event type", eventTypes);
        if (transforms.size() != valueNames.size()) {
            throw new IllegalArgumentException(transforms.size() + " transforms for " + valueNames.size()
                    + " value dimensions");
        }
        if (!(timeUnitMs > 0) || Double.isInfinite(timeUnitMs)) {
            throw new IllegalArgumentException("timeUnitMs must be positive and finite, got " + timeUnitMs);
        }
        Objects.requireNonNull(level, "level");
        if (calibration.stdScale().length != valueNames.size()) {
            throw new IllegalArgumentException("a calibration of " + calibration.stdScale().length
                    + " std scales for " + valueNames.size() + " value dimensions");
        }
    }

    /** A spec without a level or a calibration. */
    public DataSpec(List<String> valueNames, List<String> eventTypes, double timeUnitMs,
            List<ValueTransform> transforms) {
        this(valueNames, eventTypes, timeUnitMs, transforms, LevelRule.NONE, Calibration.identity(valueNames.size()));
    }

    /** @return this spec with another level rule */
    public DataSpec withLevel(LevelRule newLevel) {
        return new DataSpec(valueNames, eventTypes, timeUnitMs, transforms, newLevel, calibration);
    }

    /** @return this spec with another calibration */
    public DataSpec withCalibration(Calibration newCalibration) {
        return new DataSpec(valueNames, eventTypes, timeUnitMs, transforms, level, newCalibration);
    }

    /**
     * The spec of a model with no data behind it: values named {@code x0, x1, ...}, event types {@code type0, ...},
     * one model time unit per second, values as they are. Checkpoints written before specs existed read as this.
     */
    public static DataSpec identity(int observationDim, int eventTypes) {
        List<String> values = new ArrayList<>();
        List<ValueTransform> transforms = new ArrayList<>();
        for (int d = 0; d < observationDim; d++) {
            values.add("x" + d);
            transforms.add(ValueTransform.IDENTITY);
        }
        List<String> types = new ArrayList<>();
        for (int k = 0; k < eventTypes; k++) {
            types.add("type" + k);
        }
        return new DataSpec(values, types, 1000.0, transforms);
    }

    /**
     * Maps one observation onto the model's scale, in place; missing values are left as they are. Allocates nothing.
     *
     * @param values the values in the user's units, or {@code null} for a point event. Modified.
     * @param mask which values are present, or {@code null} when all are. Not modified.
     * @return {@code values}
     */
    public double[] valuesToModel(double[] values, boolean[] mask) {
        for (int d = 0; values != null && d < values.length; d++) {
            if (mask == null || mask[d]) {
                values[d] = transforms.get(d).toModel(values[d]);
            }
        }
        return values;
    }

    /** @return the number of value dimensions */
    public int observationDim() {
        return valueNames.size();
    }

    /**
     * Chooses a time unit from the gaps between events of the training data: of a fixed list of round units (1 ms to
     * a year), the one nearest the median gap on a log scale, so a typical gap is about one model unit. The encoder
     * and the latent dynamics are trained at that scale; a fixed second would make a day's gap 86,400 units.
     *
     * @param gapsMs the positive gaps between consecutive events of each series, in ms; not modified
     * @return the unit in ms; one second when there is no positive gap
     */
    public static double chooseTimeUnitMs(long[] gapsMs) {
        long[] positive = Arrays.stream(gapsMs).filter(g -> g > 0).sorted().toArray();
        if (positive.length == 0) {
            return 1000.0;
        }
        double median = Math.log(positive[positive.length / 2]);
        Duration best = UNITS.get(0);
        for (Duration unit : UNITS) {
            if (Math.abs(Math.log(unit.toMillis()) - median) < Math.abs(Math.log(best.toMillis()) - median)) {
                best = unit;
            }
        }
        return best.toMillis();
    }

    /** @return this spec as {@code data.*} hyperparameters; {@link #fromHyperparameters} reads them back */
    public Map<String, String> toHyperparameters() {
        Map<String, String> h = new TreeMap<>();
        h.put(TIME_UNIT, Double.toString(timeUnitMs));
        for (int d = 0; d < valueNames.size(); d++) {
            String key = PREFIX + "value." + d + ".";
            ValueTransform t = transforms.get(d);
            h.put(key + "name", valueNames.get(d));
            h.put(key + "location", Double.toString(t.location()));
            h.put(key + "scale", Double.toString(t.scale()));
            h.put(key + "log", Boolean.toString(t.log()));
        }
        for (int k = 0; k < eventTypes.size(); k++) {
            h.put(PREFIX + "eventType." + k + ".name", eventTypes.get(k));
        }
        level.put(h);
        calibration.put(h);
        return h;
    }

    /**
     * Reads a spec from a checkpoint's hyperparameters.
     *
     * @param h the hyperparameters
     * @param observationDim the model's value dimension, which the spec must match
     * @param eventTypes the model's number of event types, which the spec must match
     * @return the spec; {@link #identity} when the checkpoint carries none
     * @throws IllegalArgumentException if a key is missing or malformed, or the spec's shape is not the model's
     */
    public static DataSpec fromHyperparameters(Map<String, String> h, int observationDim, int eventTypes) {
        if (!h.containsKey(TIME_UNIT)) {
            return identity(observationDim, eventTypes);
        }
        List<String> names = new ArrayList<>();
        List<ValueTransform> transforms = new ArrayList<>();
        for (int d = 0; d < observationDim; d++) {
            String key = PREFIX + "value." + d + ".";
            names.add(value(h, key + "name"));
            transforms.add(new ValueTransform(real(h, key + "location"), real(h, key + "scale"),
                    Boolean.parseBoolean(value(h, key + "log"))));
        }
        List<String> types = new ArrayList<>();
        for (int k = 0; k < eventTypes; k++) {
            types.add(value(h, PREFIX + "eventType." + k + ".name"));
        }
        if (h.containsKey(PREFIX + "value." + observationDim + ".name")
                || h.containsKey(PREFIX + "eventType." + eventTypes + ".name")) {
            throw new IllegalArgumentException("the data spec names more values or event types than the model has ("
                    + observationDim + " values, " + eventTypes + " event types)");
        }
        return new DataSpec(names, types, real(h, TIME_UNIT), transforms, LevelRule.from(h),
                Calibration.from(h, observationDim));
    }

    /** @return the shape in words, for messages: {@code 2 values (bili, albumin), 1 event type (visit)} */
    public String shape() {
        return plural(valueNames.size(), "value") + " (" + String.join(", ", valueNames) + "), "
                + plural(eventTypes.size(), "event type") + " (" + String.join(", ", eventTypes) + ")";
    }

    /** @return a shape without names in words, for messages: {@code 4 values, 1 event type} */
    public static String shape(int observationDim, int eventTypes) {
        return plural(observationDim, "value") + ", " + plural(eventTypes, "event type");
    }

    private static String plural(int n, String noun) {
        return n + " " + noun + (n == 1 ? "" : "s");
    }

    private static void requireNames(String what, List<String> names) {
        if (names.isEmpty()) {
            throw new IllegalArgumentException("need at least one " + what);
        }
        if (names.stream().anyMatch(n -> n == null || n.isBlank()) || names.stream().distinct().count()
                != names.size()) {
            throw new IllegalArgumentException(what + " names must be non-blank and distinct, got " + names);
        }
    }

    private static String value(Map<String, String> h, String key) {
        String v = h.get(key);
        if (v == null) {
            throw new IllegalArgumentException("the data spec lacks '" + key + "'");
        }
        return v;
    }

    private static double real(Map<String, String> h, String key) {
        return Double.parseDouble(value(h, key));
    }
}
