package dev.odestream.model.checkpoint;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Arrays;
import java.util.Objects;
import java.util.function.Function;

/**
 * The model one thread serves, kept in step with the latest checkpoint record of a model name that the engine stored.
 * On each look-up it compares the record it is given with the last one it saw (a reference check, then the bytes), so
 * a new checkpoint is taken up by the next use. Judging checkpoints (version numbers, the canary run) is done once,
 * where they are read, before they are stored; the slot only decodes what it is given against the initial model
 * ({@link LoadedModel#fromRecord}), and keeps the model in use if that fails. With no record (none yet, or a
 * tombstone withdrew it) the slot serves the initial model, so that every thread serves the same version for the same
 * record, whatever it served before.
 *
 * <p>The slot knows nothing of where records come from (the engine reads them from its global {@code models} store)
 * nor of what a thread builds from a version: {@code build} makes the thread's serving form of a version, with its
 * workspaces, once per version.
 *
 * <p>Not thread-safe: each thread has its own.
 *
 * @param <M> what a thread serves a version as
 */
public final class ModelSlot<M> {

    private static final Logger LOG = LoggerFactory.getLogger(ModelSlot.class);

    /**
     * Hears what the slot decides; the engine reports the model in use and swaps (it counts refused checkpoints where
     * it reads them, once, not per slot).
     */
    public interface Listener {

        /** A version is in use: the initial one ({@code swap} false) or one swapped in. */
        void inUse(LoadedModel model, boolean swap);

        /** A checkpoint was refused; the version in use stays. */
        void refused(String reason);
    }

    private final String name;
    private final Function<LoadedModel, M> build;
    private final Listener listener;
    private final LoadedModel initial;
    private LoadedModel loaded;
    private M current;
    private byte[] lastSeen;

    /**
     * @param name the model name whose records the slot is given; named in its log lines
     * @param initial the version served until a valid checkpoint arrives, and again when the record is withdrawn;
     *     checkpoints must match its configuration, or only its data shape when it is the {@link LoadedModel#baseline}
     *     (no model yet)
     * @param build makes the serving form of a version
     * @param listener told of the initial version, of swaps and of refusals
     */
    public ModelSlot(String name, LoadedModel initial, Function<LoadedModel, M> build, Listener listener) {
        this.name = Objects.requireNonNull(name, "name");
        this.build = Objects.requireNonNull(build, "build");
        this.listener = Objects.requireNonNull(listener, "listener");
        this.initial = initial;
        this.loaded = initial;
        this.current = build.apply(initial);
        listener.inUse(initial, false);
    }

    /**
     * @param record the latest checkpoint record of the model name, or {@code null} when there is none (then the
     *     initial model serves)
     * @return the model to use now
     */
    public M current(byte[] record) {
        if (record == null) {
            lastSeen = null;
            if (loaded != initial) {
                LOG.info("model '{}': withdrawn; the initial version {} replaces version {}", name,
                        initial.version(), loaded.version());
                use(initial);
            }
        } else if (record != lastSeen && !Arrays.equals(record, lastSeen)) {
            lastSeen = record;
            consider(record);
        }
        return current;
    }

    private void use(LoadedModel model) {
        current = build.apply(model);
        loaded = model;
        listener.inUse(model, true);
    }

    private void consider(byte[] record) {
        try {
            LoadedModel candidate = LoadedModel.fromRecord(name, record, initial);
            if (candidate.equals(loaded)) {
                return;
            }
            LOG.info("model '{}': version {} replaces version {}", name, candidate.version(), loaded.version());
            use(candidate.equals(initial) ? initial : candidate);
        } catch (ModelRejectedException e) {
            listener.refused(e.getMessage());
            LOG.warn("model '{}': checkpoint refused, version {} stays in use: {}", name, loaded.version(),
                    e.getMessage());
        }
    }
}
