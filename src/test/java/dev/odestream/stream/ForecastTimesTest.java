package dev.odestream.stream;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ForecastTimesTest {

    private static final long DAY = 86_400_000L;

    @Test
    void shouldBoundTheHorizonInModelTimeUnits() {
        long tau = 1_700_000_000_000L;
        assertArrayEquals(new long[] {tau + DAY}, ForecastTimes.checked(new long[] {tau + DAY}, tau),
                "a day ahead for a model of one unit per second");
        assertThrows(IllegalArgumentException.class, () -> ForecastTimes.checked(new long[] {tau + DAY + 1}, tau));
        long yearAhead = tau + 365 * DAY;
        assertArrayEquals(new long[] {yearAhead}, ForecastTimes.checked(new long[] {yearAhead}, tau, DAY),
                "a year ahead for a model of one unit per day");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ForecastTimes.checked(new long[] {tau + 86_401 * DAY}, tau, DAY));
        assertTrue(e.getMessage().contains("86400 model time units"), e.getMessage());
    }

    @Test
    void shouldSortAndDeduplicateAndRefuseTimesBeforeTheLastEvent() {
        assertArrayEquals(new long[] {10, 20}, ForecastTimes.checked(new long[] {20, 10, 20}, 5));
        assertThrows(IllegalArgumentException.class, () -> ForecastTimes.checked(new long[] {4, 10}, 5));
    }
}
