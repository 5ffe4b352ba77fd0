package dev.odestream.stream;


import dev.odestream.model.ForecastPoint;

import java.util.List;
import java.util.Objects;

/**
 * The answer to a {@link ForecastRequest} on the {@code forecast-responses} topic (key: the series id), described
 * by {@code schemas/forecast-response.schema.json}. The points are those the HTTP forecast endpoint returns for the
 * same series and times ({@link SeriesModel#points}); an intensity answer leaves out the mean and spread.
 *
 * @param correlationId copied from the request
 * @param series the series id, or {@code null} when the request's key could not be read
 * @param status how the request was answered
 * @param modelVersion the model version in use when it was answered
 * @param kind what was asked for; {@code null} unless {@code ok}
 * @param tauMs the series' last event time; only when {@code ok}
 * @param eventCount events the series has accepted; only when {@code ok}
 * @param points one per query time, in increasing time; empty unless {@code ok}
 * @param error what went wrong; {@code null} when {@code ok}
 * @param source what produced the points, the model or (no model yet) the baseline; {@code null} unless {@code ok}
 */
public record ForecastResponse(String correlationId, String series, Status status, long modelVersion,
                               ForecastRequest.Kind kind, long tauMs, long eventCount, List<ForecastPoint> points,
                               String error, Source source) {

    /** A response whose points, if any, come from the model. */
    public ForecastResponse(String correlationId, String series, Status status, long modelVersion,
                            ForecastRequest.Kind kind, long tauMs, long eventCount, List<ForecastPoint> points,
                            String error) {
        this(correlationId, series, status, modelVersion, kind, tauMs, eventCount, points, error,
                status == Status.OK ? Source.MODEL : null);
    }

    /** How a request was answered. */
    public enum Status {
        /** Answered with points. */
        OK("ok"),
        /** This engine has no series with that id. */
        NOT_FOUND("not_found"),
        /** The request cannot be answered as asked: bad key, fields or times. */
        BAD_REQUEST("bad_request"),
        /** The forecast failed. */
        ERROR("error");

        private final String code;

        Status(String code) {
            this.code = code;
        }

        /** @return the wire name, also the {@code status} tag of {@code odestream.queries.topic}. */
        public String code() {
            return code;
        }

        /** @return the status with that wire name. */
        public static Status fromCode(String code) {
            for (Status s : values()) {
                if (s.code.equals(code)) {
                    return s;
                }
            }
            throw new IllegalArgumentException("unknown status '" + code + "'");
        }
    }

    /** Checks the fields that depend on the status, and copies. */
    public ForecastResponse {
        Objects.requireNonNull(correlationId, "correlationId");
        Objects.requireNonNull(status, "status");
        points = List.copyOf(points);
        if ((status == Status.OK) != (error == null) || (status == Status.OK) != (kind != null)
                || (status == Status.OK) != (source != null)
                || (status != Status.OK && !points.isEmpty())) {
            throw new IllegalArgumentException("an ok response has a kind and no error, any other an error and no"
                    + " points; got " + status + ", kind " + kind + ", error " + error);
        }
    }

    /** @return an answer with points from the model. */
    public static ForecastResponse ok(String correlationId, String series, long modelVersion,
                                      ForecastRequest.Kind kind, SeriesSnapshot s, List<ForecastPoint> points) {
        return ok(correlationId, series, modelVersion, kind, s, points, Source.MODEL);
    }

    /** @return an answer with points from {@code source}. */
    public static ForecastResponse ok(String correlationId, String series, long modelVersion,
                                      ForecastRequest.Kind kind, SeriesSnapshot s, List<ForecastPoint> points,
                                      Source source) {
        return new ForecastResponse(correlationId, series, Status.OK, modelVersion, kind, s.lastTimeMs(), s.events(),
                points, null, source);
    }

    /** @return an answer without points. */
    public static ForecastResponse failed(String correlationId, String series, Status status, long modelVersion,
                                          String error) {
        return new ForecastResponse(correlationId, series, status, modelVersion, null, 0, 0, List.of(), error);
    }
}
