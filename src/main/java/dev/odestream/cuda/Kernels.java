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
 * The GPU as a {@link Device}: the committed PTX module ({@code /cuda/odestream.ptx}, from
 * {@code src/main/cuda/odestream.cu}) loaded on one device, its functions looked up once, one-dimensional launches
 * in blocks of {@link #THREADS} on the default stream, and the driver's memory calls.
 */
final class Kernels implements Device {

    /** Threads per block; the reduction kernels' shared arrays are sized for it. */
    static final int THREADS = 256;

    /** Every kernel the backend launches. */
    static final List<String> NAMES = List.of("linear_forward", "activation_backward", "linear_backward_input",
            "linear_backward_params", "gru_gates", "gru_backward_rows", "gru_backward_finish", "add_into",
            "negate_into", "fill", "divide_by", "scale_by", "zero_inactive", "masked_copy", "softplus_rates", "intensity_vjp",
            "rk_pass", "dense_fit", "dense_evaluate", "error_partials", "scaled_norm_partials", "sum_partials", "max_abs_partials", "sumsq_partials",
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

    @Override
    public void run(String name, long n, Object... args) {
        driver.launch(name, functions.get(name), blocks(n), THREADS, args);
    }

    @Override
    public void runOneBlock(String name, Object... args) {
        driver.launch(name, functions.get(name), 1, THREADS, args);
    }

    @Override
    public long allocDoubles(long doubles) {
        return driver.allocDoubles(doubles);
    }

    @Override
    public void free(long pointer) {
        driver.free(pointer);
    }

    @Override
    public void upload(double[] src, int from, int count, long dst) {
        driver.upload(src, from, count, dst);
    }

    @Override
    public void upload(int[] src, int from, int count, long dst) {
        driver.upload(src, from, count, dst);
    }

    @Override
    public void download(long src, double[] dst, int to, int count) {
        driver.download(src, dst, to, count);
    }

    @Override
    public void copy(long src, long dst, long doubles) {
        driver.copy(src, dst, doubles);
    }

    @Override
    public void zero(long dst, long doubles) {
        driver.zero(dst, doubles);
    }

    @Override
    public void makeCurrent() {
        driver.makeCurrent();
    }

    static int blocks(long n) {
        return (int) Math.max(1, (n + THREADS - 1) / THREADS);
    }
}
