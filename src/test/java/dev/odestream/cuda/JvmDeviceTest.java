package dev.odestream.cuda;

import org.junit.jupiter.api.Test;

/**
 * The CUDA backend's host code (batch plans, pointer arithmetic, the host-driven dopri5, the order of launches, the
 * session's optimizer step) on {@link JvmDevice}, the JVM transcription of the kernels, against the JVM reference:
 * what can be checked without a GPU.
 */
class JvmDeviceTest {

    @Test
    void shouldComputeTheLossAndGradientOfTheCpuBatchedPath() {
        try (JvmDevice device = new JvmDevice(64L << 20)) {
            ReferenceComparison.assertSameLossAndGradient(device);
        }
    }

    @Test
    void shouldTrainAsTheCpuTrainerDoesStepForStep() {
        try (JvmDevice device = new JvmDevice(64L << 20)) {
            ReferenceComparison.assertTrainsAsTheCpuTrainer((model, settings) ->
                    new CudaSession(device, model, settings));
        }
    }
}
