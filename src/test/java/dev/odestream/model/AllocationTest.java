package dev.odestream.model;

import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The per-event calls allocate nothing once warmed up, at the streaming reference size: measured with the per-thread
 * allocation counter as in {@code dev.odestream.nn.AllocationTest} (fewest bytes over a few trials).
 */
class AllocationTest {

    private static final int WARMUP = 4_000;
    private static final int MEASURED = 500;
    private static final int TRIALS = 5;

    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    private static long allocatedBy(Runnable body) {
        for (int i = 0; i < WARMUP; i++) {
            body.run();
        }
        long fewest = Long.MAX_VALUE;
        for (int trial = 0; trial < TRIALS && fewest > 0; trial++) {
            long before = THREADS.getCurrentThreadAllocatedBytes();
            for (int i = 0; i < MEASURED; i++) {
                body.run();
            }
            fewest = Math.min(fewest, THREADS.getCurrentThreadAllocatedBytes() - before);
        }
        return fewest;
    }

    @Test
    void shouldNotAllocateInObserveOrForecast() {
        LatentOdeModel model = new LatentOdeModel(ModelConfig.reference(), 1L);
        SeriesState state = model.newState();
        Forecast forecast = model.newForecast(1);
        double[] values = {0.1, -0.3, 0.5, 0.2};
        boolean[] mask = {true, false, true, true};
        double[] horizon = new double[1];
        double[] clock = {0.0};
        assertEquals(0, allocatedBy(() -> {
            clock[0] += 0.05;
            values[0] = Math.sin(clock[0]);
            model.observe(state, clock[0], values, mask, 0);
            model.observe(state, clock[0] + 0.01, null, null, 0);
            clock[0] += 0.01;
            horizon[0] = clock[0] + 1.0;
            model.forecast(state, horizon, forecast);
        }));
    }

    @Test
    void shouldNotAllocateInAWarmedUpLossEvaluation() {
        ModelConfig config = Fixtures.small();
        LatentOdeModel model = new LatentOdeModel(config, 2L);
        Window window = Fixtures.window(config, 3L);
        double[] eps = Arrays.copyOf(model.forecastEpsilon(), 2 * config.latentDim());
        ElboTrace trace = new ElboTrace(config);
        assertEquals(0, allocatedBy(() -> model.negativeElbo(window, eps, 1.0, trace)));
    }
}
