package dev.odestream.nn;

import java.util.List;

/**
 * The named blocks of a model's flat parameter arrays, in flat order. The optimizer, the checkpoint format and the
 * adjoint's {@code dL/dtheta} all index parameters through this one layout.
 *
 * <p>Immutable. A well-formed layout has unique names and blocks that tile {@code [0, size())} without gaps or
 * overlaps; {@link Parameters} only builds such layouts.
 *
 * @param blocks in increasing offset order
 */
public record ParameterLayout(List<ParameterBlock> blocks) {

    public ParameterLayout {
        blocks = List.copyOf(blocks);
    }

    /** @return the total number of parameters, the end of the last block. */
    public int size() {
        return blocks.isEmpty() ? 0 : blocks.getLast().end();
    }

    /**
     * @param name block name
     * @return the block with that name
     * @throws IllegalArgumentException if there is none
     */
    public ParameterBlock block(String name) {
        for (ParameterBlock b : blocks) {
            if (b.name().equals(name)) {
                return b;
            }
        }
        throw new IllegalArgumentException("no parameter block named " + name);
    }

    /** @return whether a block with that name exists. */
    public boolean contains(String name) {
        for (ParameterBlock b : blocks) {
            if (b.name().equals(name)) {
                return true;
            }
        }
        return false;
    }
}
