package dev.odestream.worker;

import dev.odestream.cuda.CudaBackend;
import dev.odestream.cuda.CudaDriver;
import dev.odestream.cuda.CudaException;
import dev.odestream.train.CpuBackend;
import dev.odestream.train.FallbackBackend;
import dev.odestream.train.TrainingBackend;

import java.util.Locale;
import java.util.function.Consumer;

/** Picks the backend named by {@code --backend}: {@code auto}, {@code cpu} or {@code cuda}. */
public final class TrainingBackends {

    /** The choices, in the order the usage lists them. */
    public static final String CHOICES = "auto|cpu|cuda";

    private TrainingBackends() {
    }

    /**
     * @param choice {@code auto} (the GPU when {@link CudaDriver#probe()} finds one, else the CPU), {@code cpu} or
     *               {@code cuda}
     * @param threads threads of the CPU backend (and of the CUDA backend's held-out scoring)
     * @param log told which backend {@code auto} picked and why
     * @throws IllegalArgumentException for {@code cuda} when no device can be used (the message says why), or an
     *                                  unknown choice
     */
    public static TrainingBackend select(String choice, int threads, Consumer<String> log) {
        return switch (choice.toLowerCase(Locale.ROOT)) {
            case "cpu" -> new CpuBackend(threads);
            case "auto" -> auto(threads, log);
            case "cuda" -> cuda(threads, log);
            default -> throw new IllegalArgumentException("unknown backend '" + choice + "', expected one of "
                    + CHOICES);
        };
    }

    private static TrainingBackend auto(int threads, Consumer<String> log) {
        CudaDriver.Probe probe = CudaDriver.probe();
        if (probe.available()) {
            try {
                TrainingBackend cuda = CudaBackend.open(threads);
                log.accept("backend auto: training on the GPU (" + probe.reason() + ")");
                return withCpuFallback(cuda, threads, log);
            } catch (CudaException | IllegalArgumentException e) {
                log.accept("backend auto: the GPU could not be opened (" + e.getMessage() + "), training on the CPU"
                        + " with " + threads + " threads");
                return new CpuBackend(threads);
            }
        }
        log.accept("backend auto: no CUDA device (" + probe.reason() + "), training on the CPU with " + threads
                + " threads");
        return new CpuBackend(threads);
    }

    /**
     * The GPU for the models its kernels implement, the CPU for the others (bounded dynamics, a gap limit): each
     * session goes where it can run, and the first refusal of each kind is logged with its reason.
     */
    static TrainingBackend withCpuFallback(TrainingBackend gpu, int threads, Consumer<String> log) {
        return new FallbackBackend(gpu, new CpuBackend(threads), reason -> log.accept(reason + " with " + threads
                + " threads"));
    }

    private static TrainingBackend cuda(int threads, Consumer<String> log) {
        try {
            CudaBackend backend = CudaBackend.open(threads);
            log.accept("backend cuda: training on " + backend.deviceName());
            return withCpuFallback(backend, threads, log);
        } catch (CudaException e) {
            throw new IllegalArgumentException("backend cuda: " + e.getMessage() + "; use --backend cpu (or auto,"
                    + " which falls back to the CPU)", e);
        }
    }
}
