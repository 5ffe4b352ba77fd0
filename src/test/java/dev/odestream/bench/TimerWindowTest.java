package dev.odestream.bench;

import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.junit.jupiter.api.Test;

import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TimerWindowTest {

    @Test
    void shouldReadSubMillisecondPercentilesOfOneIntervalFromAPrometheusTimer() {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        registry.config().meterFilter(TimerWindow.microsecondBuckets("odestream.update.latency"));
        Timer timer = Timer.builder("odestream.update.latency").publishPercentileHistogram().register(registry);
        TimerWindow.Reading start = TimerWindow.read(timer);
        for (int i = 0; i < 990; i++) {
            timer.record(100, TimeUnit.MICROSECONDS);
        }
        for (int i = 0; i < 10; i++) {
            timer.record(5, TimeUnit.MILLISECONDS);
        }
        TimerWindow.Reading first = TimerWindow.read(timer);
        within(0.100, first.millisAt(start, 0.99));
        within(5.0, first.millisAt(start, 0.995));
        for (int i = 0; i < 100; i++) {
            timer.record(2, TimeUnit.MILLISECONDS);
        }
        TimerWindow.Reading second = TimerWindow.read(timer);
        within(2.0, second.millisAt(first, 0.5));
        within(2.0, second.millisAt(first, 0.99));
        within(0.100, second.millisAt(start, 0.5));
        assertTrue(Double.isNaN(second.millisAt(second, 0.99)), "an empty interval has no percentile");
        assertEquals(1100, second.count());
    }

    /** A bucket boundary at or above the value and less than a third above it. */
    private static void within(double expectedMs, double actualMs) {
        assertTrue(actualMs >= expectedMs && actualMs <= expectedMs * 1.34, actualMs + " ms for " + expectedMs);
    }
}
