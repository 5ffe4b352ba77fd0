package dev.odestream.evaluate;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import dev.odestream.json.JsonShape;
import dev.odestream.model.ForecastPoint;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Set;

/**
 * One forecast as something answered it for one series at one time, as a line of a recorded-forecasts file
 * ({@code schemas/recorded-forecast.schema.json}):
 * <pre>{"key": "patient-001", "time": 946684800000, "tied": 0, "mean": [1.2], "std": [0.3], "lambda": [0.01],
 *  "expectedCount": [0.4]}</pre>
 * Values are in the data's units and {@code lambda} is per second, as the engine answers them. Numbers are written in
 * the shortest form that reads back to the same double, so a round trip is exact. Immutable.
 *
 * @param key the series id
 * @param timeMs the target time, epoch milliseconds
 * @param tied how many of the series' events at exactly {@code timeMs} had been folded in when the forecast was made:
 *     0 unless events share a time, when it tells apart the forecasts made between them
 * @param mean forecast mean per value; empty for point events
 * @param std forecast standard deviation per value, same length as {@code mean}
 * @param lambda intensity per event type at {@code timeMs}, events per second
 * @param expectedCount expected events per type from the series' last event to {@code timeMs}
 */
public record RecordedForecast(String key, long timeMs, int tied, double[] mean, double[] std, double[] lambda,
                               double[] expectedCount) {

    private static final Set<String> FIELDS = Set.of("key", "time", "tied", "mean", "std", "lambda",
            "expectedCount");

    /** Checks the shapes and copies the arrays. */
    public RecordedForecast {
        if (key == null || key.isEmpty() || tied < 0) {
            throw new IllegalArgumentException("need a key and tied >= 0, got '" + key + "', " + tied);
        }
        if (mean.length != std.length || lambda.length != expectedCount.length) {
            throw new IllegalArgumentException("mean and std, and lambda and expectedCount, need equal lengths");
        }
        mean = mean.clone();
        std = std.clone();
        lambda = lambda.clone();
        expectedCount = expectedCount.clone();
    }

    /** @return the engine's answer at one time ({@code p.time()} is ignored) as a recorded forecast */
    public static RecordedForecast of(String key, long timeMs, int tied, ForecastPoint p) {
        return new RecordedForecast(key, timeMs, tied, p.mean(), p.std(), p.intensity(), p.expectedCount());
    }

    /**
     * @param dimension the data's number of values; 0 for point events, whose value forecast is left out
     * @return the forecast as the scoreboard scores it: the intensity summed over types, per millisecond
     * @throws IllegalArgumentException if the data have values and the forecast has another number of them
     */
    public Forecast toForecast(int dimension) {
        double perMs = Arrays.stream(lambda).sum() / 1000.0;
        double expected = Arrays.stream(expectedCount).sum();
        if (dimension == 0) {
            return Forecast.ofEvents(0, perMs, expected);
        }
        if (mean.length != dimension) {
            throw new IllegalArgumentException("a forecast of " + mean.length + " values for data of " + dimension);
        }
        return new Forecast(mean, std, perMs, expected);
    }

    /** @return the JSON line, without a line break */
    public String toJson() {
        StringWriter text = new StringWriter(128);
        try (JsonGenerator out = JsonShape.MAPPER.createGenerator(text)) {
            out.writeStartObject();
            out.writeStringField("key", key);
            out.writeNumberField("time", timeMs);
            out.writeNumberField("tied", tied);
            JsonShape.writeArray(out, "mean", mean);
            JsonShape.writeArray(out, "std", std);
            JsonShape.writeArray(out, "lambda", lambda);
            JsonShape.writeArray(out, "expectedCount", expectedCount);
            out.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return text.toString();
    }

    /**
     * Reads one line strictly: every field but {@code tied} (default 0) is required, nothing else is allowed.
     *
     * @throws IllegalArgumentException saying what is wrong
     */
    public static RecordedForecast parse(String line) {
        try {
            JsonNode root = JsonShape.object(JsonShape.parse(line.getBytes(StandardCharsets.UTF_8)), "$", FIELDS);
            JsonNode tied = root.get("tied");
            return new RecordedForecast(JsonShape.text(JsonShape.required(root, "key", "$"), "$.key"),
                    JsonShape.integer(JsonShape.required(root, "time", "$"), "$.time"),
                    tied == null ? 0 : Math.toIntExact(JsonShape.integer(tied, "$.tied")), numbers(root, "mean"),
                    numbers(root, "std"), numbers(root, "lambda"), numbers(root, "expectedCount"));
        } catch (JsonShape.MalformedException | JsonShape.ShapeException | ArithmeticException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }

    private static double[] numbers(JsonNode root, String name) throws JsonShape.ShapeException {
        return JsonShape.numbers(JsonShape.required(root, name, "$"), "$." + name);
    }

    @Override
    public double[] mean() {
        return mean.clone();
    }

    @Override
    public double[] std() {
        return std.clone();
    }

    @Override
    public double[] lambda() {
        return lambda.clone();
    }

    @Override
    public double[] expectedCount() {
        return expectedCount.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RecordedForecast r && key.equals(r.key) && timeMs == r.timeMs && tied == r.tied
                && Arrays.equals(mean, r.mean) && Arrays.equals(std, r.std) && Arrays.equals(lambda, r.lambda)
                && Arrays.equals(expectedCount, r.expectedCount);
    }

    @Override
    public int hashCode() {
        return (key.hashCode() * 31 + Long.hashCode(timeMs)) * 31 + Arrays.hashCode(mean);
    }

    @Override
    public String toString() {
        return toJson();
    }
}
