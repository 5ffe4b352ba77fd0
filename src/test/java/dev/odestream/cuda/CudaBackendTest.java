package dev.odestream.cuda;

import dev.odestream.model.BatchedElbo;
import dev.odestream.model.checkpoint.LoadedModel;
import dev.odestream.train.LatentOdeTrainable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The GPU against the JVM reference, {@code LatentOdeTrainable} over one shard: the loss and gradient of random
 * models on random batches under each stepping, and a training round through the backend's public API (and one with
 * restart stepping), to 1e-9 relative. Skipped, with
 * the probe's reason, where no CUDA device is present.
 */
class CudaBackendTest {

    private static CudaBackend backend;

    /** Per test rather than per class, so that each test reports itself skipped with the reason. */
    @BeforeEach
    void openDevice() {
        CudaDriver.Probe probe = CudaDriver.probe();
        assumeTrue(probe.available(), "no CUDA device: " + probe.reason());
        if (backend == null) {
            backend = CudaBackend.open(1);
        }
    }

    @AfterAll
    static void closeDevice() {
        if (backend != null) {
            backend.close();
            backend = null;
        }
    }

    @ParameterizedTest
    @EnumSource(BatchedElbo.Stepping.class)
    void shouldComputeTheLossAndGradientOfTheCpuBatchedPath(BatchedElbo.Stepping stepping) {
        ReferenceComparison.assertSameLossAndGradient(backend.kernels(), stepping);
    }

    /** Through the public API, whose sessions take the JVM path's default stepping. */
    @Test
    void shouldTrainAsTheCpuTrainerDoesStepForStep() {
        ReferenceComparison.assertTrainsAsTheCpuTrainer((model, settings, how) ->
                backend.open(LoadedModel.of(0, model), settings), LatentOdeTrainable.Options.defaults().stepping());
    }

    @Test
    void shouldTrainAsTheCpuTrainerWithRestartStepping() {
        ReferenceComparison.assertTrainsAsTheCpuTrainer((model, settings, how) ->
                new CudaSession(backend.kernels(), model, settings, how), BatchedElbo.Stepping.RESTART);
    }
}
