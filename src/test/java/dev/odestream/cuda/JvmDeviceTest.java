package dev.odestream.cuda;

import dev.odestream.model.BatchedElbo;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The CUDA backend's host code (batch plans, pointer arithmetic, the host-driven dopri5 with its dense output and
 * carried steps, the order of launches, the session's optimizer step) on {@link JvmDevice}, the JVM transcription of
 * the kernels, against the JVM reference under each stepping: what can be checked without a GPU.
 */
class JvmDeviceTest {

    @ParameterizedTest
    @EnumSource(BatchedElbo.Stepping.class)
    void shouldComputeTheLossAndGradientOfTheCpuBatchedPath(BatchedElbo.Stepping stepping) {
        try (JvmDevice device = new JvmDevice(64L << 20)) {
            ReferenceComparison.assertSameLossAndGradient(device, stepping);
        }
    }

    @ParameterizedTest
    @EnumSource(BatchedElbo.Stepping.class)
    void shouldTrainAsTheCpuTrainerDoesStepForStep(BatchedElbo.Stepping stepping) {
        try (JvmDevice device = new JvmDevice(64L << 20)) {
            ReferenceComparison.assertTrainsAsTheCpuTrainer((model, settings, how) ->
                    new CudaSession(device, model, settings, how), stepping);
        }
    }
}
