package dev.odestream.metrics;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The model meters when several stream tasks, each with its own model, take a new version. */
class EngineMetricsTest {

    @Test
    void shouldCountASwapOncePerInstanceAndKeepTheVersionWhenATaskStartsLater() {
        EngineMetrics metrics = EngineMetrics.inMemory();
        metrics.modelInUse(0, 0, false);
        metrics.modelInUse(0, 0, false);
        metrics.modelInUse(1, 1000, true);
        metrics.modelInUse(1, 1000, true);
        metrics.modelInUse(0, 0, false);
        assertEquals(1, metrics.modelSwaps(), "two tasks took version 1: one swap of the instance");
        assertEquals(1.0, metrics.registry().get("odestream.model.version").gauge().value(),
                "a task created after the swap does not report the initial model as the one in use");
        assertEquals(1000.0, metrics.registry().get("odestream.model.created.seconds").gauge().value(),
                "nor its training time");
        metrics.modelInUse(2, 2000, true);
        assertEquals(2, metrics.modelSwaps());
        assertEquals(2.0, metrics.registry().get("odestream.model.version").gauge().value());
        assertEquals(2000.0, metrics.registry().get("odestream.model.created.seconds").gauge().value());
    }
}
