package dev.odestream.train;

import dev.odestream.model.ModelConfig;
import dev.odestream.model.Window;
import dev.odestream.model.checkpoint.LoadedModel;

import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

/**
 * A preferred backend with a fallback for the models it cannot train: each session and each scoring goes to the
 * preferred backend unless its {@link TrainingBackend#refusal} names a reason for that model's configuration, in
 * which case it goes to the fallback, and the reason is logged (once per reason). The GPU backend, whose kernels
 * implement the first models' dynamics only, is wrapped this way around the CPU backend.
 *
 * <p>{@link #name()} is the name of the backend that took the last call, the preferred one's before any. Closing
 * closes both. Not thread-safe, as a backend is used by one training round at a time.
 */
public final class FallbackBackend implements TrainingBackend {

    private final TrainingBackend preferred;
    private final TrainingBackend fallback;
    private final Consumer<String> log;
    private final Set<String> told = new HashSet<>();
    private TrainingBackend last;

    /**
     * @param preferred takes every model it does not refuse; closed with this one
     * @param fallback takes the others; closed with this one
     * @param log told the reason the first time a model goes to the fallback for it
     */
    public FallbackBackend(TrainingBackend preferred, TrainingBackend fallback, Consumer<String> log) {
        this.preferred = preferred;
        this.fallback = fallback;
        this.log = log;
        this.last = preferred;
    }

    @Override
    public String name() {
        return last.name();
    }

    /** @return empty when either backend can train the model: this one refuses only what both refuse */
    @Override
    public Optional<String> refusal(ModelConfig config) {
        return preferred.refusal(config).flatMap(reason -> fallback.refusal(config));
    }

    @Override
    public Session open(LoadedModel start, TrainingSettings settings) {
        return choose(start.config()).open(start, settings);
    }

    @Override
    public HeldOutScore score(LoadedModel model, List<Window> windows) {
        return choose(model.config()).score(model, windows);
    }

    /** @return the backend for this configuration; logs why when it is the fallback */
    TrainingBackend choose(ModelConfig config) {
        Optional<String> reason = preferred.refusal(config);
        last = reason.isPresent() ? fallback : preferred;
        if (reason.isPresent() && told.add(reason.get())) {
            log.accept("backend " + preferred.name() + " cannot train this model (" + reason.get() + "); training on "
                    + fallback.name() + " instead");
        }
        return last;
    }

    @Override
    public void close() {
        try {
            preferred.close();
        } finally {
            fallback.close();
        }
    }
}
