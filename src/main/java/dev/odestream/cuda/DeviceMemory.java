package dev.odestream.cuda;

import java.util.ArrayList;
import java.util.List;

/**
 * The device allocations of one owner, freed together. {@link Growable} buffers keep their pointer until a larger
 * size is asked for, so a steady training loop allocates nothing on the device. Not thread-safe.
 */
final class DeviceMemory implements AutoCloseable {

    private final Device driver;
    private final List<Long> fixed = new ArrayList<>();
    private final List<Growable> growable = new ArrayList<>();

    DeviceMemory(Device driver) {
        this.driver = driver;
    }

    /** @return a pointer to {@code doubles} doubles (or as many ints, which are smaller), freed on close */
    long doubles(long doubles) {
        long p = driver.allocDoubles(doubles);
        fixed.add(p);
        return p;
    }

    /** @return a buffer of eight-byte slots that grows on demand */
    Growable growable() {
        Growable g = new Growable();
        growable.add(g);
        return g;
    }

    @Override
    public void close() {
        fixed.forEach(driver::free);
        fixed.clear();
        growable.forEach(g -> driver.free(g.pointer));
        growable.clear();
    }

    /** A device buffer whose contents are lost when it grows. */
    final class Growable {

        private long pointer;
        private long capacity;

        /** @return a pointer to at least {@code slots} eight-byte slots */
        long ensure(long slots) {
            if (slots > capacity) {
                driver.free(pointer);
                pointer = 0;
                capacity = Math.max(slots, 2 * capacity);
                pointer = driver.allocDoubles(capacity);
            }
            return pointer;
        }

        long pointer() {
            return pointer;
        }
    }
}
