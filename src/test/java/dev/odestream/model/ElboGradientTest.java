package dev.odestream.model;

import dev.odestream.nn.Activation;
import dev.odestream.nn.GradientCheck;
import dev.odestream.nn.ParameterBlock;
import dev.odestream.nn.Parameters;
import dev.odestream.ode.adjoint.AdjointSolver;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The gradient of the negative ELBO against fourth-order central finite differences of
 * {@link LatentOdeModel#negativeElbo(Window, double[], double, ElboTrace)}, over every parameter of every block, at
 * solver tolerances of {@code 1e-10}. The windows carry masks, a pure point event, two event types and target events;
 * separate cases isolate the KL term, the Poisson term and the likelihoods without KL, so that a failure points at
 * its term, and the block named in the message points at the module.
 */
class ElboGradientTest {

    /**
     * Componentwise relative error {@code |a - n| / max(|a|, |n|, floor)}, where the floor, {@code 1e-5} of the
     * largest gradient component, keeps components many orders below the rest (whose finite differences are mostly
     * solver noise) from counting as relative errors.
     */
    private static final double TOLERANCE = 1e-6;
    private static final double FLOOR = 1e-5;

    /** K = 2 event types, every size distinct and small, two samples. */
    private final ModelConfig config = new ModelConfig(2, 2, 3, 5, 4, 6, 5, Activation.TANH, 0.3, 2, 1e-6, 1e-8)
            .withTolerances(1e-10, 1e-10);
    private final LatentOdeModel model = perturbed(new LatentOdeModel(config, 7L), 3L);
    private final double[] eps = Fixtures.normals(new SplittableRandom(9L), 2 * config.latentDim());

    @Test
    void shouldMatchFiniteDifferencesOnAWindowWithMasksPointEventsAndTargetEvents() {
        assertMatchesFiniteDifferences(Fixtures.window(config, 5L), 0.7, AdjointSolver.Mode.REINTEGRATE);
    }

    @Test
    void shouldMatchFiniteDifferencesInCheckpointMode() {
        assertMatchesFiniteDifferences(Fixtures.window(config, 5L), 0.7, AdjointSolver.Mode.CHECKPOINT);
    }

    @Test
    void shouldMatchFiniteDifferencesOfTheLikelihoodsAlone() {
        assertMatchesFiniteDifferences(Fixtures.window(config, 11L), 0.0, AdjointSolver.Mode.REINTEGRATE);
    }

    @Test
    void shouldMatchFiniteDifferencesOfThePoissonTermAlone() {
        Window w = Window.builder()
                .context(0.1, new double[] {0.4, -0.2}, null, 0)
                .context(0.5, null, null, 1)
                .context(0.9, new double[] {Double.NaN, 0.3}, new boolean[] {false, true}, 0)
                .event(1.2, 1).event(1.5, 0).event(1.5, 1).event(2.0, 0)
                .end(2.3).build();
        assertMatchesFiniteDifferences(w, 0.0, AdjointSolver.Mode.REINTEGRATE);
    }

    @Test
    void shouldMatchFiniteDifferencesOfTheKlTermAlone() {
        Window w = Window.builder()
                .context(0.2, new double[] {0.1, 0.7}, null, 1)
                .context(0.6, null, null, 0)
                .context(1.1, new double[] {-0.5, 0.2}, new boolean[] {true, false}, 1)
                .build();
        double[] grad = assertMatchesFiniteDifferences(w, 1.0, AdjointSolver.Mode.REINTEGRATE);
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
        assertMatchesFiniteDifferences(w, 0.5, AdjointSolver.Mode.REINTEGRATE);
    }

    @Test
    void shouldGiveTheSameGradientInBothAdjointModes() {
        Window w = Fixtures.window(config, 13L);
        double[] reintegrated = gradient(new ElboGradient(model, AdjointSolver.Mode.REINTEGRATE), w, 1.0);
        double[] checkpointed = gradient(new ElboGradient(model, AdjointSolver.Mode.CHECKPOINT), w, 1.0);
        GradientCheck metric = new GradientCheck(1e-3, FLOOR * largest(reintegrated));
        for (int i = 0; i < reintegrated.length; i++) {
            assertTrue(metric.relativeError(reintegrated[i], checkpointed[i]) < 2e-7,
                    "parameter " + i + ": " + reintegrated[i] + " vs " + checkpointed[i]);
        }
    }

    @Test
    void shouldReturnTheNegativeElboAndAddToTheGradient() {
        Window w = Fixtures.window(config, 17L);
        ElboGradient g = new ElboGradient(model);
        double[] once = new double[model.parameters().size()];
        double loss = g.lossAndGradient(w, eps, 0.3, once);
        assertEquals(model.negativeElbo(w, eps, 0.3, new ElboTrace(config)), loss, 0.0);
        assertEquals(loss, g.lastTerms().negativeElbo(), 1e-12);
        double[] twice = once.clone();
        g.lossAndGradient(w, eps, 0.3, twice);
        for (int i = 0; i < once.length; i++) {
            assertEquals(2 * once[i], twice[i], 1e-12 * Math.max(1, Math.abs(once[i])));
        }
    }

    @Test
    void shouldAverageABatchAsNegativeElboDoes() {
        List<Window> windows = List.of(Fixtures.window(config, 19L), Fixtures.window(config, 23L));
        double[][] noise = {eps, Fixtures.normals(new SplittableRandom(29L), config.latentDim())};
        double[] first = new double[model.parameters().size()];
        double[] second = first.clone();
        double[] batch = first.clone();
        double l1 = model.lossAndGradient(windows.get(0), noise[0], 0.8, first);
        double l2 = model.lossAndGradient(windows.get(1), noise[1], 0.8, second);
        double mean = model.lossAndGradient(windows, noise, 0.8, batch);
        assertEquals(0.5 * (l1 + l2), mean, 1e-12);
        assertEquals(model.negativeElbo(windows, noise, 0.8).negativeElbo(), mean, 1e-12);
        for (int i = 0; i < batch.length; i++) {
            assertEquals(0.5 * (first[i] + second[i]), batch[i], 1e-12 * Math.max(1, Math.abs(batch[i])));
        }
    }

    @Test
    void shouldCountForwardAndBackwardEvaluations() {
        Window w = Fixtures.window(config, 31L);
        for (AdjointSolver.Mode mode : AdjointSolver.Mode.values()) {
            ElboGradient g = new ElboGradient(model, mode);
            g.lossAndGradient(w, eps, 1.0, new double[model.parameters().size()]);
            assertEquals(g.trace().nfe(), g.lastForwardNfe(), mode.name());
            assertTrue(g.lastForwardNfe() > 0 && g.lastBackwardNfe() > 0, mode.name());
        }
    }

    @Test
    void shouldRejectAGradientOfTheWrongLength() {
        ElboGradient g = new ElboGradient(model);
        assertThrows(IllegalArgumentException.class,
                () -> g.lossAndGradient(Fixtures.window(config, 1L), eps, 1.0, new double[3]));
        assertThrows(IllegalArgumentException.class,
                () -> g.lossAndGradient(List.of(Fixtures.window(config, 1L)), new double[0][], 1.0,
                        new double[model.parameters().size()]));
    }

    /**
     * Checks every parameter and returns the analytic gradient. The message lists every block over the tolerance
     * with its worst component: an error spreads backwards from where it is made (into the posterior and encoder),
     * so the culprit is the failing block nearest the loss.
     */
    private double[] assertMatchesFiniteDifferences(Window w, double beta, AdjointSolver.Mode mode) {
        double[] analytic = gradient(new ElboGradient(model, mode), w, beta);
        ElboTrace trace = new ElboTrace(config);
        GradientCheck check = new GradientCheck(1e-3, FLOOR * largest(analytic));
        Parameters p = model.parameters();
        StringBuilder failures = new StringBuilder();
        for (ParameterBlock b : p.layout().blocks()) {
            double worst = 0.0;
            String where = "";
            for (int i = b.offset(); i < b.end(); i++) {
                double numeric = check.derivative(x -> model.negativeElbo(w, eps, beta, trace), p.values(), i);
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

    private double[] gradient(ElboGradient g, Window w, double beta) {
        double[] grad = new double[model.parameters().size()];
        g.lossAndGradient(w, eps, beta, grad);
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
