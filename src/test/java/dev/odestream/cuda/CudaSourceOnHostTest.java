package dev.odestream.cuda;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

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

    private static Path dir;
    private static Path library;

    @BeforeAll
    static void compile() throws Exception {
        dir = Files.createTempDirectory("odestream-host-kernels");
        library = dir.resolve("libodestream_host.so");
        Process p;
        try {
            p = new ProcessBuilder("g++", "-std=c++20", "-O1", "-ffp-contract=off", "-fPIC", "-shared",
                    "-I", "src/main/cuda", "-o", library.toString(), "src/test/cuda/host_launch.cpp")
                    .redirectErrorStream(true).start();
        } catch (IOException e) {
            library = null;
            return;
        }
        String log = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "g++ did not finish");
        assertEquals(0, p.exitValue(), "g++ failed on the CUDA source: " + log);
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

    @Test
    void shouldComputeTheLossAndGradientOfTheCpuBatchedPath() {
        assumeTrue(library != null, "g++ is not on the PATH; the CUDA source cannot be run on the host");
        try (HostCompiledDevice device = new HostCompiledDevice(library, 64L << 20)) {
            ReferenceComparison.assertSameLossAndGradient(device);
        }
    }

    @Test
    void shouldTrainAsTheCpuTrainerDoesStepForStep() {
        assumeTrue(library != null, "g++ is not on the PATH; the CUDA source cannot be run on the host");
        try (HostCompiledDevice device = new HostCompiledDevice(library, 64L << 20)) {
            ReferenceComparison.assertTrainsAsTheCpuTrainer((model, settings) ->
                    new CudaSession(device, model, settings));
        }
    }
}
