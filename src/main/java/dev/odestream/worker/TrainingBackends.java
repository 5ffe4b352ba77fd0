package dev.odestream.worker;

import java.util.Locale;
import java.util.function.Consumer;

/** Picks the backend named by {@code --backend}: {@code auto}, {@code cpu} or {@code cuda}. */
public final class TrainingBackends {

    /** The choices, in the order the usage lists them. */
    public static final String CHOICES = "auto|cpu|cuda";

    private TrainingBackends() {
    }

    /**
     * @param choice {@code auto}, {@code cpu} or {@code cuda}
     * @param threads threads of the CPU backend
     * @param log told which backend {@code auto} picked and why
     * @throws IllegalArgumentException for {@code cuda} (this build has no CUDA backend) or an unknown choice
     */
    public static TrainingBackend select(String choice, int threads, Consumer<String> log) {
        return switch (choice.toLowerCase(Locale.ROOT)) {
            case "cpu" -> new CpuBackend(threads);
            case "auto" -> {
                log.accept("backend auto: this build has no CUDA backend, training on the CPU with " + threads
                        + " threads");
                yield new CpuBackend(threads);
            }
            case "cuda" -> throw new IllegalArgumentException("backend cuda: this build has no CUDA backend;"
                    + " use --backend cpu (or auto, which picks the CPU)");
            default -> throw new IllegalArgumentException("unknown backend '" + choice + "', expected one of "
                    + CHOICES);
        };
    }
}
