package dev.odestream.cuda;

/**
 * Sums and norms of device vectors, read back as one scalar: per-block partial results, then one block that adds
 * them. Not thread-safe.
 */
final class Reducer {

    private final Device kernels;
    private final Device driver;
    private final DeviceMemory.Growable partials;
    private final long result;
    private final double[] readBack = new double[2];

    Reducer(Device kernels, DeviceMemory memory) {
        this.kernels = kernels;
        this.driver = kernels;
        this.partials = memory.growable();
        this.result = memory.doubles(2);
    }

    /** @return the sum of {@code n} doubles from {@code v}; 0 when {@code n} is 0 */
    double sum(long v, long n) {
        if (n == 0) {
            return 0.0;
        }
        int blocks = Kernels.blocks(n);
        long p = partials.ensure(2L * blocks);
        kernels.run("sum_partials", n, v, (int) n, p);
        kernels.runOneBlock("finish_sums", p, blocks, result);
        driver.download(result, readBack, 0, 2);
        return readBack[0];
    }

    /**
     * The Euclidean norm as {@link dev.odestream.nn.GradientClipping#globalNorm} computes it: scaled by the largest
     * magnitude first; that magnitude itself when it is 0 or not finite.
     */
    double globalNorm(long v, int n) {
        int blocks = Kernels.blocks(n);
        long p = partials.ensure(2L * blocks);
        kernels.run("max_abs_partials", n, v, n, p);
        kernels.runOneBlock("finish_max", p, blocks, result);
        driver.download(result, readBack, 0, 1);
        double largest = readBack[0];
        if (largest == 0.0 || !Double.isFinite(largest)) {
            return largest;
        }
        kernels.run("sumsq_partials", n, v, n, largest, p);
        kernels.runOneBlock("finish_sums", p, blocks, result);
        driver.download(result, readBack, 0, 1);
        return largest * Math.sqrt(readBack[0]);
    }
}
