package dev.odestream.model;

import dev.odestream.model.checkpoint.CheckpointCodec;
import dev.odestream.model.checkpoint.LoadedModel;
import dev.odestream.nn.DynamicsKind;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Gaps from 1 ms to 30 days, log-spaced, with a model time unit of 1 ms, 1 s and 1 min (so from 1e-3 to 2.6e9 model
 * units): the bundled trained model, an untrained one and one with every parameter drawn from {@code N(0, 3^2)} keep
 * every encoder state, posterior, training-path latent state and forecast finite, and the derivative evaluations of a
 * 30-day gap stay within {@value #NFE_FACTOR} times those of a one-unit gap, for the encoder's update and for the
 * forecast alike. The unbounded {@link DynamicsKind#MLP} dynamics without a gap limit fail the same sweep.
 */
class GapSweepTest {

    private static final double NFE_FACTOR = 10.0;
    private static final double THIRTY_DAYS_MS = 30 * 86_400_000.0;
    private static final double[] UNITS_MS = {1.0, 1_000.0, 60_000.0};
    private static final int POINTS = 19;

    /** What a sweep found: counts and the worst NFE ratio over the units, with every failure named. */
    record Sweep(int cases, List<String> failures, double worstRatio, long worstNfe) {
        @Override
        public String toString() {
            return cases + " cases, " + failures.size() + " failures, worst NFE(30 d) / NFE(1 unit) " + worstRatio
                    + ", most NFE of one call " + worstNfe + (failures.isEmpty() ? "" : ", first: " + failures.get(0));
        }
    }

    @Test
    void shouldStayFiniteAndCheapForTheTrainedModel() throws Exception {
        assertSound("trained", trained());
    }

    @Test
    void shouldStayFiniteAndCheapForAnUntrainedModel() {
        assertSound("untrained", new LatentOdeModel(ModelConfig.reference(), 11L));
    }

    @Test
    void shouldStayFiniteAndCheapForLargeRandomParameters() {
        for (long seed = 1; seed <= 3; seed++) {
            assertSound("random N(0, 9), seed " + seed, random(ModelConfig.reference(), seed));
        }
    }

    @Test
    void shouldStayFiniteOnTheTrainingPathForLargeRandomParameters() {
        LatentOdeModel model = random(ModelConfig.reference(), 4L);
        for (double unit : UNITS_MS) {
            List<Window> windows = new ArrayList<>();
            for (double gapMs : gapsMs()) {
                windows.add(window(gapMs / unit));
            }
            BatchedElbo elbo = new BatchedElbo(model.config(), BatchedElbo.Recognition.ODE_RNN, 1,
                    BatchedElbo.Stepping.CONTINUOUS);
            System.arraycopy(model.parameters().values(), 0, elbo.parameters().values(), 0,
                    model.parameters().size());
            double[] eps = new double[model.config().latentDim()];
            for (Window w : windows) {
                double[] grad = new double[model.parameters().size()];
                double loss = elbo.run(List.of(w), 0, 1, eps, 1.0, grad);
                assertTrue(Double.isFinite(loss) && allFinite(grad), "loss " + loss + " for " + w.end());
                for (int g = 0; g < elbo.latentGridSize(); g++) {
                    assertTrue(allFinite(elbo.latentState(g)), "latent state at grid time " + g);
                }
            }
        }
    }

    /** The old dynamics, kept out of the assertions above: without the bound and the rule the sweep fails. */
    @Test
    void shouldFailWithTheUnboundedMlpDynamics() {
        ModelConfig old = ModelConfig.reference().withDynamics(DynamicsKind.MLP, ModelConfig.NO_GAP_LIMIT);
        Sweep sweep = sweep(random(old, 1L), new double[] {1.0});
        System.out.println("gap sweep, mlp dynamics, no gap limit, random N(0, 9), 1 ms per unit: " + sweep);
        assertFalse(sweep.failures().isEmpty() && sweep.worstRatio() <= NFE_FACTOR, sweep.toString());
    }

    private static void assertSound(String name, LatentOdeModel model) {
        Sweep sweep = sweep(model, UNITS_MS);
        System.out.println("gap sweep, " + name + ": " + sweep);
        assertTrue(sweep.failures().isEmpty(), name + ": " + sweep);
        assertTrue(sweep.worstRatio() <= NFE_FACTOR, name + ": " + sweep);
    }

    /** Each unit: per gap, a fresh history, the event after the gap, then a forecast as far ahead again. */
    private static Sweep sweep(LatentOdeModel model, double[] units) {
        List<String> failures = new ArrayList<>();
        double worstRatio = 0.0;
        long worstNfe = 0;
        int cases = 0;
        for (double unit : units) {
            long[] oneUnit = step(model, 1.0, failures, "1 unit");
            for (double gapMs : gapsMs()) {
                cases++;
                long[] nfe = step(model, gapMs / unit, failures, gapMs + " ms at " + unit + " ms per unit");
                if (nfe == null || oneUnit == null) {
                    continue;
                }
                worstNfe = Math.max(worstNfe, Math.max(nfe[0], nfe[1]));
                if (gapMs == THIRTY_DAYS_MS) {
                    worstRatio = Math.max(worstRatio, Math.max((double) nfe[0] / oneUnit[0],
                            (double) nfe[1] / oneUnit[1]));
                }
            }
        }
        return new Sweep(cases, failures, worstRatio, worstNfe);
    }

    /** @return the encoder's and the forecast's derivative evaluations, or null after a failure (recorded) */
    private static long[] step(LatentOdeModel model, double gap, List<String> failures, String label) {
        try {
            SeriesState s = history(model);
            double t = s.lastTime() + gap;
            model.observe(s, t, new double[] {0.5, -0.3, 1.2, 0.1}, null, 0);
            long encoder = model.lastNfe();
            double[] mu = new double[model.config().latentDim()];
            double[] logVar = new double[model.config().latentDim()];
            model.posterior(s, mu, logVar);
            double[] times = gap == 1.0 ? new double[] {t + 1.0}
                    : new double[] {t + Math.min(gap, 1.0), t + Math.max(gap, 1.0)};
            Forecast f = model.newForecast(times.length);
            model.forecast(s, times, f);
            long forecast = model.lastNfe();
            if (!allFinite(s.hidden()) || !allFinite(mu) || !allFinite(logVar) || !finite(f)) {
                failures.add(label + ": not finite");
                return null;
            }
            return new long[] {encoder, forecast};
        } catch (RuntimeException e) {
            failures.add(label + ": " + e);
            return null;
        }
    }

    private static SeriesState history(LatentOdeModel model) {
        SeriesState s = model.newState();
        double[][] values = {{0.1, 0.2, -0.4, 0.0}, {0.3, -0.1, 0.8, 0.2}, {-0.2, 0.0, 0.4, 0.6}};
        for (int i = 0; i < values.length; i++) {
            model.observe(s, 1000.0 + i, values[i], null, 0);
        }
        return s;
    }

    /** A training window: three events a unit apart, the gap, one more, and a target and an event as far again. */
    private static Window window(double gap) {
        Window.Builder b = Window.builder();
        for (int i = 0; i < 3; i++) {
            b.context(1000.0 + i, new double[] {0.1 * i, 0.2, -0.4, 0.0}, null, 0);
        }
        double tau = 1002.0 + gap;
        b.context(tau, new double[] {0.5, -0.3, 1.2, 0.1}, null, 0);
        return b.target(tau + gap, new double[] {0.2, 0.1, 0.0, -0.1}, null).event(tau + gap, 0).build();
    }

    private static boolean finite(Forecast f) {
        for (int i = 0; i < f.size(); i++) {
            for (int d = 0; d < f.observationDim(); d++) {
                if (!Double.isFinite(f.mean(i, d)) || !Double.isFinite(f.std(i, d))) {
                    return false;
                }
            }
            for (int k = 0; k < f.eventTypes(); k++) {
                if (!Double.isFinite(f.intensity(i, k)) || !Double.isFinite(f.expectedCount(i, k))) {
                    return false;
                }
            }
            if (!Double.isFinite(f.probabilityNoEvent(i))) {
                return false;
            }
        }
        return true;
    }

    private static boolean allFinite(double[] v) {
        for (double x : v) {
            if (!Double.isFinite(x)) {
                return false;
            }
        }
        return true;
    }

    /** 1 ms to 30 days, log-spaced, both ends exact. */
    private static double[] gapsMs() {
        double[] gaps = new double[POINTS];
        for (int i = 0; i < POINTS; i++) {
            gaps[i] = Math.exp(Math.log(THIRTY_DAYS_MS) * i / (POINTS - 1));
        }
        gaps[0] = 1.0;
        gaps[POINTS - 1] = THIRTY_DAYS_MS;
        return gaps;
    }

    private static LatentOdeModel trained() throws Exception {
        try (InputStream in = GapSweepTest.class.getResourceAsStream("/models/default.odsc")) {
            return LoadedModel.load(CheckpointCodec.decode(in.readAllBytes()));
        }
    }

    private static LatentOdeModel random(ModelConfig config, long seed) {
        LatentOdeModel model = new LatentOdeModel(config, seed);
        SplittableRandom rng = new SplittableRandom(seed);
        double[] v = model.parameters().values();
        for (int i = 0; i < v.length; i++) {
            v[i] = 3.0 * rng.nextGaussian();
        }
        return model;
    }
}
