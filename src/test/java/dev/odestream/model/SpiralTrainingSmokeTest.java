package dev.odestream.model;

import dev.odestream.data.Spiral;
import dev.odestream.data.SpiralConfig;
import dev.odestream.data.Spirals;
import dev.odestream.nn.Activation;
import dev.odestream.nn.Adam;
import dev.odestream.nn.AdamSettings;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A few optimisation steps with the ELBO gradient lower the loss on a tiny bidirectional-spirals set (Chen et al.
 * 2018, section 5.1, scaled down): a smoke test that the gradient points downhill on real data, end to end. The noise
 * is drawn once, so the loss is a deterministic function of the parameters and a run repeats exactly.
 */
class SpiralTrainingSmokeTest {

    private static final double BETA = 1.0;

    private final ModelConfig config = new ModelConfig(2, 1, 4, 8, 8, 12, 8, Activation.TANH, 0.5, 1, 1e-5, 1e-7);
    private final List<Window> windows = windows(SpiralConfig.paper(8).withCount(6).withSteps(16, 8));
    private final double[] eps = Fixtures.normals(new SplittableRandom(5L), windows.size() * config.latentDim());

    @Test
    void shouldLowerTheLossAtEveryStepOfPlainGradientDescent() {
        BatchedElbo elbo = elbo();
        double[] grad = new double[elbo.parameters().size()];
        double previous = meanLossAndGradient(elbo, grad);
        for (int step = 0; step < 5; step++) {
            double[] v = elbo.parameters().values();
            for (int i = 0; i < v.length; i++) {
                v[i] -= 2e-3 * grad[i];
            }
            Arrays.fill(grad, 0.0);
            double loss = meanLossAndGradient(elbo, grad);
            assertTrue(loss < previous, "step " + step + ": " + loss + " after " + previous);
            previous = loss;
        }
    }

    @Test
    void shouldLowerTheLossWithAdamAndRepeatExactly() {
        double[] first = train(40);
        double[] second = train(40);
        assertTrue(first[first.length - 1] < 0.5 * first[0],
                "Adam: " + first[0] + " -> " + first[first.length - 1]);
        assertArrayEquals(first, second, 0.0, "a seeded run repeats exactly");
    }

    /** @return the batch loss before every step and after the last */
    private double[] train(int steps) {
        BatchedElbo elbo = elbo();
        Adam adam = new Adam(elbo.parameters().size(), AdamSettings.of(0.01));
        double[] grad = new double[elbo.parameters().size()];
        double[] losses = new double[steps + 1];
        for (int step = 0; step <= steps; step++) {
            Arrays.fill(grad, 0.0);
            losses[step] = meanLossAndGradient(elbo, grad);
            if (step < steps) {
                adam.step(elbo.parameters().values(), grad);
            }
        }
        return losses;
    }

    /** The whole set as one batch, at the model's initial parameters. */
    private BatchedElbo elbo() {
        return Fixtures.elbo(new LatentOdeModel(config, 11L), BatchedElbo.Recognition.ODE_RNN, windows.size(),
                BatchedElbo.Stepping.CONTINUOUS);
    }

    /** The batch mean of the loss, with the gradient of the mean added into {@code grad}. */
    private double meanLossAndGradient(BatchedElbo elbo, double[] grad) {
        double[] sum = new double[grad.length];
        double loss = elbo.run(windows, 0, windows.size(), eps, BETA, sum);
        for (int i = 0; i < grad.length; i++) {
            grad[i] += sum[i] / windows.size();
        }
        return loss / windows.size();
    }

    /** Context: the irregular observations; targets: the points after the window; no Poisson events. */
    private static List<Window> windows(SpiralConfig spirals) {
        List<Window> out = new ArrayList<>();
        for (Spiral s : Spirals.generate(spirals, 3L).spirals()) {
            Window.Builder b = Window.builder();
            for (int i = 0; i < s.observedCount(); i++) {
                b.context(s.observedTime(i), new double[] {s.observedValue(i, 0), s.observedValue(i, 1)}, null, 0);
            }
            for (int j = 0; j < s.targetCount(); j++) {
                b.target(s.targetTime(j), new double[] {s.targetValue(j, 0), s.targetValue(j, 1)}, null);
            }
            out.add(b.build());
        }
        return out;
    }
}
