package dev.odestream.worker;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TriggersTest {

    private static final long MINUTE = Duration.ofMinutes(1).toNanos();

    @Test
    void shouldScheduleARoundAfterTheIntervalOnlyWhenThereAreNewEvents() {
        Triggers t = new Triggers(new WorkerConfig.TriggerSettings(Duration.ofMinutes(5), 0, 0.5, 0.1, 10), 0);
        assertEquals(Optional.empty(), t.due(6 * MINUTE, false), "no new events, nothing to learn");
        t.eventSeen();
        assertEquals(Optional.empty(), t.due(4 * MINUTE, false));
        assertEquals(Optional.of(Trigger.SCHEDULE), t.due(5 * MINUTE, false));
        t.roundDone(5 * MINUTE);
        t.eventSeen();
        assertEquals(Optional.empty(), t.due(9 * MINUTE, false), "the interval restarts at the round");
        assertEquals(Optional.of(Trigger.SCHEDULE), t.due(10 * MINUTE, false));
    }

    @Test
    void shouldScheduleARoundAfterEnoughNewEvents() {
        Triggers t = new Triggers(new WorkerConfig.TriggerSettings(Duration.ZERO, 3, 0.5, 0.1, 10), 0);
        t.eventSeen();
        t.eventSeen();
        assertEquals(Optional.empty(), t.due(100 * MINUTE, false));
        t.eventSeen();
        assertEquals(Optional.of(Trigger.SCHEDULE), t.due(0, false));
        t.roundDone(0);
        assertEquals(0, t.newEvents());
    }

    @Test
    void shouldTriggerOnDriftOnlyAfterEnoughNewEventsSinceTheLastRound() {
        Triggers t = new Triggers(new WorkerConfig.TriggerSettings(Duration.ZERO, 0, 0.5, 0.1, 3), 0);
        t.eventSeen();
        t.eventSeen();
        assertEquals(Optional.empty(), t.due(0, true));
        t.eventSeen();
        assertEquals(Optional.of(Trigger.DRIFT), t.due(0, true));
        assertEquals(Optional.empty(), t.due(0, false));
    }

    @Test
    void shouldMeasureAReferenceOverTheWarmUpAndDetectDriftWhenTheErrorRises() {
        LiveError live = new LiveError(new WorkerConfig.TriggerSettings(Duration.ZERO, 0, 0.5, 0.2, 4));
        live.reset(null);
        for (int i = 0; i < 3; i++) {
            live.record(new LiveScore(0.01, 1, -1.0));
        }
        assertNull(live.reference());
        live.record(new LiveScore(0.01, 1, -1.0));
        assertEquals(0.1, live.reference().rmse(), 1e-12);
        assertEquals(-1.0, live.reference().nll(), 1e-12);
        assertFalse(live.drifted());
        for (int i = 0; i < 3; i++) {
            live.record(new LiveScore(0.0144, 1, -1.0));
        }
        assertFalse(live.drifted(), "RMSE 0.12 is within 50 % of 0.1");
        for (int i = 0; i < 20; i++) {
            live.record(new LiveScore(0.04, 1, -1.0));
        }
        assertEquals(0.2, live.rmse(), 0.01);
        assertTrue(live.drifted(), "RMSE 0.2 is past 1.5 x 0.1");
    }

    @Test
    void shouldDetectDriftInTheEventLikelihoodAgainstAPromotedReference() {
        LiveError live = new LiveError(new WorkerConfig.TriggerSettings(Duration.ZERO, 0, 0.5, 1.0, 2));
        live.reset(new LiveError.Reference(1.0, -2.0));
        live.record(new LiveScore(0.25, 1, -1.5));
        assertFalse(live.drifted(), "too few events under this model");
        assertEquals(-2.0, live.reference().nll(), 1e-12, "the promoted reference until the warm-up ends");
        live.record(new LiveScore(0.25, 1, -1.5));
        assertEquals(1.0, live.reference().rmse(), 1e-12, "the promoted RMSE is the worse one");
        assertEquals(-1.5, live.reference().nll(), 1e-12, "the warm-up's NLL is the worse one");
        assertFalse(live.drifted(), "-1.5 is the reference");
        live.record(new LiveScore(0.25, 1, -0.5));
        assertTrue(live.drifted(), "-0.5 is past -1.5 + 0.5 x 1.5");
        live.reset(new LiveError.Reference(1.0, -2.0));
        assertFalse(live.drifted());
        assertTrue(Double.isNaN(live.rmse()));
    }

    @Test
    void shouldNotCallALiveErrorAboveTheHeldOutOneDriftWhenTheModelStartedThere() {
        LiveError live = new LiveError(new WorkerConfig.TriggerSettings(Duration.ZERO, 0, 0.5, 1.0, 2));
        live.reset(new LiveError.Reference(0.1, -2.0));
        live.record(new LiveScore(0.04, 1, -1.0));
        live.record(new LiveScore(0.04, 1, -1.0));
        assertEquals(0.2, live.reference().rmse(), 1e-12);
        assertEquals(-1.0, live.reference().nll(), 1e-12);
        live.record(new LiveScore(0.0625, 1, -0.8));
        assertFalse(live.drifted(), "RMSE 0.25 and NLL -0.8 are within 50 % of the live start, though past the"
                + " held-out 0.1 and -2");
        live.record(new LiveScore(0.0625, 1, -0.4));
        assertTrue(live.drifted(), "-0.4 is past -1.0 + 0.5 x 1.0");
    }
}
