package dev.odestream.model.checkpoint;

import dev.odestream.nn.ParameterBlock;
import dev.odestream.ode.Finite;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * An immutable, self-describing model snapshot: what a running engine loads and hot-swaps. The architecture is
 * described by string hyperparameters (which an engine checks with {@link #requireCompatible}) and the flat parameter
 * vector by a layout of named blocks that tile it exactly.
 *
 * <p>The constructor enforces what a loader must be able to trust: blocks have unique names and cover
 * {@code [0, parameters.length)} without gaps or overlaps, every parameter is finite, and the parent version (if any)
 * is older than this one.
 *
 * @param modelVersion non-negative version; forecasts carry it.
 * @param hyperparameters architecture, such as {@code latentDim -> 4}; the copy iterates in key order.
 * @param layout the parameter blocks, in the order given.
 * @param parameters the flat parameter values. Copied on the way in and out.
 * @param training provenance and scores.
 */
public record Checkpoint(long modelVersion, Map<String, String> hyperparameters, List<ParameterBlock> layout,
                         double[] parameters, TrainingMetadata training) {

    /** Validates and copies everything. */
    public Checkpoint {
        Objects.requireNonNull(training, "training");
        if (modelVersion < 0) {
            throw new IllegalArgumentException("model version must be non-negative, got " + modelVersion);
        }
        hyperparameters = Collections.unmodifiableMap(new TreeMap<>(hyperparameters));
        layout = List.copyOf(layout);
        parameters = parameters.clone();
        requireNamedHyperparameters(hyperparameters);
        requireTiling(layout, parameters.length);
        requireFinite(parameters);
        training.parentVersion().ifPresent(parent -> requireOlder(parent, modelVersion));
    }

    private static void requireNamedHyperparameters(Map<String, String> hyperparameters) {
        hyperparameters.forEach((key, value) -> {
            if (key.isEmpty() || value == null) {
                throw new IllegalArgumentException("hyperparameter '" + key + "' needs a name and a value");
            }
        });
    }

    private static void requireTiling(List<ParameterBlock> layout, int count) {
        Set<String> names = new HashSet<>();
        for (ParameterBlock block : layout) {
            if (!names.add(block.name())) {
                throw new IllegalArgumentException("duplicate block name '" + block.name() + "'");
            }
        }
        List<ParameterBlock> byOffset = new ArrayList<>(layout);
        byOffset.sort(Comparator.comparingInt(ParameterBlock::offset));
        int next = 0;
        for (ParameterBlock block : byOffset) {
            if (block.offset() != next) {
                throw new IllegalArgumentException("layout does not cover the values: block " + block
                        + (block.offset() < next ? " overlaps" : " leaves a gap") + " at index " + next);
            }
            next = block.end();
        }
        if (next != count) {
            throw new IllegalArgumentException("layout covers " + next + " values but there are " + count);
        }
    }

    private static void requireFinite(double[] parameters) {
        int i = Finite.firstNonFinite(parameters);
        if (i >= 0) {
            throw new IllegalArgumentException("parameter " + i + " is not finite: " + parameters[i]);
        }
    }

    private static void requireOlder(long parent, long version) {
        if (parent >= version) {
            throw new IllegalArgumentException("parent version " + parent + " is not older than " + version);
        }
    }

    /** @return the number of parameters. */
    public int parameterCount() {
        return parameters.length;
    }

    /** @return parameter {@code i}. */
    public double parameter(int i) {
        return parameters[i];
    }

    @Override
    public double[] parameters() {
        return parameters.clone();
    }

    /**
     * Copies the parameters into a model's flat array without allocating.
     *
     * @param out receives the values, length at least {@link #parameterCount()}. Modified.
     */
    public void copyParameters(double[] out) {
        System.arraycopy(parameters, 0, out, 0, parameters.length);
    }

    /** @return the block with that name, if any. */
    public Optional<ParameterBlock> block(String name) {
        return layout.stream().filter(b -> b.name().equals(name)).findFirst();
    }

    /**
     * Checks that this checkpoint was built for the expected architecture: the same hyperparameter names with the
     * same values.
     *
     * @param expected the hyperparameters of the model that would load this checkpoint. Not modified.
     * @throws IncompatibleCheckpointException naming every missing, unexpected and differing hyperparameter.
     */
    public void requireCompatible(Map<String, String> expected) {
        List<String> differences = new ArrayList<>();
        new TreeMap<>(expected).forEach((key, want) -> {
            String have = hyperparameters.get(key);
            if (have == null) {
                differences.add(key + " missing (expected " + want + ")");
            } else if (!have.equals(want)) {
                differences.add(key + " = " + have + " (expected " + want + ")");
            }
        });
        hyperparameters.keySet().stream().filter(key -> !expected.containsKey(key))
                .forEach(key -> differences.add(key + " = " + hyperparameters.get(key) + " not expected"));
        if (!differences.isEmpty()) {
            throw new IncompatibleCheckpointException("checkpoint version " + modelVersion
                    + " does not match the model: " + String.join("; ", differences));
        }
    }

    /**
     * Renders everything but the parameter values as JSON, as described by
     * {@code schemas/checkpoint-metadata.schema.json}.
     */
    public String metadataJson() {
        return MetadataJson.render(this);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Checkpoint c && modelVersion == c.modelVersion
                && hyperparameters.equals(c.hyperparameters) && layout.equals(c.layout)
                && Arrays.equals(parameters, c.parameters) && training.equals(c.training);
    }

    @Override
    public int hashCode() {
        return Objects.hash(modelVersion, hyperparameters, layout, Arrays.hashCode(parameters), training);
    }

    @Override
    public String toString() {
        return "Checkpoint[version=" + modelVersion + ", hyperparameters=" + hyperparameters + ", layout=" + layout
                + ", parameterCount=" + parameters.length + ", training=" + training + "]";
    }
}
