package dev.odestream.cuda;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CudaDriverTest {

    @Test
    void shouldSayTheDriverLibraryIsMissingWhenThisMachineHasNone() throws Exception {
        boolean libraryHere = driverLibraryInstalled();
        CudaDriver.Probe probe = CudaDriver.probe();
        if (libraryHere) {
            assertFalse(probe.reason().contains("not found"), probe.reason());
        } else {
            assertFalse(probe.available());
            assertTrue(probe.reason().contains(CudaDriver.LIBRARY + " not found"), probe.reason());
            assertEquals("", probe.deviceName());
        }
    }

    @Test
    void shouldRefuseToOpenADeviceWithAMessageNamingTheCauseWhenNoneIsUsable() {
        CudaDriver.Probe probe = CudaDriver.probe();
        if (probe.available()) {
            try (CudaDriver driver = CudaDriver.open(0)) {
                assertFalse(driver.deviceName().isBlank());
            }
        } else {
            CudaException e = assertThrows(CudaException.class, () -> CudaDriver.open(0).close());
            assertTrue(e.getMessage().contains(CudaDriver.LIBRARY) || e.getMessage().contains("failed"),
                    e.getMessage());
        }
    }

    /** Where the dynamic loader would find the driver on Linux, independently of the probe's own lookup. */
    private static boolean driverLibraryInstalled() throws Exception {
        for (String dir : new String[] {"/usr/lib/x86_64-linux-gnu", "/usr/lib64", "/usr/lib", "/lib/x86_64-linux-gnu",
                "/usr/local/cuda/compat", "/usr/lib/aarch64-linux-gnu"}) {
            if (Files.exists(Path.of(dir, CudaDriver.LIBRARY))) {
                return true;
            }
        }
        String ldPath = System.getenv().getOrDefault("LD_LIBRARY_PATH", "");
        try (Stream<String> dirs = Stream.of(ldPath.split(":"))) {
            return dirs.filter(d -> !d.isBlank()).anyMatch(d -> Files.exists(Path.of(d, CudaDriver.LIBRARY)));
        }
    }
}
