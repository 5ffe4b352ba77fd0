package dev.odestream.model;

import dev.odestream.model.checkpoint.CheckpointCodec;
import dev.odestream.model.checkpoint.LoadedModel;
import dev.odestream.nn.ParameterRange;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The forecast's own tolerances ({@link ModelConfig#forecastRtol()}) trade accuracy for speed; this pins how much
 * accuracy: at the reference setting every forecast figure stays within {@link ModelConfig#FORECAST_DEVIATION_BOUND}
 * of the same forecast solved at {@code 1e-9 / 1e-11}.
 */
class ForecastToleranceTest {

    private static final double[] HORIZONS = {0.25, 1.0, 4.0};

    /** The largest deviation of any forecast figure between the two tolerance settings (see {@link #deviation}). */
    static double largestDeviation(LatentOdeModel fast, LatentOdeModel tight, long historySeed) {
        SeriesState state = history(fast, historySeed);
        double worst = 0.0;
        for (double horizon : HORIZONS) {
            double[] times = {state.lastTime() + horizon};
            Forecast a = fast.newForecast(1);
            Forecast b = tight.newForecast(1);
            fast.forecast(state, times, a);
            tight.forecast(state, times, b);
            worst = Math.max(worst, deviation(a, b));
        }
        return worst;
    }

    /** A model with the same parameters and seed that forecasts at tight tolerances. */
    static LatentOdeModel tightTwin(LatentOdeModel model) {
        ModelConfig tight = model.config().withForecastTolerances(1e-9, 1e-11);
        LatentOdeModel twin = new LatentOdeModel(tight, model.seed());
        System.arraycopy(model.parameters().values(), 0, twin.parameters().values(), 0, model.parameters().size());
        return twin;
    }

    @Test
    void shouldKeepReferenceForecastsWithinTheDocumentedBoundOfATightSolve() {
        LatentOdeModel model = new LatentOdeModel(ModelConfig.reference(), 7L);
        for (long seed = 1; seed <= 4; seed++) {
            double d = largestDeviation(model, tightTwin(model), seed);
            assertTrue(d <= ModelConfig.FORECAST_DEVIATION_BOUND, "history " + seed + ": deviation " + d);
        }
    }

    /**
     * Glorot-initialised dynamics are nearly linear over these horizons; with the dynamics' weights tripled the latent
     * paths bend and the intensity climbs past 15, so the solver has real work and the bound is checked where it can
     * be missed.
     */
    @Test
    void shouldKeepTheBoundWhenTheDynamicsAreStrong() {
        LatentOdeModel model = new LatentOdeModel(ModelConfig.reference(), 7L);
        ParameterRange dynamics = model.latentSystem().parameterRange();
        double[] values = model.parameters().values();
        for (int i = dynamics.offset(); i < dynamics.offset() + dynamics.count(); i++) {
            values[i] *= 3.0;
        }
        LatentOdeModel tight = tightTwin(model);
        double d = largestDeviation(model, tight, 5L);
        assertTrue(d <= ModelConfig.FORECAST_DEVIATION_BOUND, "deviation " + d);
        assertTrue(d > 0.0, "the two settings must solve differently, or this test checks nothing");
    }

    /** The engine's bundled default model, trained on the demo workload, at the reference forecast setting. */
    @Test
    void shouldKeepTheBoundForTheBundledDefaultModel() throws Exception {
        LatentOdeModel trained;
        try (InputStream in = getClass().getResourceAsStream("/models/default.odsc")) {
            trained = LoadedModel.load(CheckpointCodec.decode(in.readAllBytes()));
        }
        LatentOdeModel model = new LatentOdeModel(ModelConfig.reference(), trained.seed());
        System.arraycopy(trained.parameters().values(), 0, model.parameters().values(), 0, model.parameters().size());
        LatentOdeModel tight = tightTwin(model);
        for (long seed = 1; seed <= 4; seed++) {
            double d = largestDeviation(model, tight, seed);
            assertTrue(d <= ModelConfig.FORECAST_DEVIATION_BOUND, "history " + seed + ": deviation " + d);
        }
    }

    @Test
    void shouldTakeFewerEvaluationsThanATightSolve() {
        LatentOdeModel model = new LatentOdeModel(ModelConfig.reference(), 7L);
        LatentOdeModel tight = tightTwin(model);
        SeriesState state = history(model, 2L);
        double[] times = {state.lastTime() + 4.0};
        model.forecast(state, times, model.newForecast(1));
        tight.forecast(state, times, tight.newForecast(1));
        assertTrue(model.lastNfe() < tight.lastNfe(), model.lastNfe() + " vs " + tight.lastNfe());
    }

    @Test
    void shouldLeaveTheEncoderAtTheModelTolerances() {
        ModelConfig c = ModelConfig.reference();
        assertEquals(1e-5, c.rtol());
        assertEquals(1e-7, c.atol());
        assertEquals(1e-3, c.forecastRtol());
        assertEquals(1e-5, c.forecastAtol());
        ModelConfig same = c.withTolerances(1e-6, 1e-8);
        assertEquals(1e-6, same.forecastRtol(), "withTolerances sets every solve");
    }

    private static SeriesState history(LatentOdeModel model, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        SeriesState state = model.newState();
        double t = 0.0;
        for (int i = 0; i < 30; i++) {
            t += rng.nextDouble(0.05, 1.0);
            model.observe(state, t, rng.doubles(model.config().observationDim(), -1, 1).toArray(), null, 0);
        }
        return state;
    }

    /**
     * The deviation in the units of {@link ModelConfig#FORECAST_DEVIATION_BOUND}: mean and spread relative to the
     * forecast's spread, intensity and expected count relative to their values, the probability of no event
     * absolute.
     */
    private static double deviation(Forecast a, Forecast b) {
        double worst = Math.abs(a.probabilityNoEvent(0) - b.probabilityNoEvent(0));
        for (int d = 0; d < a.observationDim(); d++) {
            worst = Math.max(worst, Math.abs(a.mean(0, d) - b.mean(0, d)) / b.std(0, d));
            worst = Math.max(worst, Math.abs(a.std(0, d) - b.std(0, d)) / b.std(0, d));
        }
        for (int k = 0; k < a.eventTypes(); k++) {
            worst = Math.max(worst, relative(a.intensity(0, k), b.intensity(0, k)));
            worst = Math.max(worst, relative(a.expectedCount(0, k), b.expectedCount(0, k)));
        }
        return worst;
    }

    private static double relative(double fast, double tight) {
        return Math.abs(fast - tight) / Math.max(Math.abs(tight), 1e-9);
    }
}
