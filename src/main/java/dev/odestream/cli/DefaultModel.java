package dev.odestream.cli;

import dev.odestream.model.ModelConfig;
import dev.odestream.model.checkpoint.LoadedModel;
import dev.odestream.model.checkpoint.ModelRejectedException;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * The model the engine starts from when no checkpoint is named: the reference architecture trained on the demo
 * workload, bundled as a resource (version 1). It is checked like any checkpoint from the models topic
 * ({@link LoadedModel#fromCheckpoint}), against the engine's architecture {@link ModelConfig#reference()}, whose
 * forecast tolerances it takes. How it was made: the README's "Bundled default model" section.
 */
public final class DefaultModel {

    /** Where the checkpoint lies on the class path. */
    static final String RESOURCE = "/models/default.odsc";

    private DefaultModel() {
    }

    /** @return the bundled checkpoint's bytes. */
    static byte[] bytes() {
        try (InputStream in = DefaultModel.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("the build has no " + RESOURCE + " resource");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + RESOURCE, e);
        }
    }

    /** @return the bundled model, checked against the engine's architecture. */
    public static LoadedModel load() throws ModelRejectedException {
        return LoadedModel.fromCheckpoint(bytes(), ModelConfig.reference());
    }
}
