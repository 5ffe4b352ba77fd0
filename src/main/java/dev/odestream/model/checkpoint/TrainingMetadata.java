package dev.odestream.model.checkpoint;

import java.time.Instant;
import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.TreeMap;

/**
 * How a checkpoint came to be: when, from which parent, on which data, and how well it scored.
 *
 * @param createdAt when training finished.
 * @param parentVersion the model version training started from; empty for a model trained from scratch.
 * @param dataRange the training data.
 * @param metrics named scores, such as {@code "validation.rmse"}; finite values; the copy iterates in name order.
 * @param notes free-form text; empty if none.
 */
public record TrainingMetadata(Instant createdAt, OptionalLong parentVersion, DataRange dataRange,
                               Map<String, Double> metrics, String notes) {

    /** Validates and copies the metrics. */
    public TrainingMetadata {
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(parentVersion, "parentVersion");
        Objects.requireNonNull(dataRange, "dataRange");
        Objects.requireNonNull(notes, "notes");
        metrics = Collections.unmodifiableSortedMap(new TreeMap<>(metrics));
        for (Map.Entry<String, Double> metric : metrics.entrySet()) {
            if (metric.getKey().isEmpty() || metric.getValue() == null || !Double.isFinite(metric.getValue())) {
                throw new IllegalArgumentException("metric '" + metric.getKey() + "' must have a name and a finite"
                        + " value, got " + metric.getValue());
            }
        }
    }
}
