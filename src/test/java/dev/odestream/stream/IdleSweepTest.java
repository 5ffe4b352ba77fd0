package dev.odestream.stream;

import dev.odestream.model.ForecastPoint;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static dev.odestream.stream.EngineFixture.T0;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The stored intensity, the wall-clock idle sweep, the TTL and the series count, on a TopologyTestDriver. */
class IdleSweepTest {

    @TempDir
    Path stateDir;

    private static EngineConfig idle(Duration interval, Duration ttl) {
        return EngineFixture.smallConfig().withIdle(interval, ttl);
    }

    @Test
    void shouldStoreTheIntensityPublishedWithEachEventAndTheWallClockTime() {
        try (EngineFixture engine = new EngineFixture(EngineFixture.smallConfig(), stateDir)) {
            engine.driver.advanceWallClockTime(Duration.ofSeconds(3));
            engine.send("s-1", Event.of(T0 - 1_000, 0.5, 0.5));
            IntensityRecord published = engine.intensities().getFirst();
            SeriesSnapshot stored = engine.snapshot("s-1");
            assertEquals(T0 + 3_000, stored.seenAtMs());
            assertEquals(T0 - 1_000, stored.intensity().timeMs());
            assertArrayEquals(published.lambda(), stored.intensity().lambda(), 0.0);
            assertArrayEquals(published.expectedCount(), stored.intensity().expectedCount(), 0.0);
            assertEquals(2, stored.intensity().eventTypes(), "one intensity per event type of the model");
        }
    }

    @Test
    void shouldPublishAnIntensityAtTheWallClockForASeriesIdleLongerThanTheInterval() {
        try (EngineFixture engine = new EngineFixture(idle(Duration.ofSeconds(10), Duration.ZERO), stateDir)) {
            engine.send("quiet", Event.of(T0 - 2_000, 0.1, 0.2));
            engine.driver.advanceWallClockTime(Duration.ofSeconds(6));
            engine.send("busy", Event.of(T0 + 5_000, 0.3, 0.4));
            engine.intensities();
            engine.driver.advanceWallClockTime(Duration.ofSeconds(6));

            List<IntensityRecord> idle = engine.intensities();
            assertEquals(1, idle.size(), "only the series quiet for more than 10 s: " + idle);
            IntensityRecord r = idle.getFirst();
            long now = T0 + 12_000;
            assertEquals("quiet", r.series());
            assertEquals(T0 - 2_000, r.tauMs());
            assertEquals(now, r.timeMs());
            // The same numbers as an on-demand forecast of the series at that time.
            SeriesModel model = engine.config.seriesModel(engine.config.initialModel());
            ForecastPoint expected = model.points(engine.snapshot("quiet"), new long[] {now}).getFirst();
            assertArrayEquals(expected.intensity(), r.lambda(), 0.0);
            assertArrayEquals(expected.expectedCount(), r.expectedCount(), 0.0);
            assertTrue(r.expectedCount()[0] > 0 && r.pNoEvent() < 1, r.toString());
            assertEquals(now, engine.snapshot("quiet").intensity().timeMs(), "the stored intensity moves on");
            assertEquals(1, engine.metrics.idleIntensities());
        }
    }

    @Test
    void shouldDeleteSeriesIdlePastTheTtlAndCountThem() {
        try (EngineFixture engine = new EngineFixture(idle(Duration.ofSeconds(10), Duration.ofSeconds(30)),
                stateDir)) {
            engine.send("old-1", Event.of(T0, 0.1, 0.2));
            engine.send("old-2", Event.of(T0, 0.1, 0.2));
            engine.driver.advanceWallClockTime(Duration.ofSeconds(25));
            engine.send("young", Event.of(T0 + 25_000, 0.3, 0.4));
            assertEquals(3, engine.metrics.seriesCount());
            engine.driver.advanceWallClockTime(Duration.ofSeconds(10));

            assertNull(engine.snapshot("old-1"));
            assertNull(engine.snapshot("old-2"));
            assertNotNull(engine.snapshot("young"));
            assertEquals(2, engine.metrics.seriesExpiredCount());
            assertEquals(1, engine.metrics.seriesCount());
            engine.send("old-1", Event.of(T0 + 40_000, 0.1, 0.2));
            assertEquals(1, engine.snapshot("old-1").events(), "an expired series starts afresh");
            assertEquals(2, engine.metrics.seriesCount());
        }
    }

    @Test
    void shouldSweepAStoreLargerThanOneBatch() {
        try (EngineFixture engine = new EngineFixture(idle(Duration.ofSeconds(1), Duration.ofSeconds(2)),
                stateDir)) {
            int n = IdleSweep.BATCH * 2 + 17;
            for (int i = 0; i < n; i++) {
                engine.store().put(String.format("s-%05d", i), new SeriesSnapshot(0, 1, SeriesSnapshot.NO_BOUND, 0,
                        new double[6], new double[6], List.of(Event.of(T0 - 60_000, 1, 1))).withSeenAt(T0 - 60_000));
            }
            engine.driver.advanceWallClockTime(Duration.ofSeconds(1));
            assertEquals(n, engine.metrics.seriesExpiredCount());
            try (var all = engine.store().all()) {
                assertTrue(!all.hasNext(), "every series was past the TTL");
            }
        }
    }

    @Test
    void shouldCountTheSeriesOfARunningTaskAndDropThemWhenItCloses() {
        EngineConfig config = EngineFixture.smallConfig();
        dev.odestream.metrics.EngineMetrics metrics = dev.odestream.metrics.EngineMetrics.inMemory();
        try (EngineFixture engine = new EngineFixture(config, stateDir, metrics)) {
            for (String s : List.of("a", "b", "c")) {
                engine.send(s, Event.of(T0, 1, 2));
            }
            engine.send("a", Event.of(T0 + 1, 1, 2));
            assertEquals(3, metrics.seriesCount());
        }
        assertEquals(0, metrics.seriesCount(), "a closed task leaves the count");
    }

    @Test
    void shouldRefuseATtlWithoutASweepShorterThanIt() {
        assertThrows(IllegalArgumentException.class, () -> idle(Duration.ZERO, Duration.ofMinutes(5)));
        assertThrows(IllegalArgumentException.class, () -> idle(Duration.ofMinutes(5), Duration.ofMinutes(5)));
        assertThrows(IllegalArgumentException.class, () -> idle(Duration.ofSeconds(-1), Duration.ZERO));
        assertEquals(Duration.ZERO, idle(Duration.ofSeconds(30), Duration.ZERO).ttl());
    }
}
