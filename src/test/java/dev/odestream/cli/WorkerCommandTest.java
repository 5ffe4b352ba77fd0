package dev.odestream.cli;

import dev.odestream.cuda.CudaDriver;
import dev.odestream.model.ModelConfig;
import dev.odestream.train.TrainingBackend;
import dev.odestream.worker.TrainingBackends;
import dev.odestream.worker.WorkerConfig;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class WorkerCommandTest {

    private static String run(int expectedStatus, String... args) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        int status = WorkerCommand.run(args, new PrintStream(bytes, true, StandardCharsets.UTF_8));
        String out = bytes.toString(StandardCharsets.UTF_8);
        assertEquals(expectedStatus, status, out);
        return out;
    }

    @Test
    void shouldRefuseToStartWithTheCudaBackendAndSayWhyWhenThereIsNoDevice() throws Exception {
        CudaDriver.Probe probe = CudaDriver.probe();
        Assumptions.assumeFalse(probe.available(), "a CUDA device is present: " + probe.reason());
        String out = run(1, "--backend", "cuda");
        assertTrue(out.contains("no CUDA device") && out.contains(probe.reason()) && out.contains("--backend cpu"),
                out);
    }

    @Test
    void shouldPickTheGpuForAutoWhenThereIsOneAndElseTheCpuAndSaySo() {
        CudaDriver.Probe probe = CudaDriver.probe();
        List<String> log = new ArrayList<>();
        try (TrainingBackend backend = TrainingBackends.select("auto", 1, log::add)) {
            assertEquals(probe.available() ? "cuda" : "cpu", backend.name());
        }
        assertTrue(log.getFirst().contains(probe.reason()), log.toString());
        assertThrows(IllegalArgumentException.class, () -> TrainingBackends.select("tpu", 1, log::add));
    }

    @Test
    void shouldNameABadOptionOrValue() throws Exception {
        assertTrue(run(2, "--bogus").contains("unknown option --bogus"));
        assertTrue(run(1, "--iterations", "many").contains("bad value for --iterations"));
        assertTrue(run(0, "--help").contains("--backend auto|cpu|cuda"));
    }

    @Test
    void shouldBuildTheConfigurationFromTheOptions() throws Exception {
        WorkerConfig c = WorkerCommand.config(WorkerCommand.parse("--train-every", "90s", "--train-every-events",
                "0", "--drift-threshold", "0.25", "--max-series", "7", "--max-events-per-series", "30",
                "--iterations", "11", "--threads", "3", "--model-name", "m", "--backend", "cpu"));
        assertEquals(Duration.ofSeconds(90), c.triggers().every());
        assertEquals(0, c.triggers().everyEvents());
        assertEquals(0.25, c.triggers().driftThreshold());
        assertEquals(new WorkerConfig.BufferSettings(7, 30, 16, 8), c.buffer());
        assertEquals(11, c.training().iterations());
        assertEquals(3, c.training().threads());
        assertEquals("m", c.modelName());
        assertEquals(ModelConfig.reference(), c.initialModel().config());
        assertThrows(IllegalArgumentException.class, () -> WorkerCommand.config(WorkerCommand.parse(
                "--max-events-per-series", "5")), "a window needs 24 events");
    }
}
