package dev.odestream.model;

import dev.odestream.model.BatchedElbo.Recognition;
import dev.odestream.model.BatchedElbo.Stepping;
import dev.odestream.nn.Activation;
import dev.odestream.nn.GradientCheck;
import dev.odestream.nn.ParameterBlock;
import dev.odestream.nn.Parameters;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The gradient of the negative ELBO of one window, a batch of one of {@link BatchedElbo}, against fourth-order
 * central finite differences of its loss, over every parameter of every block, at solver tolerances of
 * {@code 1e-10}. The windows carry masks, a pure point event, two event types and target events; separate cases
 * isolate the KL term, the Poisson term and the likelihoods without KL, so that a failure points at its term, and the
 * block named in the message points at the module.
 */
class ElboGradientTest {

    /**
     * Componentwise relative error {@code |a - n| / max(|a|, |n|, floor)}, where the floor, {@code 1e-5} of the
     * largest gradient component, keeps components many orders below the rest (whose finite differences are mostly
     * solver noise) from counting as relative errors.
     */
    private static final double TOLERANCE = 1e-6;
    private static final double FLOOR = 1e-5;

    /** K = 2 event types, every size distinct and small; two draws of noise. */
    private final ModelConfig config = new ModelConfig(2, 2, 3, 5, 4, 6, 5, Activation.TANH, 0.3, 2, 1e-6, 1e-8)
            .withTolerances(1e-10, 1e-10);
    private final LatentOdeModel model = perturbed(new LatentOdeModel(config, 7L), 3L);
    private final double[] eps = Fixtures.normals(new SplittableRandom(9L), 2 * config.latentDim());

    @ParameterizedTest
    @EnumSource(Stepping.class)
    void shouldMatchFiniteDifferencesOnAWindowWithMasksPointEventsAndTargetEvents(Stepping stepping) {
        assertMatchesFiniteDifferences(List.of(Fixtures.window(config, 5L)), 0.7, Recognition.ODE_RNN, stepping);
    }

    @Test
    void shouldMatchFiniteDifferencesWithThePlainRecurrentEncoder() {
        double[] grad = assertMatchesFiniteDifferences(List.of(Fixtures.window(config, 5L)), 0.7, Recognition.RNN,
                Stepping.CONTINUOUS);
        for (ParameterBlock b : blocks("encoder.ode.")) {
            for (int i = b.offset(); i < b.end(); i++) {
                assertEquals(0.0, grad[i], 0.0, "no encoder ODE, no gradient for " + b.name());
            }
        }
    }

    /** Two draws of one window are that window twice in a batch, one row of noise each. */
    @Test
    void shouldMatchFiniteDifferencesOfTwoDrawsOfOneWindow() {
        assertMatchesFiniteDifferences(Fixtures.repeated(Fixtures.window(config, 5L), 2), 0.7, Recognition.ODE_RNN,
                Stepping.CONTINUOUS);
    }

    @Test
    void shouldMatchFiniteDifferencesOfTheLikelihoodsAlone() {
        assertMatchesFiniteDifferences(List.of(Fixtures.window(config, 11L)), 0.0);
    }

    @Test
    void shouldMatchFiniteDifferencesOfThePoissonTermAlone() {
        Window w = Window.builder()
                .context(0.1, new double[] {0.4, -0.2}, null, 0)
                .context(0.5, null, null, 1)
                .context(0.9, new double[] {Double.NaN, 0.3}, new boolean[] {false, true}, 0)
                .event(1.2, 1).event(1.5, 0).event(1.5, 1).event(2.0, 0)
                .end(2.3).build();
        assertMatchesFiniteDifferences(List.of(w), 0.0);
    }

    @Test
    void shouldMatchFiniteDifferencesOfTheKlTermAlone() {
        Window w = Window.builder()
                .context(0.2, new double[] {0.1, 0.7}, null, 1)
                .context(0.6, null, null, 0)
                .context(1.1, new double[] {-0.5, 0.2}, new boolean[] {true, false}, 1)
                .build();
        double[] grad = assertMatchesFiniteDifferences(List.of(w), 1.0);
        for (String block : new String[] {"dynamics.", "intensity.", "decoder."}) {
            for (ParameterBlock b : blocks(block)) {
                for (int i = b.offset(); i < b.end(); i++) {
                    assertEquals(0.0, grad[i], 0.0, "a term-free window leaves " + b.name() + " alone");
                }
            }
        }
    }

    @Test
    void shouldMatchFiniteDifferencesWhenTimesCoincide() {
        Window w = Window.builder()
                .context(0.3, new double[] {0.2, -0.1}, null, 0)
                .context(0.3, null, null, 1)
                .context(0.8, new double[] {0.5, 0.5}, new boolean[] {false, true}, 1)
                .target(0.8, new double[] {0.4, 0.6}, null)
                .target(1.3, new double[] {-0.2, 0.1}, new boolean[] {true, false})
                .event(1.3, 0).event(1.3, 1).event(1.7, 1)
                .target(1.7, new double[] {0.0, 0.3}, null)
                .end(2.0).build();
        assertMatchesFiniteDifferences(List.of(w), 0.5);
    }

    @Test
    void shouldGiveTheSameGradientWithEitherStepping() {
        List<Window> w = List.of(Fixtures.window(config, 13L));
        double[] restarted = gradient(Fixtures.elbo(model, Recognition.ODE_RNN, 1, Stepping.RESTART), w, 1.0);
        double[] continued = gradient(Fixtures.elbo(model, Recognition.ODE_RNN, 1, Stepping.CONTINUOUS), w, 1.0);
        GradientCheck metric = new GradientCheck(1e-3, FLOOR * largest(restarted));
        for (int i = 0; i < restarted.length; i++) {
            assertTrue(metric.relativeError(restarted[i], continued[i]) < 2e-7,
                    "parameter " + i + ": " + restarted[i] + " vs " + continued[i]);
        }
    }

    @Test
    void shouldReturnTheNegativeElboAndAddToTheGradient() {
        List<Window> w = List.of(Fixtures.window(config, 17L));
        BatchedElbo elbo = Fixtures.elbo(model);
        double[] once = new double[model.parameters().size()];
        double loss = elbo.run(w, 0, 1, eps, 0.3, once);
        assertEquals(-(elbo.gaussianLogLikelihood() + elbo.poissonLogLikelihood()) + 0.3 * elbo.kl(), loss, 1e-12);
        assertEquals(loss, elbo.loss(0), 1e-12);
        assertEquals(elbo.run(w, 0, 1, eps, 0.3, null), loss, 0.0);
        double[] twice = once.clone();
        elbo.run(w, 0, 1, eps, 0.3, twice);
        for (int i = 0; i < once.length; i++) {
            assertEquals(2 * once[i], twice[i], 1e-12 * Math.max(1, Math.abs(once[i])));
        }
    }

    @Test
    void shouldCountForwardAndBackwardEvaluations() {
        List<Window> w = List.of(Fixtures.window(config, 31L));
        for (Stepping stepping : Stepping.values()) {
            BatchedElbo elbo = Fixtures.elbo(model, Recognition.ODE_RNN, 1, stepping);
            elbo.run(w, 0, 1, eps, 1.0, null);
            long forward = elbo.forwardNfe();
            assertTrue(forward > 0 && elbo.backwardNfe() == 0, stepping.name());
            elbo.run(w, 0, 1, eps, 1.0, new double[model.parameters().size()]);
            assertEquals(2 * forward, elbo.forwardNfe(), stepping.name());
            assertTrue(elbo.backwardNfe() > 0, stepping.name());
            elbo.resetCounters();
            assertEquals(0, elbo.forwardNfe() + elbo.backwardNfe(), stepping.name());
        }
    }

    @Test
    void shouldRejectAGradientOfTheWrongLengthOrTooLittleNoise() {
        BatchedElbo elbo = Fixtures.elbo(model, Recognition.ODE_RNN, 2, Stepping.CONTINUOUS);
        List<Window> w = List.of(Fixtures.window(config, 1L), Fixtures.window(config, 2L));
        assertThrows(IllegalArgumentException.class, () -> elbo.run(w, 0, 1, eps, 1.0, new double[3]));
        assertThrows(IllegalArgumentException.class, () -> elbo.run(w, 0, 2, Arrays.copyOf(eps, 2 * config.latentDim() - 1), 1.0,
                new double[model.parameters().size()]));
        assertThrows(IllegalArgumentException.class, () -> elbo.run(w, 0, 3, new double[9], 1.0, null));
    }

    private double[] assertMatchesFiniteDifferences(List<Window> w, double beta) {
        return assertMatchesFiniteDifferences(w, beta, Recognition.ODE_RNN, Stepping.CONTINUOUS);
    }

    /**
     * Checks every parameter and returns the analytic gradient. The message lists every block over the tolerance
     * with its worst component: an error spreads backwards from where it is made (into the posterior and encoder),
     * so the culprit is the failing block nearest the loss.
     */
    private double[] assertMatchesFiniteDifferences(List<Window> w, double beta, Recognition recognition,
                                                    Stepping stepping) {
        BatchedElbo elbo = Fixtures.elbo(model, recognition, w.size(), stepping);
        double[] analytic = gradient(elbo, w, beta);
        GradientCheck check = new GradientCheck(1e-3, FLOOR * largest(analytic));
        Parameters p = elbo.parameters();
        StringBuilder failures = new StringBuilder();
        for (ParameterBlock b : p.layout().blocks()) {
            double worst = 0.0;
            String where = "";
            for (int i = b.offset(); i < b.end(); i++) {
                double numeric = check.derivative(x -> elbo.run(w, 0, w.size(), eps, beta, null), p.values(), i);
                double error = check.relativeError(analytic[i], numeric);
                if (error > worst) {
                    worst = error;
                    where = "index " + (i - b.offset()) + ": analytic " + analytic[i] + ", numeric " + numeric;
                }
            }
            if (worst > TOLERANCE) {
                failures.append(String.format("%n  %s relative error %.2e at %s", b.name(), worst, where));
            }
        }
        assertTrue(failures.isEmpty(), "gradient off in blocks:" + failures);
        return analytic;
    }

    private double[] gradient(BatchedElbo elbo, List<Window> w, double beta) {
        double[] grad = new double[model.parameters().size()];
        elbo.run(w, 0, w.size(), eps, beta, grad);
        return grad;
    }

    private static double largest(double[] v) {
        double max = 0.0;
        for (double x : v) {
            max = Math.max(max, Math.abs(x));
        }
        return max;
    }

    private List<ParameterBlock> blocks(String prefix) {
        return model.parameters().layout().blocks().stream().filter(b -> b.name().startsWith(prefix)).toList();
    }

    /** Moves every parameter off its initial value, so that zero biases hide nothing. */
    private static LatentOdeModel perturbed(LatentOdeModel m, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        double[] v = m.parameters().values();
        for (int i = 0; i < v.length; i++) {
            v[i] += 0.1 * rng.nextGaussian();
        }
        return m;
    }
}
