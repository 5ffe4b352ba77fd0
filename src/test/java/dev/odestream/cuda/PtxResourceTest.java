package dev.odestream.cuda;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class PtxResourceTest {

    private static final Path SOURCE = Path.of("src/main/cuda/odestream.cu");

    @Test
    void shouldShipPtxAtIsaNineOrLowerWithEveryKernelTheBackendLaunches() {
        String ptx = Kernels.ptx();
        String version = ptx.lines().filter(l -> l.startsWith(".version")).findFirst().orElseThrow();
        String[] parts = version.substring(".version".length()).trim().split("\\.");
        int major = Integer.parseInt(parts[0]);
        int minor = Integer.parseInt(parts[1]);
        assertTrue(major < 9 || (major == 9 && minor == 0), "PTX " + version + " is newer than driver 580 accepts");
        for (String name : Kernels.NAMES) {
            assertTrue(ptx.contains(".entry " + name + "("), "the PTX lacks kernel " + name);
        }
    }

    @Test
    void shouldMatchThePtxThatNvccGeneratesFromTheSource() throws Exception {
        assumeTrue(nvccPresent(), "nvcc is not on the PATH; the committed PTX cannot be regenerated here");
        Path out = Files.createTempFile("odestream", ".ptx");
        try {
            Process p = new ProcessBuilder("nvcc", "-ptx", "-arch=compute_90", "-fmad=false", "-o", out.toString(),
                    SOURCE.toString()).redirectErrorStream(true).start();
            String log = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(p.waitFor(120, TimeUnit.SECONDS), "nvcc did not finish");
            assertEquals(0, p.exitValue(), "nvcc failed: " + log);
            assertEquals(withoutBuildStamp(Files.readString(out)), withoutBuildStamp(Kernels.ptx()),
                    "src/main/resources/cuda/odestream.ptx is stale; regenerate it (see its README.md)");
        } finally {
            Files.deleteIfExists(out);
        }
    }

    /** The header comment names the compiler build, which may differ between nvcc 13.0 installs. */
    private static List<String> withoutBuildStamp(String ptx) {
        return ptx.lines().filter(l -> !l.startsWith("//")).toList();
    }

    private static boolean nvccPresent() {
        try {
            Process p = new ProcessBuilder("nvcc", "--version").redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
