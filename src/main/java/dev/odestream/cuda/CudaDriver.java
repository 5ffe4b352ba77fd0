package dev.odestream.cuda;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.nio.file.Path;
import java.util.Optional;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_DOUBLE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * The CUDA driver API ({@code libcuda.so.1}) through the Foreign Function &amp; Memory API: the few calls a training
 * backend needs, each checked, so that a failing call becomes a {@link CudaException} naming the call and the error
 * ({@code cuGetErrorName}). No CUDA toolkit is needed at run time, only the driver; kernels come as PTX, which the
 * driver compiles for the device it finds.
 *
 * <p>Device pointers are {@code long}s ({@code CUdeviceptr} is 64 bits). One instance binds one device's primary
 * context and makes it current on the calling thread; calls from another thread first call {@link #makeCurrent()}.
 * Host-device copies go through one pinned-free staging segment that grows to the largest copy; kernel launches
 * reuse one argument block, so a launch allocates nothing. Not thread-safe.
 */
public final class CudaDriver implements AutoCloseable {

    /** The driver library's soname, as the NVIDIA driver installs it. */
    public static final String LIBRARY = "libcuda.so.1";
    /** The most kernel arguments a launch takes. */
    static final int MAX_ARGS = 32;

    private static final Linker LINKER = Linker.nativeLinker();
    private static final FunctionDescriptor INT_INT = FunctionDescriptor.of(JAVA_INT, JAVA_INT);
    private static final FunctionDescriptor INT_ADDR = FunctionDescriptor.of(JAVA_INT, ADDRESS);

    /**
     * What {@link #probe()} found.
     *
     * @param available whether a device can be used
     * @param reason why not, or a description of the device found
     * @param deviceName the device's name; empty when none
     */
    public record Probe(boolean available, String reason, String deviceName) {
    }

    private final Arena arena = Arena.ofShared();
    private final Calls calls;
    private final int device;
    private final MemorySegment context;
    private final MemorySegment out = arena.allocate(JAVA_LONG);
    private final MemorySegment argValues = arena.allocate(JAVA_LONG, MAX_ARGS);
    private final MemorySegment argPointers = arena.allocate(ADDRESS, MAX_ARGS);
    private MemorySegment staging;
    private boolean closed;

    private CudaDriver(Calls calls, int ordinal) {
        this.calls = calls;
        check("cuInit", invokeInt(calls.cuInit, 0));
        check("cuDeviceGet", invokeInt(calls.cuDeviceGet, out, ordinal));
        this.device = out.get(JAVA_INT, 0);
        check("cuDevicePrimaryCtxRetain", invokeInt(calls.cuDevicePrimaryCtxRetain, out, device));
        this.context = out.get(ADDRESS, 0);
        this.staging = arena.allocate(JAVA_DOUBLE, 1024);
        for (int i = 0; i < MAX_ARGS; i++) {
            argPointers.setAtIndex(ADDRESS, i, argValues.asSlice(8L * i, 8));
        }
        makeCurrent();
    }

    /**
     * Opens device {@code ordinal}: retains its primary context and makes it current on this thread.
     *
     * @throws CudaException when the library, the device or a driver call fails
     */
    public static CudaDriver open(int ordinal) {
        return open(LIBRARY, ordinal);
    }

    /**
     * @param library the driver library: a soname the loader finds, or a path (tests bind a host-side stand-in)
     * @see #open(int)
     */
    static CudaDriver open(String library, int ordinal) {
        Calls calls = Calls.load(library).orElseThrow(() -> new CudaException(library + " not found: no NVIDIA"
                + " driver on this machine (the loader's library paths were searched)"));
        return new CudaDriver(calls, ordinal);
    }

    /**
     * Looks for a usable device without keeping anything open: the driver library, {@code cuInit}, at least one
     * device. Never throws.
     *
     * @return whether a device is there, and why not when it is not
     */
    public static Probe probe() {
        return probe(LIBRARY);
    }

    /**
     * @param library the driver library: a soname the loader finds, or a path
     * @see #probe()
     */
    static Probe probe(String library) {
        Optional<Calls> loaded;
        try {
            loaded = Calls.load(library);
        } catch (RuntimeException | LinkageError e) {
            return new Probe(false, "cannot bind " + library + ": " + e, "");
        }
        if (loaded.isEmpty()) {
            return new Probe(false, library + " not found: no NVIDIA driver on this machine", "");
        }
        Calls calls = loaded.get();
        try (Arena a = Arena.ofConfined()) {
            int init = invokeInt(calls.cuInit, 0);
            if (init != 0) {
                return new Probe(false, "cuInit failed: " + errorName(calls, init), "");
            }
            MemorySegment count = a.allocate(JAVA_INT);
            int rc = invokeInt(calls.cuDeviceGetCount, count);
            if (rc != 0 || count.get(JAVA_INT, 0) < 1) {
                return new Probe(false, rc != 0 ? "cuDeviceGetCount failed: " + errorName(calls, rc)
                        : "the CUDA driver reports no device", "");
            }
            MemorySegment name = a.allocate(256);
            MemorySegment dev = a.allocate(JAVA_INT);
            String deviceName = invokeInt(calls.cuDeviceGet, dev, 0) == 0
                    && invokeInt(calls.cuDeviceGetName, name, 256, dev.get(JAVA_INT, 0)) == 0
                    ? name.getString(0) : "device 0";
            return new Probe(true, count.get(JAVA_INT, 0) + " CUDA device(s), using " + deviceName, deviceName);
        } catch (RuntimeException e) {
            return new Probe(false, "probing the CUDA driver failed: " + e, "");
        }
    }

    /** Makes this device's primary context current on the calling thread. */
    public void makeCurrent() {
        check("cuCtxSetCurrent", invokeInt(calls.cuCtxSetCurrent, context));
    }

    /** @return the device's name. */
    public String deviceName() {
        MemorySegment name = arena.allocate(256);
        check("cuDeviceGetName", invokeInt(calls.cuDeviceGetName, name, 256, device));
        return name.getString(0);
    }

    // ---------------------------------------------------------------- memory

    /** @return a device allocation of {@code doubles} doubles (at least one), not initialised. */
    public long allocDoubles(long doubles) {
        return alloc(8L * Math.max(1, doubles));
    }

    /** @return a device allocation of {@code bytes} bytes. */
    public long alloc(long bytes) {
        check("cuMemAlloc_v2", invokeInt(calls.cuMemAlloc, out, bytes));
        return out.get(JAVA_LONG, 0);
    }

    /** Frees a pointer {@link #alloc} returned; 0 is ignored. */
    public void free(long pointer) {
        if (pointer != 0) {
            check("cuMemFree_v2", invokeInt(calls.cuMemFree, pointer));
        }
    }

    /** Copies {@code count} doubles of {@code src} from {@code from} to the device. Waits for the copy. */
    public void upload(double[] src, int from, int count, long dst) {
        if (count == 0) {
            return;
        }
        MemorySegment s = staging(8L * count);
        MemorySegment.copy(src, from, s, JAVA_DOUBLE, 0, count);
        check("cuMemcpyHtoD_v2", htoD(dst, s, 8L * count));
    }

    /** Copies {@code count} ints to the device. */
    public void upload(int[] src, int from, int count, long dst) {
        if (count == 0) {
            return;
        }
        MemorySegment s = staging(4L * count);
        MemorySegment.copy(src, from, s, JAVA_INT, 0, count);
        check("cuMemcpyHtoD_v2", htoD(dst, s, 4L * count));
    }

    /** Copies {@code count} doubles from the device into {@code dst} at {@code to}; waits for earlier launches. */
    public void download(long src, double[] dst, int to, int count) {
        if (count == 0) {
            return;
        }
        MemorySegment s = staging(8L * count);
        int rc;
        try {
            rc = (int) calls.cuMemcpyDtoH.invokeExact(s, src, 8L * count);
        } catch (Throwable t) {
            throw rethrow(t);
        }
        check("cuMemcpyDtoH_v2", rc);
        MemorySegment.copy(s, JAVA_DOUBLE, 0, dst, to, count);
    }

    /** Device-to-device copy of {@code doubles} doubles. */
    public void copy(long src, long dst, long doubles) {
        if (doubles > 0 && src != dst) {
            int rc;
            try {
                rc = (int) calls.cuMemcpyDtoD.invokeExact(dst, src, 8L * doubles);
            } catch (Throwable t) {
                throw rethrow(t);
            }
            check("cuMemcpyDtoD_v2", rc);
        }
    }

    /** Sets {@code doubles} doubles to +0.0. */
    public void zero(long dst, long doubles) {
        if (doubles > 0) {
            int rc;
            try {
                rc = (int) calls.cuMemsetD8.invokeExact(dst, (byte) 0, 8L * doubles);
            } catch (Throwable t) {
                throw rethrow(t);
            }
            check("cuMemsetD8_v2", rc);
        }
    }

    private MemorySegment staging(long bytes) {
        if (staging.byteSize() < bytes) {
            staging = arena.allocate(Math.max(bytes, 2 * staging.byteSize()), 16);
        }
        return staging;
    }

    // ---------------------------------------------------------------- modules and launches

    /**
     * Loads a PTX module; the driver compiles it for this device.
     *
     * @param ptx the PTX text
     * @return the module handle
     */
    public MemorySegment loadModule(String ptx) {
        MemorySegment image = arena.allocateFrom(ptx);
        check("cuModuleLoadData", invokeInt(calls.cuModuleLoadData, out, image));
        return out.get(ADDRESS, 0);
    }

    /** @return the function {@code name} of a loaded module */
    public MemorySegment function(MemorySegment module, String name) {
        MemorySegment cName = arena.allocateFrom(name);
        check("cuModuleGetFunction(" + name + ")", invokeInt(calls.cuModuleGetFunction, out, module, cName));
        return out.get(ADDRESS, 0);
    }

    /**
     * Launches a kernel on the default stream, one-dimensional, without waiting for it. Arguments are {@code Long}
     * (device pointers and 64-bit integers), {@code Integer} or {@code Double}, in the kernel's order.
     *
     * @param name for error messages
     */
    public void launch(String name, MemorySegment function, int blocks, int threads, Object... args) {
        if (args.length > MAX_ARGS) {
            throw new IllegalArgumentException(name + ": " + args.length + " arguments, at most " + MAX_ARGS);
        }
        for (int i = 0; i < args.length; i++) {
            long at = 8L * i;
            switch (args[i]) {
                case Long v -> argValues.set(JAVA_LONG, at, v);
                case Integer v -> argValues.set(JAVA_INT, at, v);
                case Double v -> argValues.set(JAVA_DOUBLE, at, v);
                default -> throw new IllegalArgumentException(name + ": argument " + i + " is a "
                        + args[i].getClass().getSimpleName());
            }
        }
        int rc;
        try {
            rc = (int) calls.cuLaunchKernel.invokeExact(function, Math.max(1, blocks), 1, 1, threads, 1, 1, 0,
                    MemorySegment.NULL, argPointers, MemorySegment.NULL);
        } catch (Throwable t) {
            throw rethrow(t);
        }
        if (rc != 0) {
            check("cuLaunchKernel(" + name + ")", rc);
        }
    }

    /** Waits for every launch so far; reports a kernel's failure. */
    public void synchronize() {
        check("cuCtxSynchronize", invokeInt(calls.cuCtxSynchronize));
    }

    /** Releases the primary context and the host memory of this binding. */
    @Override
    public void close() {
        if (!closed) {
            closed = true;
            invokeInt(calls.cuDevicePrimaryCtxRelease, device);
            arena.close();
        }
    }

    // ---------------------------------------------------------------- errors

    private void check(String call, int rc) {
        if (rc != 0) {
            throw new CudaException(call + " failed: " + errorName(calls, rc));
        }
    }

    static String errorName(Calls calls, int rc) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment p = a.allocate(ADDRESS);
            if (invokeInt(calls.cuGetErrorName, rc, p) == 0) {
                return p.get(ADDRESS, 0).reinterpret(256).getString(0) + " (" + rc + ")";
            }
        }
        return "CUresult " + rc;
    }

    /** The copy to the device, called exactly: it runs several times per optimizer step. */
    private int htoD(long dst, MemorySegment src, long bytes) {
        try {
            return (int) calls.cuMemcpyHtoD.invokeExact(dst, src, bytes);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    private static RuntimeException rethrow(Throwable t) {
        if (t instanceof RuntimeException r) {
            return r;
        }
        if (t instanceof Error e) {
            throw e;
        }
        return new IllegalStateException(t);
    }

    /** For the calls made once: boxing costs nothing there. */
    private static int invokeInt(MethodHandle h, Object... args) {
        try {
            return (int) h.invokeWithArguments(args);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    /** The bound entry points. {@code _v2} names are the ones the driver's headers map the plain names to. */
    record Calls(MethodHandle cuInit, MethodHandle cuDeviceGetCount, MethodHandle cuDeviceGet,
                 MethodHandle cuDeviceGetName, MethodHandle cuDevicePrimaryCtxRetain,
                 MethodHandle cuDevicePrimaryCtxRelease, MethodHandle cuCtxSetCurrent,
                 MethodHandle cuCtxSynchronize, MethodHandle cuModuleLoadData, MethodHandle cuModuleGetFunction,
                 MethodHandle cuMemAlloc, MethodHandle cuMemFree, MethodHandle cuMemcpyHtoD,
                 MethodHandle cuMemcpyDtoH, MethodHandle cuMemcpyDtoD, MethodHandle cuMemsetD8,
                 MethodHandle cuLaunchKernel, MethodHandle cuGetErrorName) {

        /** @return the bindings, or empty when the library is not on this machine */
        static Optional<Calls> load(String library) {
            SymbolLookup lib;
            try {
                lib = library.contains("/") ? SymbolLookup.libraryLookup(Path.of(library), Arena.global())
                        : SymbolLookup.libraryLookup(library, Arena.global());
            } catch (IllegalArgumentException notFound) {
                return Optional.empty();
            }
            return Optional.of(new Calls(
                    bind(lib, "cuInit", INT_INT),
                    bind(lib, "cuDeviceGetCount", INT_ADDR),
                    bind(lib, "cuDeviceGet", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT)),
                    bind(lib, "cuDeviceGetName", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT)),
                    bind(lib, "cuDevicePrimaryCtxRetain", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT)),
                    bind(lib, "cuDevicePrimaryCtxRelease_v2", INT_INT),
                    bind(lib, "cuCtxSetCurrent", INT_ADDR),
                    bind(lib, "cuCtxSynchronize", FunctionDescriptor.of(JAVA_INT)),
                    bind(lib, "cuModuleLoadData", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS)),
                    bind(lib, "cuModuleGetFunction", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, ADDRESS)),
                    bind(lib, "cuMemAlloc_v2", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG)),
                    bind(lib, "cuMemFree_v2", FunctionDescriptor.of(JAVA_INT, JAVA_LONG)),
                    bind(lib, "cuMemcpyHtoD_v2", FunctionDescriptor.of(JAVA_INT, JAVA_LONG, ADDRESS, JAVA_LONG)),
                    bind(lib, "cuMemcpyDtoH_v2", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG, JAVA_LONG)),
                    bind(lib, "cuMemcpyDtoD_v2", FunctionDescriptor.of(JAVA_INT, JAVA_LONG, JAVA_LONG, JAVA_LONG)),
                    bind(lib, "cuMemsetD8_v2", FunctionDescriptor.of(JAVA_INT, JAVA_LONG, JAVA_BYTE, JAVA_LONG)),
                    bind(lib, "cuLaunchKernel", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT,
                            JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS, ADDRESS, ADDRESS)),
                    bind(lib, "cuGetErrorName", FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS))));
        }

        private static MethodHandle bind(SymbolLookup lib, String name, FunctionDescriptor d) {
            MemorySegment symbol = lib.find(name).orElseThrow(() -> new CudaException("the CUDA driver has no "
                    + name + "; it is too old"));
            return LINKER.downcallHandle(symbol, d);
        }
    }
}
