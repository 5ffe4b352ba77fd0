package dev.odestream.dataset;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * How a CSV time cell becomes epoch milliseconds. A number counts {@code unit}s since {@code origin} and may have a
 * fraction (1.5 days); any other text must be an ISO-8601 date-time with an offset, as on the events topic. Both are
 * truncated to the millisecond, towards the past.
 *
 * @param unit what one unit of a number is, positive
 * @param origin the instant a number counts from
 */
public record TimeFormat(Duration unit, Instant origin) {

    /** Epoch milliseconds, or ISO-8601: what the events topic accepts. */
    public static final TimeFormat EPOCH_MILLIS = new TimeFormat(Duration.ofMillis(1), Instant.EPOCH);

    private static final Pattern NUMBER = Pattern.compile("[-+]?(\\d+(\\.\\d*)?|\\.\\d+)([eE][-+]?\\d+)?");
    private static final int MAX_SCALE = 100;
    private static final BigDecimal NANOS_PER_MILLI = BigDecimal.valueOf(1_000_000);

    /** Checks that the unit is positive. */
    public TimeFormat {
        Objects.requireNonNull(origin, "origin");
        if (unit == null || unit.isNegative() || unit.isZero()) {
            throw new IllegalArgumentException("the time unit must be positive, got " + unit);
        }
    }

    /** @return numbers counting {@code unit}s since {@code origin}, such as days since 2000-01-01. */
    public static TimeFormat since(Instant origin, Duration unit) {
        return new TimeFormat(unit, origin);
    }

    /**
     * @param text a trimmed, non-empty cell
     * @return the time in epoch milliseconds
     * @throws IllegalArgumentException if the text is neither form, or the time does not fit a long
     */
    public long toEpochMillis(String text) {
        return isNumber(text) ? fromNumber(text) : fromIso(text);
    }

    /** @return whether {@code text} is a plain decimal number, as JSON writes one but with an optional '+'. */
    static boolean isNumber(String text) {
        return NUMBER.matcher(text).matches();
    }

    private long fromNumber(String text) {
        BigDecimal number = new BigDecimal(text);
        // An exponent like 1e-999999999 is cheap to hold but not to round; no real time needs one.
        if (number.scale() > MAX_SCALE || number.scale() < -MAX_SCALE) {
            throw new IllegalArgumentException("'" + text + "' has too many digits or too large an exponent");
        }
        BigDecimal nanos = number.multiply(new BigDecimal(unit.getSeconds()).scaleByPowerOfTen(9)
                .add(BigDecimal.valueOf(unit.getNano())));
        try {
            long millis = nanos.divide(NANOS_PER_MILLI, 0, RoundingMode.FLOOR).longValueExact();
            return Math.addExact(millis, origin.toEpochMilli());
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException("'" + text + "' is out of range");
        }
    }

    private static long fromIso(String text) {
        try {
            return OffsetDateTime.parse(text, DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant().toEpochMilli();
        } catch (DateTimeException | ArithmeticException e) {
            throw new IllegalArgumentException("'" + text + "' is neither a number nor an ISO-8601 date-time with"
                    + " an offset");
        }
    }
}
