package dev.odestream.cuda;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The committed PTX module ({@code /cuda/odestream.ptx}, from {@code src/main/cuda/odestream.cu}) loaded on one
 * device, with its functions looked up once, and one-dimensional launches over {@code n} threads.
 */
final class Kernels {

    /** Threads per block; the reduction kernels' shared arrays are sized for it. */
    static final int THREADS = 256;

    /** Every kernel the backend launches. */
    static final List<String> NAMES = List.of("linear_forward", "activation_backward", "linear_backward_input",
            "linear_backward_params", "gru_gates", "gru_backward_rows", "gru_backward_finish", "add_into",
            "negate_into", "fill", "divide_by", "scale_by", "zero_inactive", "masked_copy", "softplus_rates", "intensity_vjp",
            "rk_pass", "error_partials", "scaled_norm_partials", "sum_partials", "max_abs_partials", "sumsq_partials",
            "finish_sums", "finish_max", "initial_state", "target_terms", "event_terms", "kl_terms", "posterior_grad",
            "adam_update");

    private final CudaDriver driver;
    private final Map<String, MemorySegment> functions = new HashMap<>();

    Kernels(CudaDriver driver) {
        this.driver = driver;
        MemorySegment module = driver.loadModule(ptx());
        for (String name : NAMES) {
            functions.put(name, driver.function(module, name));
        }
    }

    /** @return the PTX text shipped as a resource */
    static String ptx() {
        try (InputStream in = Kernels.class.getResourceAsStream("/cuda/odestream.ptx")) {
            if (in == null) {
                throw new IllegalStateException("resource /cuda/odestream.ptx is missing from the build");
            }
            return new String(in.readAllBytes(), StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Launches {@code name} over at least {@code n} threads, in blocks of {@link #THREADS}. */
    void run(String name, long n, Object... args) {
        driver.launch(name, functions.get(name), blocks(n), THREADS, args);
    }

    /** Launches {@code name} as one block of {@link #THREADS}. */
    void runOneBlock(String name, Object... args) {
        driver.launch(name, functions.get(name), 1, THREADS, args);
    }

    static int blocks(long n) {
        return (int) Math.max(1, (n + THREADS - 1) / THREADS);
    }

    CudaDriver driver() {
        return driver;
    }
}
