package dev.odestream.cuda;

/**
 * What the device-side training code needs of a device: memory addressed by {@code long} pointers (byte addresses,
 * so {@code p + 8 k} is double {@code k} and {@code p + 4 k} int {@code k}), copies both ways, and one-dimensional
 * launches of the kernels of {@code src/main/cuda/odestream.cu} by name, in order. {@link Kernels} is the GPU; the
 * tests also run the same host code on a JVM transcription of the kernels, which checks the orchestration on
 * machines without a GPU. Not thread-safe.
 */
interface Device {

    /** @return an allocation of {@code doubles} eight-byte slots (at least one), not initialised */
    long allocDoubles(long doubles);

    /** Frees an allocation; 0 is ignored. */
    void free(long pointer);

    /** Copies {@code count} doubles of {@code src} from {@code from} to {@code dst}. */
    void upload(double[] src, int from, int count, long dst);

    /** Copies {@code count} ints of {@code src} from {@code from} to {@code dst}. */
    void upload(int[] src, int from, int count, long dst);

    /** Copies {@code count} doubles from {@code src} into {@code dst} at {@code to}, after every earlier launch. */
    void download(long src, double[] dst, int to, int count);

    /** Copies {@code doubles} doubles on the device. */
    void copy(long src, long dst, long doubles);

    /** Sets {@code doubles} doubles to +0.0. */
    void zero(long dst, long doubles);

    /** Launches kernel {@code name} over at least {@code n} threads. */
    void run(String name, long n, Object... args);

    /** Launches kernel {@code name} as one block of {@link Kernels#THREADS} threads. */
    void runOneBlock(String name, Object... args);

    /** Makes the device usable from the calling thread. */
    void makeCurrent();
}
