package dev.odestream.cuda;

import dev.odestream.model.BatchedElbo;
import dev.odestream.model.LatentOdeModel;
import dev.odestream.model.ModelConfig;
import dev.odestream.model.Window;
import dev.odestream.model.checkpoint.DataRange;
import dev.odestream.nn.Activation;
import dev.odestream.nn.DynamicsKind;
import dev.odestream.nn.AdamSettings;
import dev.odestream.train.LatentOdeTrainable;
import dev.odestream.train.Trainer;
import dev.odestream.train.TrainerConfig;
import dev.odestream.train.TrainingBackend;
import dev.odestream.train.TrainingSettings;
import dev.odestream.train.TrainingStep;

import java.time.Instant;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The checks shared by the GPU and the JVM-device tests: the device path against the JVM reference,
 * {@link LatentOdeTrainable} over one shard, to 1e-9 relative (loss; gradient and parameters in the max norm,
 * relative to their largest component), under either {@link BatchedElbo.Stepping}: the reference runs
 * with the stepping the device session is given, since the two steppings take different steps.
 */
final class ReferenceComparison {

    /** The kernels implement the first models' dynamics only. */
    private static final DynamicsKind MLP = DynamicsKind.MLP;
    private static final double NO_LIMIT = ModelConfig.NO_GAP_LIMIT;

    static final double TOLERANCE = 1e-9;

    private ReferenceComparison() {
    }

    /** Opens a training session on the device under test with the given stepping. */
    @FunctionalInterface
    interface Opener {
        TrainingBackend.Session open(LatentOdeModel model, TrainingSettings settings,
                                     BatchedElbo.Stepping stepping);
    }

    /** Random models of two configurations (tanh and softplus) on random batches of 1, 7 and 33 windows. */
    static void assertSameLossAndGradient(Device device, BatchedElbo.Stepping stepping) {
        ModelConfig[] configs = {
            new ModelConfig(2, 2, 3, 5, 4, 6, 5, Activation.TANH, 0.3, 1, 1e-5, 1e-6).withDynamics(MLP, NO_LIMIT),
            new ModelConfig(3, 1, 4, 7, 6, 5, 8, Activation.SOFTPLUS, 0.5, 1, 1e-7, 1e-9).withDynamics(MLP, NO_LIMIT),
        };
        long seed = 1;
        for (ModelConfig config : configs) {
            for (int batch : new int[] {1, 7, 33}) {
                seed++;
                LatentOdeModel model = perturbed(new LatentOdeModel(config, seed), seed);
                assertSameLossAndGradient(device, config, model, TestWindows.random(config, batch, seed), seed, 3,
                        stepping);
            }
        }
    }

    static void assertSameLossAndGradient(Device device, ModelConfig config, LatentOdeModel model,
                                          List<Window> windows, long seed, long iteration,
                                          BatchedElbo.Stepping stepping) {
        double[] cpuGradient = new double[model.parameters().size()];
        LatentOdeTrainable cpu = new LatentOdeTrainable(model.copy(),
                LatentOdeTrainable.Validation.NEGATIVE_LOG_LIKELIHOOD, seed, 1.0,
                new LatentOdeTrainable.Options(BatchedElbo.Recognition.ODE_RNN, windows.size(),
                        stepping));
        double cpuLoss = cpu.lossAndGradient(windows, new TrainingStep(iteration, 1.0), cpuGradient) / windows.size();
        for (int i = 0; i < cpuGradient.length; i++) {
            cpuGradient[i] /= windows.size();
        }
        TrainingSettings settings = new TrainingSettings(1, windows.size(), 0.01, 1.0, 1,
                1, seed);
        try (CudaSession s = new CudaSession(device, model, settings, stepping)) {
            double loss = s.meanLossAndGradient(windows.stream().map(Series::of).toList(), iteration);
            double[] gradient = s.gradient();
            String what = stepping + ", " + config + ", batch " + windows.size();
            assertEquals(cpuLoss, loss, TOLERANCE * Math.abs(cpuLoss), what);
            assertTrue(largest(cpuGradient) > 0, what);
            assertTrue(maxDifference(cpuGradient, gradient) <= TOLERANCE * largest(cpuGradient),
                    what + ": gradients differ by " + maxDifference(cpuGradient, gradient) + " of "
                            + largest(cpuGradient));
        }
    }

    /**
     * Four steps of eight windows out of twenty (so the shuffle wraps), clipped, from the same start: the device's
     * parameters against the CPU trainer's.
     *
     * @param open opens a session on the device under test
     * @param stepping the stepping of the session and of the reference
     */
    static void assertTrainsAsTheCpuTrainer(Opener open, BatchedElbo.Stepping stepping) {
        ModelConfig config = new ModelConfig(2, 2, 3, 5, 4, 6, 5, Activation.TANH, 0.3, 1, 1e-5, 1e-6)
                .withDynamics(MLP, NO_LIMIT);
        LatentOdeModel model = perturbed(new LatentOdeModel(config, 41L), 43L);
        List<Window> windows = TestWindows.random(config, 20, 47L);
        TrainingSettings settings = new TrainingSettings(4, 8, 0.01, 0.5, 1, 1, 53L);
        double[] device;
        try (TrainingBackend.Session s = open.open(model.copy(), settings, stepping)) {
            TrainingBackend.RoundStats stats = s.train(windows);
            assertEquals(4, stats.steps());
            assertEquals(0, stats.skippedSteps());
            assertTrue(stats.forwardNfe() > 0 && stats.backwardNfe() > 0, stats.toString());
            device = s.parameters();
        }
        LatentOdeModel reference = model.copy();
        LatentOdeTrainable trainable = new LatentOdeTrainable(reference,
                LatentOdeTrainable.Validation.NEGATIVE_LOG_LIKELIHOOD, settings.seed(), 1.0,
                new LatentOdeTrainable.Options(BatchedElbo.Recognition.ODE_RNN, settings.batchSize(),
                        stepping));
        TrainerConfig trainer = TrainerConfig.builder().iterations(settings.iterations())
                .batchSize(settings.batchSize()).threads(1).shards(1).seed(settings.seed())
                .adam(AdamSettings.of(settings.learningRate())).clipNorm(settings.clipNorm())
                .evaluateEvery(settings.iterations()).logEvery(settings.iterations()).build();
        try (Trainer<Window> t = new Trainer<>(trainable, trainer, line -> { })) {
            t.train(windows, List.of(), new DataRange(Instant.EPOCH, Instant.EPOCH, 0));
        }
        double[] expected = reference.parameters().values();
        assertTrue(maxDifference(model.parameters().values(), expected) > 1e-4, "the reference moved the parameters");
        assertTrue(maxDifference(expected, device) <= TOLERANCE * largest(expected),
                stepping + ": parameters differ by " + maxDifference(expected, device));
    }

    static double maxDifference(double[] a, double[] b) {
        double max = 0.0;
        for (int i = 0; i < a.length; i++) {
            max = Math.max(max, Math.abs(a[i] - b[i]));
        }
        return max;
    }

    static double largest(double[] v) {
        double max = 0.0;
        for (double x : v) {
            max = Math.max(max, Math.abs(x));
        }
        return max;
    }

    static LatentOdeModel perturbed(LatentOdeModel m, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        double[] v = m.parameters().values();
        for (int i = 0; i < v.length; i++) {
            v[i] += 0.1 * rng.nextGaussian();
        }
        return m;
    }
}
