package dev.odestream.cuda;

import dev.odestream.nn.Activation;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

import static java.lang.foreign.ValueLayout.JAVA_DOUBLE_UNALIGNED;
import static java.lang.foreign.ValueLayout.JAVA_INT_UNALIGNED;

/**
 * A {@link Device} on the JVM: memory is one off-heap segment addressed like device memory, and each kernel of
 * {@code src/main/cuda/odestream.cu} is transcribed statement for statement, threads run in index order and the
 * reductions add in the same per-block trees. It lets the host side of the CUDA backend (plans, pointer arithmetic,
 * the solver's control, the order of launches) be checked against the JVM reference on a machine without a GPU; the
 * CUDA source itself is checked on a device by {@code CudaBackendTest}.
 */
final class JvmDevice implements Device, AutoCloseable {

    private static final long BASE = 4096;

    private final Arena arena = Arena.ofShared();
    private final MemorySegment memory;
    private long next = BASE;

    /** @param bytes the memory this device has */
    JvmDevice(long bytes) {
        this.memory = arena.allocate(bytes, 16);
    }

    @Override
    public long allocDoubles(long doubles) {
        long p = next;
        next += 8 * Math.max(1, doubles);
        next = (next + 15) & ~15L;
        if (next - BASE > memory.byteSize()) {
            throw new IllegalStateException("the JVM device is out of memory");
        }
        return p;
    }

    @Override
    public void free(long pointer) {
        // Bump allocation: tests are short.
    }

    @Override
    public void upload(double[] src, int from, int count, long dst) {
        for (int i = 0; i < count; i++) {
            d(dst, i, src[from + i]);
        }
    }

    @Override
    public void upload(int[] src, int from, int count, long dst) {
        for (int i = 0; i < count; i++) {
            memory.set(JAVA_INT_UNALIGNED, dst - BASE + 4L * i, src[from + i]);
        }
    }

    @Override
    public void download(long src, double[] dst, int to, int count) {
        for (int i = 0; i < count; i++) {
            dst[to + i] = d(src, i);
        }
    }

    @Override
    public void copy(long src, long dst, long doubles) {
        MemorySegment.copy(memory, src - BASE, memory, dst - BASE, 8 * doubles);
    }

    @Override
    public void zero(long dst, long doubles) {
        memory.asSlice(dst - BASE, 8 * doubles).fill((byte) 0);
    }

    @Override
    public void makeCurrent() {
    }

    @Override
    public void close() {
        arena.close();
    }

    private double d(long p, long i) {
        return memory.get(JAVA_DOUBLE_UNALIGNED, p - BASE + 8 * i);
    }

    private void d(long p, long i, double v) {
        memory.set(JAVA_DOUBLE_UNALIGNED, p - BASE + 8 * i, v);
    }

    private int in(long p, long i) {
        return memory.get(JAVA_INT_UNALIGNED, p - BASE + 4 * i);
    }

    @Override
    public void runOneBlock(String name, Object... a) {
        run(name, Kernels.THREADS, a);
    }

    @Override
    public void run(String name, long n, Object... a) {
        int threads = Kernels.blocks(n) * Kernels.THREADS;
        switch (name) {
            case "linear_forward" -> {
                int rows = i(a[5]), inW = i(a[6]), out = i(a[7]), act = i(a[8]);
                for (int id = 0; id < rows * out; id++) {
                    int r = id / out, o = id - r * out;
                    double c = d(p(a[2]), o);
                    for (int k = 0; k < inW; k++) {
                        c = Math.fma(d(p(a[0]), (long) r * inW + k), d(p(a[1]), (long) k * out + o), c);
                    }
                    d(p(a[3]), id, c);
                    d(p(a[4]), id, activate(act, c));
                }
            }
            case "activation_backward" -> {
                int count = i(a[4]), act = i(a[5]);
                for (int k = 0; k < count; k++) {
                    double x = d(p(a[0]), k), y = d(p(a[1]), k), dy = d(p(a[2]), k);
                    d(p(a[3]), k, act == 1 ? dy * (1.0 - y * y) : act == 2 ? dy * sigmoid(x) : dy);
                }
            }
            case "linear_backward_input" -> {
                int rows = i(a[3]), inW = i(a[4]), out = i(a[5]);
                for (int id = 0; id < rows * inW; id++) {
                    int r = id / inW, k = id - r * inW;
                    double s0 = 0.0, s1 = 0.0;
                    int q = 0;
                    for (; q + 1 < out; q += 2) {
                        s0 += d(p(a[0]), (long) r * out + q) * d(p(a[1]), (long) k * out + q);
                        s1 += d(p(a[0]), (long) r * out + q + 1) * d(p(a[1]), (long) k * out + q + 1);
                    }
                    if (q < out) {
                        s0 += d(p(a[0]), (long) r * out + q) * d(p(a[1]), (long) k * out + q);
                    }
                    d(p(a[2]), id, s0 + s1);
                }
            }
            case "linear_backward_params" -> {
                int rows = i(a[4]), inW = i(a[5]), out = i(a[6]);
                for (int id = 0; id < inW * out + out; id++) {
                    if (id < inW * out) {
                        int k = id / out, o = id - k * out;
                        double g = d(p(a[2]), id);
                        for (int r = 0; r < rows; r++) {
                            g += d(p(a[1]), (long) r * inW + k) * d(p(a[0]), (long) r * out + o);
                        }
                        d(p(a[2]), id, g);
                    } else {
                        int o = id - inW * out;
                        double g = d(p(a[3]), o);
                        for (int r = 0; r < rows; r++) {
                            g += d(p(a[0]), (long) r * out + o);
                        }
                        d(p(a[3]), o, g);
                    }
                }
            }
            case "gru_gates" -> gruGates(a);
            case "gru_backward_rows" -> gruBackward(a);
            case "gru_backward_finish" -> {
                int rows = i(a[4]), hidden = i(a[5]);
                for (int id = 0; id < rows * hidden; id++) {
                    if (in(p(a[2]), id / hidden) != 0) {
                        d(p(a[3]), id, d(p(a[0]), id) + d(p(a[1]), id));
                    }
                }
            }
            case "add_into" -> each(i(a[2]), k -> d(p(a[1]), k, d(p(a[1]), k) + d(p(a[0]), k)));
            case "negate_into" -> each(i(a[2]), k -> d(p(a[1]), k, -d(p(a[0]), k)));
            case "fill" -> each(i(a[1]), k -> d(p(a[0]), k, x(a[2])));
            case "divide_by" -> each(i(a[1]), k -> d(p(a[0]), k, d(p(a[0]), k) / x(a[2])));
            case "scale_by" -> each(i(a[1]), k -> d(p(a[0]), k, d(p(a[0]), k) * x(a[2])));
            case "zero_inactive" -> {
                int rows = i(a[2]), width = i(a[3]);
                each(rows * width, k -> {
                    if (in(p(a[1]), k / width) == 0) {
                        d(p(a[0]), k, 0.0);
                    }
                });
            }
            case "masked_copy" -> {
                int rows = i(a[3]), width = i(a[4]);
                each(rows * width, k -> d(p(a[1]), k, in(p(a[2]), k / width) != 0 ? d(p(a[0]), k) : 0.0));
            }
            case "softplus_rates" -> each(i(a[2]), k -> d(p(a[1]), k, softplus(d(p(a[0]), k))));
            case "intensity_vjp" -> each(i(a[3]), k -> d(p(a[2]), k, d(p(a[0]), k) * sigmoid(d(p(a[1]), k))));
            case "rk_pass" -> rkPass(a);
            case "dense_fit" -> denseFit(a);
            case "dense_evaluate" -> denseEvaluate(a);
            case "error_partials" -> errorPartials(threads, a);
            case "scaled_norm_partials" -> {
                int count = i(a[2]), controlled = i(a[3]);
                boolean scale = i(a[6]) != 0;
                double atol = x(a[4]), rtol = x(a[5]);
                double[] sq = new double[threads];
                double[] bad = new double[threads];
                for (int k = 0; k < Math.min(count, threads); k++) {
                    double v = d(p(a[0]), k), ys = d(p(a[1]), k);
                    bad[k] = nonfinite(v) + (scale ? nonfinite(ys) : 0.0);
                    if (k < controlled) {
                        double ratio = v / (atol + rtol * Math.abs(ys));
                        sq[k] = ratio * ratio;
                    }
                }
                blockSums(sq, bad, p(a[7]));
            }
            case "sum_partials" -> {
                int count = i(a[1]);
                double[] v = new double[threads];
                double[] bad = new double[threads];
                for (int k = 0; k < count; k++) {
                    v[k] = d(p(a[0]), k);
                    bad[k] = nonfinite(v[k]);
                }
                blockSums(v, bad, p(a[2]));
            }
            case "sumsq_partials" -> {
                int count = i(a[1]);
                double[] v = new double[threads];
                for (int k = 0; k < count; k++) {
                    double s = d(p(a[0]), k) / x(a[2]);
                    v[k] = s * s;
                }
                blockSums(v, new double[threads], p(a[3]));
            }
            case "max_abs_partials" -> {
                int count = i(a[1]);
                for (int b = 0; b < threads / Kernels.THREADS; b++) {
                    double m = 0.0;
                    for (int t = 0; t < Kernels.THREADS; t++) {
                        int k = b * Kernels.THREADS + t;
                        double v = k < count ? Math.abs(d(p(a[0]), k)) : 0.0;
                        m = Math.max(m, Double.isFinite(v) ? v : Double.POSITIVE_INFINITY);
                    }
                    d(p(a[2]), b, m);
                }
            }
            case "finish_sums" -> finishSums(a);
            case "finish_max" -> {
                double m = 0.0;
                for (int k = 0; k < i(a[1]); k++) {
                    m = Math.max(m, d(p(a[0]), k));
                }
                d(p(a[2]), 0, m);
            }
            case "initial_state" -> {
                int rows = i(a[3]), latent = i(a[4]), types = i(a[5]);
                for (int id = 0; id < rows * (latent + types); id++) {
                    if (id < rows * latent) {
                        int b = id / latent, l = id - b * latent;
                        long m = (long) b * 2 * latent;
                        d(p(a[2]), id, d(p(a[0]), m + l) + Math.exp(0.5 * d(p(a[0]), m + latent + l)) * d(p(a[1]), id));
                    } else {
                        d(p(a[2]), id, 0.0);
                    }
                }
            }
            case "target_terms" -> targetTerms(a);
            case "event_terms" -> {
                int first = i(a[3]), count = i(a[4]), types = i(a[5]);
                for (int q = 0; q < count; q++) {
                    int e = first + q;
                    long k = (long) in(p(a[1]), e) * types + in(p(a[2]), e);
                    double pre = d(p(a[0]), k);
                    double rate = softplus(pre);
                    d(p(a[8]), e, rate > 0 ? Math.log(rate) : x(a[6]));
                    d(p(a[7]), k, d(p(a[7]), k) + (rate > 0 ? -sigmoid(pre) / rate : 0.0));
                }
            }
            case "kl_terms" -> {
                int rows = i(a[2]), latent = i(a[3]);
                for (int b = 0; b < rows; b++) {
                    long m = (long) b * 2 * latent;
                    double sum = 0.0;
                    for (int l = 0; l < latent; l++) {
                        double mu = d(p(a[0]), m + l), logVar = d(p(a[0]), m + latent + l);
                        sum += mu * mu + Math.exp(logVar) - 1.0 - logVar;
                    }
                    d(p(a[1]), b, 0.5 * sum);
                }
            }
            case "posterior_grad" -> {
                double beta = x(a[3]);
                int rows = i(a[5]), latent = i(a[6]);
                for (int id = 0; id < rows * latent; id++) {
                    int b = id / latent, l = id - b * latent;
                    long m = (long) b * 2 * latent;
                    double logVar = d(p(a[1]), m + latent + l), da = d(p(a[0]), id);
                    d(p(a[4]), m + l, da + beta * d(p(a[1]), m + l));
                    d(p(a[4]), m + latent + l, da * d(p(a[2]), id) * 0.5 * Math.exp(0.5 * logVar)
                            + beta * 0.5 * (Math.exp(logVar) - 1.0));
                }
            }
            case "adam_update" -> {
                double lr = x(a[5]), b1 = x(a[6]), b2 = x(a[7]), c1 = x(a[8]), c2 = x(a[9]), eps = x(a[10]);
                double decay = x(a[11]);
                for (int k = 0; k < i(a[4]); k++) {
                    double g = d(p(a[1]), k);
                    double m = b1 * d(p(a[2]), k) + (1.0 - b1) * g;
                    double v = b2 * d(p(a[3]), k) + (1.0 - b2) * g * g;
                    d(p(a[2]), k, m);
                    d(p(a[3]), k, v);
                    double value = d(p(a[0]), k);
                    d(p(a[0]), k, value - (lr * (m * c1) / (Math.sqrt(v * c2) + eps) + decay * value));
                }
            }
            default -> throw new IllegalArgumentException("the JVM device has no kernel " + name);
        }
    }

    private void gruGates(Object[] a) {
        int rows = i(a[7]), hidden = i(a[8]);
        long mask = p(a[3]);
        for (int id = 0; id < rows * hidden; id++) {
            int row = id / hidden, j = id - row * hidden;
            long g = (long) row * 3 * hidden;
            double rj = 0.5 + 0.5 * Activation.TANH.value(0.5 * (d(p(a[0]), g + j) + d(p(a[1]), g + j)));
            double zj = 0.5 + 0.5 * Activation.TANH.value(0.5 * (d(p(a[0]), g + hidden + j)
                    + d(p(a[1]), g + hidden + j)));
            double nj = Activation.TANH.value(d(p(a[0]), g + 2 * hidden + j) + rj * d(p(a[1]), g + 2 * hidden + j));
            d(p(a[4]), id, rj);
            d(p(a[5]), id, zj);
            d(p(a[6]), id, nj);
            double hNew = (1.0 - zj) * nj + zj * d(p(a[2]), id);
            if (mask == 0 || in(mask, row) != 0) {
                d(p(a[2]), id, hNew);
            }
        }
    }

    private void gruBackward(Object[] a) {
        int rows = i(a[10]), hidden = i(a[11]);
        for (int id = 0; id < rows * hidden; id++) {
            int row = id / hidden, j = id - row * hidden;
            long g = (long) row * 3 * hidden;
            double dh = in(p(a[1]), row) != 0 ? d(p(a[0]), id) : 0.0;
            double rj = d(p(a[2]), id), zj = d(p(a[3]), id), nj = d(p(a[4]), id);
            double dnPre = dh * (1.0 - zj) * (1.0 - nj * nj);
            double dzPre = dh * (d(p(a[6]), id) - nj) * zj * (1.0 - zj);
            double drPre = dnPre * d(p(a[5]), g + 2 * hidden + j) * rj * (1.0 - rj);
            d(p(a[7]), g + j, drPre);
            d(p(a[8]), g + j, drPre);
            d(p(a[7]), g + hidden + j, dzPre);
            d(p(a[8]), g + hidden + j, dzPre);
            d(p(a[7]), g + 2 * hidden + j, dnPre);
            d(p(a[8]), g + 2 * hidden + j, dnPre * rj);
            d(p(a[9]), id, dh * zj);
        }
    }

    private void rkPass(Object[] a) {
        int count = i(a[2]), terms = i(a[3]);
        for (int k = 0; k < count; k++) {
            double v = d(p(a[0]), k);
            for (int t = 0; t < terms; t++) {
                v = v + x(a[4 + 2 * t]) * d(p(a[5 + 2 * t]), k);
            }
            d(p(a[1]), k, v);
        }
    }

    private void denseFit(Object[] a) {
        int count = i(a[1]);
        for (int k = 0; k < count; k++) {
            double v = 0.0;
            for (int s = 0; s < 7; s++) {
                double w = x(a[2 + 2 * s]);
                if (w != 0.0) {
                    v = v + w * d(p(a[3 + 2 * s]), k);
                }
            }
            d(p(a[0]), k, v);
        }
    }

    private void denseEvaluate(Object[] a) {
        int count = i(a[2]), degree = i(a[3]);
        double theta = x(a[4]);
        for (int k = 0; k < count; k++) {
            double acc = 0.0;
            for (int q = degree; q >= 1; q--) {
                acc = (acc + d(p(a[1]), (long) (q - 1) * count + k)) * theta;
            }
            d(p(a[5]), k, d(p(a[0]), k) + acc);
        }
    }

    private void errorPartials(int threads, Object[] a) {
        int count = i(a[9]), controlled = i(a[10]);
        double h = x(a[11]), atol = x(a[12]), rtol = x(a[13]);
        double[] sq = new double[threads];
        double[] bad = new double[threads];
        for (int k = 0; k < count; k++) {
            bad[k] = nonfinite(d(p(a[8]), k));
            if (k < controlled) {
                double err = 0.0 + x(a[14]) * d(p(a[0]), k) + x(a[15]) * d(p(a[1]), k) + x(a[16]) * d(p(a[2]), k)
                        + x(a[17]) * d(p(a[3]), k);
                err = err + x(a[18]) * d(p(a[4]), k) + x(a[19]) * d(p(a[5]), k) + x(a[20]) * d(p(a[6]), k);
                double scale = atol + rtol * Math.max(Math.abs(d(p(a[7]), k)), Math.abs(d(p(a[8]), k)));
                double ratio = h * err / scale;
                sq[k] = ratio * ratio;
            }
        }
        blockSums(sq, bad, p(a[21]));
    }

    private void targetTerms(Object[] a) {
        int first = i(a[4]), count = i(a[5]), dim = i(a[6]);
        double sigma = x(a[7]), constant = x(a[8]);
        for (int q = 0; q < count; q++) {
            int e = first + q;
            int b = in(p(a[1]), e);
            double l = 0.0, s = 0.0, c = 0.0;
            for (int k = 0; k < dim; k++) {
                if (in(p(a[3]), (long) e * dim + k) != 0) {
                    double err = d(p(a[0]), (long) b * dim + k) - d(p(a[2]), (long) e * dim + k);
                    double r = err / sigma;
                    l += constant - 0.5 * r * r;
                    s += err * err;
                    c += 1.0;
                    d(p(a[9]), (long) b * dim + k, d(p(a[9]), (long) b * dim + k) + err / (sigma * sigma));
                }
            }
            d(p(a[10]), e, l);
            d(p(a[11]), e, s);
            d(p(a[12]), e, c);
        }
    }

    /** The per-block shared-memory trees of {@code block_sums}. */
    private void blockSums(double[] x, double[] y, long partials) {
        for (int b = 0; b < x.length / Kernels.THREADS; b++) {
            int o = b * Kernels.THREADS;
            for (int s = Kernels.THREADS / 2; s > 0; s >>= 1) {
                for (int t = 0; t < s; t++) {
                    x[o + t] += x[o + t + s];
                    y[o + t] += y[o + t + s];
                }
            }
            d(partials, 2L * b, x[o]);
            d(partials, 2L * b + 1, y[o]);
        }
    }

    private void finishSums(Object[] a) {
        int blocks = i(a[1]);
        double[] x = new double[Kernels.THREADS];
        double[] y = new double[Kernels.THREADS];
        for (int t = 0; t < Kernels.THREADS; t++) {
            for (int k = t; k < blocks; k += Kernels.THREADS) {
                x[t] += d(p(a[0]), 2L * k);
                y[t] += d(p(a[0]), 2L * k + 1);
            }
        }
        long scratch = allocDoubles(2);
        blockSums(x, y, scratch);
        d(p(a[2]), 0, d(scratch, 0));
        d(p(a[2]), 1, d(scratch, 1));
    }

    private static void each(int n, java.util.function.IntConsumer body) {
        for (int k = 0; k < n; k++) {
            body.accept(k);
        }
    }

    private static double activate(int act, double x) {
        return act == 1 ? Activation.TANH.value(x) : act == 2 ? softplus(x) : x;
    }

    private static double softplus(double x) {
        return Activation.SOFTPLUS.value(x);
    }

    private static double sigmoid(double x) {
        return Activation.SIGMOID.value(x);
    }

    private static double nonfinite(double v) {
        return Double.isFinite(v) ? 0.0 : 1.0;
    }

    private static long p(Object o) {
        return (Long) o;
    }

    private static int i(Object o) {
        return (Integer) o;
    }

    private static double x(Object o) {
        return (Double) o;
    }
}
