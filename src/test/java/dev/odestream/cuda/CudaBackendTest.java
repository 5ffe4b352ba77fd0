package dev.odestream.cuda;

import dev.odestream.stream.LoadedModel;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The GPU against the JVM reference, {@code BatchedLatentTrainable} over one shard: the loss and gradient of random
 * models on random batches, and a training round through the backend's public API, to 1e-9 relative. Skipped, with
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

    @Test
    void shouldComputeTheLossAndGradientOfTheCpuBatchedPath() {
        ReferenceComparison.assertSameLossAndGradient(backend.kernels());
    }

    @Test
    void shouldTrainAsTheCpuTrainerDoesStepForStep() {
        ReferenceComparison.assertTrainsAsTheCpuTrainer((model, settings) ->
                backend.open(LoadedModel.of(0, model), settings));
    }
}
