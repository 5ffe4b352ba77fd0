package dev.odestream.query;

import dev.odestream.stream.ForecastTimes;

import java.time.DateTimeException;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses the query times of a request: {@code at=} absolute times (epoch milliseconds or ISO-8601 with an offset)
 * or {@code horizon=} offsets after the series' last event ({@code 1500}, {@code 1500ms}, {@code 2s}, {@code 5m},
 * {@code 1h} or ISO-8601 {@code PT2S}), comma-separated. The result obeys {@link ForecastTimes}, the limits the
 * request topic shares.
 */
final class QueryTimes {

    /** The most times one request may ask for. */
    static final int MAX_TIMES = ForecastTimes.MAX_TIMES;

    private static final Pattern INTEGER = Pattern.compile("-?\\d{1,19}");
    private static final Pattern SHORT_DURATION = Pattern.compile("(\\d{1,12})(ms|s|m|h|d)?");

    private QueryTimes() {
    }

    /** A request parameter that cannot be read; the message is the 400 body. */
    static final class BadRequestException extends Exception {
        private static final long serialVersionUID = 1L;

        BadRequestException(String message) {
            super(message);
        }
    }

    /**
     * @param at the {@code at} parameter, or {@code null}
     * @param horizon the {@code horizon} parameter, or {@code null}
     * @param tauMs the series' last event time
     * @param defaultTimes what to use when neither is given, or {@code null} to require one
     * @param unitMs milliseconds per model time unit of the model that will answer (it bounds the horizon)
     * @return epoch-millisecond times, increasing, none before {@code tau}
     */
    static long[] parse(String at, String horizon, long tauMs, long[] defaultTimes, double unitMs)
            throws BadRequestException {
        if (at != null && horizon != null) {
            throw new BadRequestException("give either 'at' or 'horizon', not both");
        }
        long[] times;
        if (at != null) {
            times = each(at, QueryTimes::absolute);
        } else if (horizon != null) {
            times = each(horizon, token -> Math.addExact(tauMs, offset(token)));
        } else if (defaultTimes != null) {
            times = defaultTimes.clone();
        } else {
            throw new BadRequestException("give query times: 'at' (epoch ms or ISO-8601) or 'horizon' (e.g. 5s)");
        }
        return checked(times, tauMs, unitMs);
    }

    private interface TokenParser {
        long parse(String token) throws BadRequestException;
    }

    private static long[] each(String list, TokenParser parser) throws BadRequestException {
        String[] tokens = list.split(",", -1);
        if (tokens.length > MAX_TIMES) {
            throw new BadRequestException("at most " + MAX_TIMES + " query times, got " + tokens.length);
        }
        long[] times = new long[tokens.length];
        for (int i = 0; i < tokens.length; i++) {
            String token = tokens[i].trim();
            if (token.isEmpty()) {
                throw new BadRequestException("empty query time in '" + Response.clip(list) + "'");
            }
            try {
                times[i] = parser.parse(token);
            } catch (ArithmeticException e) {
                throw new BadRequestException("query time out of range: '" + Response.clip(token) + "'");
            }
        }
        return times;
    }

    private static long absolute(String token) throws BadRequestException {
        if (INTEGER.matcher(token).matches()) {
            try {
                return Long.parseLong(token);
            } catch (NumberFormatException e) {
                throw new BadRequestException("time out of range: '" + Response.clip(token) + "'");
            }
        }
        try {
            return OffsetDateTime.parse(token, DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant().toEpochMilli();
        } catch (DateTimeException e) {
            throw new BadRequestException("not epoch milliseconds or an ISO-8601 time with an offset: '"
                    + Response.clip(token) + "'");
        }
    }

    private static long offset(String token) throws BadRequestException {
        long ms;
        Matcher m = SHORT_DURATION.matcher(token);
        if (m.matches()) {
            long n = Long.parseLong(m.group(1));
            ms = switch (m.group(2) == null ? "ms" : m.group(2)) {
                case "s" -> Math.multiplyExact(n, 1_000L);
                case "m" -> Math.multiplyExact(n, 60_000L);
                case "h" -> Math.multiplyExact(n, 3_600_000L);
                case "d" -> Math.multiplyExact(n, 86_400_000L);
                default -> n;
            };
        } else {
            try {
                ms = Duration.parse(token).toMillis();
            } catch (DateTimeException e) {
                throw new BadRequestException("not a horizon such as 1500, 1500ms, 2s, 5m, 1h, 30d or PT2S: '"
                        + Response.clip(token) + "'");
            }
        }
        if (ms < 0) {
            throw new BadRequestException("horizon must not be negative: '" + Response.clip(token) + "'");
        }
        return ms;
    }

    private static long[] checked(long[] times, long tauMs, double unitMs) throws BadRequestException {
        try {
            return ForecastTimes.checked(times, tauMs, unitMs);
        } catch (IllegalArgumentException e) {
            throw new BadRequestException(e.getMessage());
        }
    }
}
