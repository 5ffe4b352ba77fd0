package dev.odestream.cuda;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_DOUBLE;
import static java.lang.foreign.ValueLayout.JAVA_DOUBLE_UNALIGNED;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_INT_UNALIGNED;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * A {@link Device} whose kernels are the CUDA source itself, compiled for the host ({@code src/test/cuda/
 * host_launch.cpp}) and called through the Foreign Function &amp; Memory API with arguments packed as for
 * {@code cuLaunchKernel}; memory is native host memory addressed by real pointers. What it checks that
 * {@link JvmDevice} cannot: the kernels as written in {@code odestream.cu}, and the argument packing.
 */
final class HostCompiledDevice implements Device, AutoCloseable {

    private final Arena arena = Arena.ofShared();
    private final MemorySegment memory;
    private final long base;
    private final MethodHandle launch;
    private final MemorySegment argValues = arena.allocate(JAVA_LONG, CudaDriver.MAX_ARGS);
    private final MemorySegment argPointers = arena.allocate(ADDRESS, CudaDriver.MAX_ARGS);
    private final Map<String, MemorySegment> names = new HashMap<>();
    private long next;

    /**
     * @param library the compiled {@code host_launch.cpp}
     * @param bytes the memory this device has
     */
    HostCompiledDevice(Path library, long bytes) {
        this.memory = arena.allocate(bytes, 16);
        this.base = memory.address();
        SymbolLookup lookup = SymbolLookup.libraryLookup(library, arena);
        this.launch = Linker.nativeLinker().downcallHandle(lookup.find("host_launch").orElseThrow(),
                FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT, ADDRESS));
        for (int i = 0; i < CudaDriver.MAX_ARGS; i++) {
            argPointers.setAtIndex(ADDRESS, i, argValues.asSlice(8L * i, 8));
        }
    }

    @Override
    public long allocDoubles(long doubles) {
        long p = base + next;
        next = (next + 8 * Math.max(1, doubles) + 15) & ~15L;
        if (next > memory.byteSize()) {
            throw new IllegalStateException("the host device is out of memory");
        }
        return p;
    }

    @Override
    public void free(long pointer) {
    }

    @Override
    public void upload(double[] src, int from, int count, long dst) {
        if (count == 0) {
            return;
        }
        MemorySegment.copy(src, from, memory, JAVA_DOUBLE_UNALIGNED, dst - base, count);
    }

    @Override
    public void upload(int[] src, int from, int count, long dst) {
        if (count == 0) {
            return;
        }
        MemorySegment.copy(src, from, memory, JAVA_INT_UNALIGNED, dst - base, count);
    }

    @Override
    public void download(long src, double[] dst, int to, int count) {
        if (count == 0) {
            return;
        }
        MemorySegment.copy(memory, JAVA_DOUBLE_UNALIGNED, src - base, dst, to, count);
    }

    @Override
    public void copy(long src, long dst, long doubles) {
        if (doubles == 0) {
            return;
        }
        MemorySegment.copy(memory, src - base, memory, dst - base, 8 * doubles);
    }

    @Override
    public void zero(long dst, long doubles) {
        if (doubles == 0) {
            return;
        }
        memory.asSlice(dst - base, 8 * doubles).fill((byte) 0);
    }

    @Override
    public void run(String name, long n, Object... args) {
        launch(name, Kernels.blocks(n), args);
    }

    @Override
    public void runOneBlock(String name, Object... args) {
        launch(name, 1, args);
    }

    private void launch(String name, int blocks, Object... args) {
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case Long v -> argValues.set(JAVA_LONG, 8L * i, v);
                case Integer v -> argValues.set(JAVA_INT, 8L * i, v);
                case Double v -> argValues.set(JAVA_DOUBLE, 8L * i, v);
                default -> throw new IllegalArgumentException(name + ": argument " + i + " is a " + args[i]);
            }
        }
        MemorySegment cName = names.computeIfAbsent(name, arena::allocateFrom);
        try {
            int rc = (int) launch.invokeExact(cName, blocks, Kernels.THREADS, argPointers);
            if (rc != 0) {
                throw new IllegalStateException("the host build has no kernel " + name);
            }
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    @Override
    public void makeCurrent() {
    }

    @Override
    public void close() {
        arena.close();
    }
}
