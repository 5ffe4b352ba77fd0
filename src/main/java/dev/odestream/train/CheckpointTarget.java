package dev.odestream.train;

import java.nio.file.Path;
import java.util.Objects;
import java.util.OptionalLong;

/**
 * Where and as what the trainer writes its checkpoint at the end of training.
 *
 * @param path the file to write; its parent directory must exist
 * @param modelVersion the version of the new model
 * @param parentVersion the version training started from; empty when training from scratch
 */
public record CheckpointTarget(Path path, long modelVersion, OptionalLong parentVersion) {

    public CheckpointTarget {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(parentVersion, "parentVersion");
    }

    /** @return a target for a model trained from scratch. */
    public static CheckpointTarget fromScratch(Path path, long modelVersion) {
        return new CheckpointTarget(path, modelVersion, OptionalLong.empty());
    }
}
