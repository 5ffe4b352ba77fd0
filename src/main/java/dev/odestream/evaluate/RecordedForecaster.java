package dev.odestream.evaluate;

import dev.odestream.stream.Event;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Forecasts that something else made, read back from a file of {@link RecordedForecast} lines and matched to the
 * scoreboard's targets by series and time (and, between events at one time, by {@link RecordedForecast#tied}). So
 * what the live engine answered, recorded by {@code replay}, is scored on exactly the targets and metrics of the
 * offline forecasters. A target with no recorded forecast is left unscored and counted in {@link #missing()}.
 */
public final class RecordedForecaster implements Forecaster {

    private record Target(long timeMs, int tied) {
    }

    private final String name;
    private final int dimension;
    private final Map<String, Map<Target, RecordedForecast>> forecasts = new HashMap<>();
    private long missing;
    private long answered;

    /**
     * @param name the scoreboard's name for the row
     * @param recorded the forecasts, at most one per series, time and tie
     * @param dimension the data's number of values; 0 for point events (a recorded value forecast is then ignored)
     * @throws IllegalArgumentException for two forecasts of one target, or one of another dimension
     */
    public RecordedForecaster(String name, Collection<RecordedForecast> recorded, int dimension) {
        this.name = name;
        this.dimension = dimension;
        for (RecordedForecast r : recorded) {
            r.toForecast(dimension);
            Target target = new Target(r.timeMs(), r.tied());
            if (forecasts.computeIfAbsent(r.key(), k -> new HashMap<>()).putIfAbsent(target, r) != null) {
                throw new IllegalArgumentException("two forecasts of series '" + r.key() + "' at " + r.timeMs()
                        + " (tied " + r.tied() + ")");
            }
        }
    }

    /**
     * Reads a file of JSON lines; blank lines are skipped. The row is named {@code recorded (file name)}.
     *
     * @throws IOException if it cannot be read, or naming the first bad line
     */
    public static RecordedForecaster read(Path file, int dimension) throws IOException {
        List<RecordedForecast> recorded = new ArrayList<>();
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            int number = 0;
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                number++;
                if (line.isBlank()) {
                    continue;
                }
                try {
                    recorded.add(RecordedForecast.parse(line));
                } catch (IllegalArgumentException e) {
                    throw new IOException(file + " line " + number + ": " + e.getMessage(), e);
                }
            }
        }
        try {
            return new RecordedForecaster("recorded (" + file.getFileName() + ")", recorded, dimension);
        } catch (IllegalArgumentException e) {
            throw new IOException(file + ": " + e.getMessage(), e);
        }
    }

    @Override
    public String name() {
        return name;
    }

    /** @return targets asked for that had no recorded forecast, over every series opened */
    public long missing() {
        return missing;
    }

    /** @return targets asked for that had one */
    public long answered() {
        return answered;
    }

    /** @throws UnsupportedOperationException always: recorded forecasts belong to a series, see {@link #open(String)} */
    @Override
    public Series open() {
        throw new UnsupportedOperationException("recorded forecasts are matched by series: open(key)");
    }

    @Override
    public Series open(String key) {
        Map<Target, RecordedForecast> series = forecasts.getOrDefault(key, Map.of());
        return new Series() {
            private long lastMs = Long.MIN_VALUE;
            private int atLast;

            @Override
            public Forecast at(long timeMs) {
                RecordedForecast r = series.get(new Target(timeMs, timeMs == lastMs ? atLast : 0));
                if (r == null) {
                    missing++;
                    return Forecast.ofEvents(dimension, Double.NaN, Double.NaN);
                }
                answered++;
                return r.toForecast(dimension);
            }

            @Override
            public void observe(Event event) {
                atLast = event.timeMs() == lastMs ? atLast + 1 : 1;
                lastMs = event.timeMs();
            }
        };
    }
}
