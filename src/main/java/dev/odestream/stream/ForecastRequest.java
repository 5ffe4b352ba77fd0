package dev.odestream.stream;

import java.util.Arrays;
import java.util.Objects;

/**
 * A forecast asked for on the {@code forecast-requests} topic (key: the series id), described by
 * {@code schemas/forecast-request.schema.json}: absolute times, or horizons after the series' last event, or
 * neither (only for an intensity, which is then taken at the last event). Arrays are copied in and out.
 *
 * @param correlationId chosen by the client and copied into the response
 * @param kind what to answer
 * @param atMs absolute query times, epoch milliseconds, or {@code null}
 * @param horizonsMs query times as offsets after the series' last event, milliseconds, or {@code null}
 */
public record ForecastRequest(String correlationId, Kind kind, long[] atMs, long[] horizonsMs) {

    /** What a request asks for. */
    public enum Kind {
        /** Mean and spread of the values, the intensities, expected counts and the probability of no event. */
        FORECAST("forecast"),
        /** Only the intensities, expected counts and the probability of no event. */
        INTENSITY("intensity");

        private final String code;

        Kind(String code) {
            this.code = code;
        }

        /** @return the wire name. */
        public String code() {
            return code;
        }
    }

    /** Checks and copies. */
    public ForecastRequest {
        Objects.requireNonNull(correlationId, "correlationId");
        Objects.requireNonNull(kind, "kind");
        if (atMs != null && horizonsMs != null) {
            throw new IllegalArgumentException("give either 'at' or 'horizons', not both");
        }
        atMs = atMs == null ? null : atMs.clone();
        horizonsMs = horizonsMs == null ? null : horizonsMs.clone();
    }

    @Override
    public long[] atMs() {
        return atMs == null ? null : atMs.clone();
    }

    @Override
    public long[] horizonsMs() {
        return horizonsMs == null ? null : horizonsMs.clone();
    }

    /**
     * The query times for a series, with the limits of {@link ForecastTimes}.
     *
     * @param tauMs the series' last event time
     * @param unitMs milliseconds per model time unit of the model that will answer (it bounds the horizon)
     * @throws IllegalArgumentException saying what is wrong with the times asked for
     */
    public long[] times(long tauMs, double unitMs) {
        long[] times;
        if (atMs != null) {
            times = atMs.clone();
        } else if (horizonsMs != null) {
            times = new long[horizonsMs.length];
            for (int i = 0; i < times.length; i++) {
                try {
                    times[i] = Math.addExact(tauMs, horizonsMs[i]);
                } catch (ArithmeticException e) {
                    throw new IllegalArgumentException("horizon " + horizonsMs[i] + " ms is out of range");
                }
            }
        } else if (kind == Kind.INTENSITY) {
            times = new long[] {tauMs};
        } else {
            throw new IllegalArgumentException("a forecast needs query times: 'at' or 'horizons'");
        }
        return ForecastTimes.checked(times, tauMs, unitMs);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ForecastRequest r && correlationId.equals(r.correlationId) && kind == r.kind
                && Arrays.equals(atMs, r.atMs) && Arrays.equals(horizonsMs, r.horizonsMs);
    }

    @Override
    public int hashCode() {
        return (Objects.hash(correlationId, kind) * 31 + Arrays.hashCode(atMs)) * 31 + Arrays.hashCode(horizonsMs);
    }

    @Override
    public String toString() {
        return "ForecastRequest[correlationId=" + correlationId + ", kind=" + kind.code() + ", atMs="
                + Arrays.toString(atMs) + ", horizonsMs=" + Arrays.toString(horizonsMs) + "]";
    }
}
