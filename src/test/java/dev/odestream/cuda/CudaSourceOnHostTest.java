package dev.odestream.cuda;

import dev.odestream.model.BatchedElbo;
import dev.odestream.model.LatentOdeModel;
import dev.odestream.model.ModelConfig;
import dev.odestream.model.checkpoint.LoadedModel;
import dev.odestream.nn.Activation;
import dev.odestream.train.LatentOdeTrainable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The kernels of {@code src/main/cuda/odestream.cu}, compiled for the host by g++ (CUDA keywords defined away,
 * threads run in order or as fibers where they synchronise), driving the whole device path against the JVM
 * reference: on a machine without a GPU this checks the CUDA source's arithmetic and indexing and the launch
 * arguments' packing. Skipped where g++ is missing; the GPU itself is {@link CudaBackendTest}'s.
 */
class CudaSourceOnHostTest {

    private static final String NO_GXX = "g++ is not on the PATH; the CUDA source cannot be run on the host";

    private static Path dir;
    private static Path library;
    private static Path driver;

    @BeforeAll
    static void compile() throws Exception {
        dir = Files.createTempDirectory("odestream-host-kernels");
        library = build(dir.resolve("libodestream_host.so"));
        driver = library == null ? null : build(dir.resolve("libcuda.so.1"), "-DODESTREAM_FAKE_DRIVER");
    }

    /** @return the library, or null when g++ is missing */
    private static Path build(Path out, String... defines) throws Exception {
        java.util.List<String> command = new java.util.ArrayList<>(java.util.List.of("g++", "-std=c++20", "-O1",
                "-ffp-contract=off", "-fPIC", "-shared", "-I", "src/main/cuda", "-o", out.toString()));
        command.addAll(java.util.List.of(defines));
        command.add("src/test/cuda/host_launch.cpp");
        Process p;
        try {
            p = new ProcessBuilder(command).redirectErrorStream(true).start();
        } catch (IOException e) {
            return null;
        }
        String log = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "g++ did not finish");
        assertEquals(0, p.exitValue(), "g++ failed on the CUDA source: " + log);
        return out;
    }

    @AfterAll
    static void clean() throws IOException {
        if (dir != null) {
            try (Stream<Path> files = Files.walk(dir)) {
                for (Path f : files.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(f);
                }
            }
        }
    }

    @ParameterizedTest
    @EnumSource(BatchedElbo.Stepping.class)
    void shouldComputeTheLossAndGradientOfTheCpuBatchedPath(BatchedElbo.Stepping stepping) {
        assumeTrue(library != null, NO_GXX);
        try (HostCompiledDevice device = new HostCompiledDevice(library, 64L << 20)) {
            ReferenceComparison.assertSameLossAndGradient(device, stepping);
        }
    }

    @ParameterizedTest
    @EnumSource(BatchedElbo.Stepping.class)
    void shouldTrainAsTheCpuTrainerDoesStepForStep(BatchedElbo.Stepping stepping) {
        assumeTrue(library != null, NO_GXX);
        try (HostCompiledDevice device = new HostCompiledDevice(library, 64L << 20)) {
            ReferenceComparison.assertTrainsAsTheCpuTrainer((model, settings, how) ->
                    new CudaSession(device, model, settings, how), stepping);
        }
    }

    /** The backend's sessions take the JVM path's default stepping; the restart stepping runs on its kernels. */
    @Test
    void shouldTrainThroughTheDriverBindingsAgainstAStandInDriver() {
        assumeTrue(driver != null, NO_GXX);
        CudaDriver.Probe probe = CudaDriver.probe(driver.toString());
        assertTrue(probe.available(), probe.reason());
        assertEquals("host stand-in", probe.deviceName());
        try (CudaBackend backend = CudaBackend.open(driver.toString(), 1)) {
            assertEquals("host stand-in", backend.deviceName());
            dev.odestream.model.ModelConfig config = new dev.odestream.model.ModelConfig(2, 2, 3, 5, 4, 6, 5,
                    dev.odestream.nn.Activation.SOFTPLUS, 0.3, 1, 1e-5, 1e-6)
                    .withDynamics(dev.odestream.nn.DynamicsKind.MLP, dev.odestream.model.ModelConfig.NO_GAP_LIMIT);
            ReferenceComparison.assertSameLossAndGradient(backend.kernels(), config,
                    ReferenceComparison.perturbed(new dev.odestream.model.LatentOdeModel(config, 5L), 6L),
                    TestWindows.random(config, 9, 7L), 8L, 2, BatchedElbo.Stepping.CONTINUOUS);
            ReferenceComparison.assertTrainsAsTheCpuTrainer((model, settings, how) ->
                    backend.open(dev.odestream.model.checkpoint.LoadedModel.of(0, model), settings),
                    LatentOdeTrainable.Options.defaults().stepping());
            ReferenceComparison.assertTrainsAsTheCpuTrainer((model, settings, how) ->
                    new CudaSession(backend.kernels(), model, settings, how), BatchedElbo.Stepping.RESTART);
        }
    }

    /** The kernels implement the old MLP dynamics only: a bounded model is refused, and a fallback trains it. */
    @Test
    void shouldRefuseABoundedModelWithItsReasonAndLeaveItToTheCpu() {
        assumeTrue(driver != null, NO_GXX);
        dev.odestream.model.ModelConfig bounded = new dev.odestream.model.ModelConfig(2, 2, 3, 5, 4, 6, 5,
                dev.odestream.nn.Activation.TANH, 0.3, 1, 1e-5, 1e-6);
        dev.odestream.model.checkpoint.LoadedModel start = dev.odestream.model.checkpoint.LoadedModel.initial(bounded,
                3L);
        dev.odestream.train.TrainingSettings settings = new dev.odestream.train.TrainingSettings(2, 3, 0.01, 10.0, 1,
                3, 5L);
        java.util.List<String> log = new java.util.ArrayList<>();
        try (CudaBackend backend = CudaBackend.open(driver.toString(), 1);
             dev.odestream.train.FallbackBackend fallback = new dev.odestream.train.FallbackBackend(backend,
                     new dev.odestream.train.CpuBackend(1), log::add)) {
            String reason = backend.refusal(bounded).orElseThrow();
            assertTrue(reason.contains("bounded"), reason);
            IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(
                    IllegalArgumentException.class, () -> backend.open(start, settings));
            assertEquals(reason, e.getMessage());
            try (dev.odestream.train.TrainingBackend.Session session = fallback.open(start, settings)) {
                assertEquals(2, session.train(TestWindows.random(bounded, 6, 7L)).steps());
            }
            assertEquals("cpu", fallback.name());
            assertEquals(1, log.size());
            assertTrue(log.get(0).contains(reason), log.get(0));
        }
    }

    @Test
    void shouldNameTheFailingCallAndTheDriversErrorName() {
        assumeTrue(driver != null, NO_GXX);
        CudaException e = org.junit.jupiter.api.Assertions.assertThrows(CudaException.class,
                () -> CudaDriver.open(driver.toString(), 1).close());
        assertEquals("cuDeviceGet failed: CUDA_ERROR_INVALID_VALUE (1)", e.getMessage());
    }
}
