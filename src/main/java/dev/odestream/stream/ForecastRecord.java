package dev.odestream.stream;


import dev.odestream.model.ForecastPoint;

import java.util.List;
import java.util.Objects;

/**
 * A series' forecast as the engine publishes it on the {@code forecasts} topic (key: the series id), one per
 * accepted event, described by {@code schemas/forecast.schema.json}.
 *
 * @param series the series id
 * @param modelVersion the model version that produced it
 * @param tauMs the last event time the posterior sits at, epoch milliseconds
 * @param issuedAtMs timestamp of the input record that triggered it, epoch milliseconds (deterministic on replay)
 * @param eventCount events the series has accepted so far; with {@code series} it identifies the forecast
 * @param horizons one entry per configured horizon, in increasing time
 * @param source whether the model version or, with no model yet, the baseline produced it
 */
public record ForecastRecord(String series, long modelVersion, long tauMs, long issuedAtMs, long eventCount,
                             List<ForecastPoint> horizons, Source source) {

    /** Checks and copies. */
    public ForecastRecord {
        Objects.requireNonNull(series, "series");
        Objects.requireNonNull(source, "source");
        horizons = List.copyOf(horizons);
    }

    /** A forecast by the model version. */
    public ForecastRecord(String series, long modelVersion, long tauMs, long issuedAtMs, long eventCount,
                          List<ForecastPoint> horizons) {
        this(series, modelVersion, tauMs, issuedAtMs, eventCount, horizons, Source.MODEL);
    }
}
