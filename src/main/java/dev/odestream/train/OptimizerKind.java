package dev.odestream.train;

import dev.odestream.nn.AdamSettings;
import dev.odestream.nn.Adam;
import dev.odestream.nn.Adamax;
import dev.odestream.nn.Optimizer;

/** The optimizers the trainer can use, both configured by {@link AdamSettings}. */
public enum OptimizerKind {

    /** {@link Adam}. */
    ADAM,
    /** {@link Adamax}. */
    ADAMAX;

    /** @return a new optimizer of this kind for {@code size} parameters. */
    public Optimizer create(int size, AdamSettings settings) {
        return switch (this) {
            case ADAM -> new Adam(size, settings);
            case ADAMAX -> new Adamax(size, settings);
        };
    }
}
