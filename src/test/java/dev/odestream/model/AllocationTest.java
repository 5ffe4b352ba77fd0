package dev.odestream.model;

import dev.odestream.testing.Allocations;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The per-event calls allocate nothing once warmed up, at the streaming reference size: measured with the per-thread
 * allocation counter with {@link Allocations}.
 */
class AllocationTest {

    private static final int WARMUP = 4_000;
    private static final int MEASURED = 500;
    private static long allocatedBy(Runnable body) {
        return Allocations.fewestBytes(body, WARMUP, MEASURED);
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

    /** Gaps past maxGap: the encoder's clock stops, the forecast holds beyond the cap. */
    @Test
    void shouldNotAllocateAcrossGapsLongerThanMaxGap() {
        LatentOdeModel model = new LatentOdeModel(ModelConfig.reference(), 1L);
        SeriesState state = model.newState();
        Forecast forecast = model.newForecast(3);
        double[] values = {0.1, -0.3, 0.5, 0.2};
        double[] horizons = new double[3];
        double[] clock = {0.0};
        double far = 100 * ModelConfig.reference().maxGap();
        assertEquals(0, Allocations.fewestBytes(() -> {
            clock[0] += far;
            model.observe(state, clock[0], values, null, 0);
            horizons[0] = clock[0] + 1.0;
            horizons[1] = clock[0] + far;
            horizons[2] = clock[0] + 2 * far;
            model.forecast(state, horizons, forecast);
        }, 400, 50));
    }

    @Test
    void shouldNotAllocateInAWarmedUpLossEvaluation() {
        ModelConfig config = Fixtures.small();
        LatentOdeModel model = new LatentOdeModel(config, 2L);
        BatchedElbo elbo = Fixtures.elbo(model);
        List<Window> window = List.of(Fixtures.window(config, 3L));
        double[] eps = Arrays.copyOf(model.forecastEpsilon(), config.latentDim());
        assertEquals(0, allocatedBy(() -> elbo.run(window, 0, 1, eps, 1.0, null)));
    }

    /**
     * Fewer repetitions: one gradient costs a few hundred evaluations of each ODE. A maxGap shorter than many of the
     * windows' gaps puts the gap rule (the encoder's clamped clock, the held latent path) on the measured path.
     */
    @ParameterizedTest
    @EnumSource(BatchedElbo.Stepping.class)
    void shouldNotAllocateInAWarmedUpLossAndGradient(BatchedElbo.Stepping stepping) {
        ModelConfig small = Fixtures.small().withTolerances(1e-6, 1e-8);
        ModelConfig config = small.withDynamics(small.dynamics(), 0.3);
        LatentOdeModel model = new LatentOdeModel(config, 2L);
        BatchedElbo elbo = Fixtures.elbo(model, BatchedElbo.Recognition.ODE_RNN, 2, stepping);
        List<Window> windows = List.of(Fixtures.window(config, 3L), Fixtures.window(config, 4L));
        double[] eps = Arrays.copyOf(model.forecastEpsilon(), 2 * config.latentDim());
        double[] grad = new double[model.parameters().size()];
        assertEquals(0, Allocations.fewestBytes(() -> {
            elbo.run(windows, 0, 1, eps, 1.0, grad);
            elbo.run(windows, 0, 2, eps, 0.5, grad);
        }, 300, 20));
    }
}
