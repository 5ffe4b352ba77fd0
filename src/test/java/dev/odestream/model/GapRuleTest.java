package dev.odestream.model;

import dev.odestream.model.BatchedElbo.Recognition;
import dev.odestream.model.BatchedElbo.Stepping;
import dev.odestream.nn.DynamicsKind;
import dev.odestream.nn.GradientCheck;
import dev.odestream.nn.ParameterBlock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link ModelConfig}'s gap rule, the same in serving and in training: the encoder's clock stops after
 * {@code maxGap}, the latent path holds at {@code tau + maxGap} with the intensity held and the expected count growing
 * linearly; the training loss's gradient through both agrees with finite differences.
 */
class GapRuleTest {

    private static final double MAX_GAP = 0.35;

    /** Fixtures' small model with a gap limit shorter than many of its windows' gaps. */
    private final ModelConfig config = Fixtures.small().withDynamics(DynamicsKind.BOUNDED, MAX_GAP);
    private final LatentOdeModel model = perturbed(new LatentOdeModel(config, 42L), 3L);

    /** A window whose context has gaps longer and shorter than maxGap, and targets and events past the cap. */
    private static Window window() {
        return Window.builder()
                .context(0.1, new double[] {0.4, -0.2, 0.1}, null, 0)
                .context(0.3, null, null, 1)
                .context(1.4, new double[] {Double.NaN, 0.3, -0.6}, new boolean[] {false, true, true}, 0)
                .context(1.4, new double[] {0.2, 0.1, 0.0}, null, 1)
                .context(3.9, new double[] {-0.5, 0.2, 0.7}, null, 1)
                .target(4.1, new double[] {0.3, -0.1, 0.2}, null)
                .event(4.2, 1)
                .target(4.6, new double[] {0.0, 0.4, -0.3}, new boolean[] {true, false, true})
                .event(5.0, 0).event(5.5, 1)
                .end(6.0).build();
    }

    @Test
    void shouldEncodeALongGapAsAGapOfMaxGap() {
        SeriesState far = model.newState();
        SeriesState near = model.newState();
        double[] x = {0.3, -0.2, 0.5};
        model.observe(far, 1.0, x, null, 0);
        model.observe(near, 1.0, x, null, 0);
        model.observe(far, 1.0 + 1e9, x, null, 1);
        long farNfe = model.lastNfe();
        model.observe(near, 1.0 + MAX_GAP, x, null, 1);
        assertArrayEquals(near.hidden(), far.hidden(), 0.0, "the clock stops after maxGap");
        assertEquals(model.lastNfe(), farNfe);
        SeriesState shorter = model.newState();
        model.observe(shorter, 1.0, x, null, 0);
        model.observe(shorter, 1.0 + 0.5 * MAX_GAP, x, null, 1);
        assertTrue(Math.abs(shorter.hidden()[0] - near.hidden()[0]) > 1e-6, "a shorter gap still evolves less");
    }

    @Test
    void shouldHoldTheForecastAfterMaxGapAndGrowTheCountLinearly() {
        SeriesState s = Fixtures.observeContext(model, window());
        double tau = s.lastTime();
        double[] times = {tau + 0.1, tau + MAX_GAP, tau + 1.0, tau + 100.0, tau + 1e7};
        Forecast f = model.newForecast(times.length);
        model.forecast(s, times, f);
        int types = config.eventTypes();
        double[] rate = new double[types];
        for (int k = 0; k < types; k++) {
            rate[k] = f.intensity(1, k);
        }
        for (int i = 2; i < times.length; i++) {
            for (int d = 0; d < config.observationDim(); d++) {
                assertEquals(f.mean(1, d), f.mean(i, d), 0.0, "mean held at " + times[i]);
                assertEquals(f.std(1, d), f.std(i, d), 0.0, "std held at " + times[i]);
            }
            for (int k = 0; k < types; k++) {
                assertEquals(rate[k], f.intensity(i, k), 0.0, "intensity held");
                double linear = f.expectedCount(1, k) + rate[k] * (times[i] - times[1]);
                assertEquals(linear, f.expectedCount(i, k), 1e-12 * linear, "count grows linearly");
            }
            assertTrue(f.probabilityNoEvent(i) < f.probabilityNoEvent(i - 1));
        }
        Forecast alone = model.newForecast(1);
        model.forecast(s, new double[] {tau + 0.1}, alone);
        assertEquals(alone.mean(0, 0), f.mean(0, 0), 1e-6, "a time before the cap is answered by the solve");
        assertTrue(Math.abs(f.mean(0, 0) - f.mean(1, 0)) > 1e-9, "before the cap the forecast moves");
    }

    /** Training's loss sees what serving sees: the same posterior, the held state, the same expected count. */
    @Test
    void shouldAgreeWithServingAcrossLongGaps() {
        Window w = window();
        SeriesState s = Fixtures.observeContext(model, w);
        int samples = config.forecastSamples();
        int latent = config.latentDim();
        BatchedElbo elbo = Fixtures.elbo(model, Recognition.ODE_RNN, samples, Stepping.CONTINUOUS);
        elbo.run(Fixtures.repeated(w, samples), 0, samples, model.forecastEpsilon(), 1.0, null);
        double[] mu = new double[latent];
        double[] trainedMu = new double[latent];
        model.posterior(s, mu, new double[latent]);
        elbo.posterior(0, trainedMu, new double[latent]);
        assertArrayEquals(mu, trainedMu, 1e-7);
        Forecast f = model.newForecast(1);
        model.forecast(s, new double[] {w.end()}, f);
        double count = 0.0;
        for (int k = 0; k < config.eventTypes(); k++) {
            count += f.expectedCount(0, k);
        }
        // The Poisson term is sum log lambda - Lambda(end); a window without target events leaves -Lambda(end).
        Window.Builder b = Window.builder();
        for (int i = 0; i < w.contextCount(); i++) {
            b.context(w.contextTime(i), w.contextValuesRow(i), w.contextMaskRow(i), w.contextType(i));
        }
        Window noEvents = b.end(w.end()).build();
        elbo.run(Fixtures.repeated(noEvents, samples), 0, samples, model.forecastEpsilon(), 1.0, null);
        assertEquals(count, -elbo.poissonLogLikelihood() / samples, 1e-6 * count, "Lambda(end), held past the cap");
    }

    @ParameterizedTest
    @EnumSource(Stepping.class)
    void shouldMatchFiniteDifferencesAcrossGapsLongerThanMaxGap(Stepping stepping) {
        ModelConfig tight = config.withTolerances(1e-10, 1e-10).withForecastSamples(2);
        LatentOdeModel m = perturbed(new LatentOdeModel(tight, 7L), 5L);
        List<Window> w = List.of(window(), Fixtures.window(tight, 5L));
        double[] eps = Fixtures.normals(new SplittableRandom(9L), 2 * tight.latentDim());
        BatchedElbo elbo = Fixtures.elbo(m, Recognition.ODE_RNN, 2, stepping);
        double[] analytic = new double[m.parameters().size()];
        elbo.run(w, 0, 2, eps, 0.6, analytic);
        double largest = Arrays.stream(analytic).map(Math::abs).max().orElse(0.0);
        GradientCheck check = new GradientCheck(1e-3, 1e-5 * largest);
        StringBuilder failures = new StringBuilder();
        for (ParameterBlock block : elbo.parameters().layout().blocks()) {
            for (int i = block.offset(); i < block.end(); i++) {
                double numeric = check.derivative(x -> elbo.run(w, 0, 2, eps, 0.6, null), elbo.parameters().values(),
                        i);
                double error = check.relativeError(analytic[i], numeric);
                if (error > 1e-6) {
                    failures.append(String.format("%n  %s[%d]: analytic %s, numeric %s", block.name(),
                            i - block.offset(), analytic[i], numeric));
                }
            }
        }
        assertTrue(failures.isEmpty(), "gradient off:" + failures);
    }

    private static LatentOdeModel perturbed(LatentOdeModel m, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        double[] v = m.parameters().values();
        for (int i = 0; i < v.length; i++) {
            v[i] += 0.1 * rng.nextGaussian();
        }
        return m;
    }
}
