package dev.odestream.train.baseline;

import java.util.Objects;

/**
 * Architecture and workspace sizes of a {@link GruRnnBaseline}.
 *
 * @param hiddenSize GRU units; 25 in the paper's recognition RNN
 * @param deltaScale the time-delta input is {@code delta * deltaScale}; pick about one over a typical gap so the
 *                   input is of order one
 * @param valueScale observations enter as {@code x / valueScale} and predictions leave as {@code valueScale * out};
 *                   about the data's root mean square, so the GRU's gates see inputs of order one
 * @param objective what training fits; not part of the architecture
 * @param maxBatch rows per batched call; larger slices are processed in chunks of this size
 * @param maxSteps the most GRU steps a sequence takes: observations minus one, plus extrapolation points when
 *                 rolling out
 */
public record GruRnnBaselineConfig(int hiddenSize, double deltaScale, double valueScale,
                                   RnnObjective objective, int maxBatch, int maxSteps) {

    public GruRnnBaselineConfig {
        Objects.requireNonNull(objective, "objective");
        if (hiddenSize < 1 || maxBatch < 1 || maxSteps < 1) {
            throw new IllegalArgumentException("sizes must be positive: " + this);
        }
        if (!(deltaScale > 0) || !(valueScale > 0) || !Double.isFinite(deltaScale) || !Double.isFinite(valueScale)) {
            throw new IllegalArgumentException("scales must be positive and finite: " + this);
        }
    }

    /** @return a copy with another objective. */
    public GruRnnBaselineConfig withObjective(RnnObjective o) {
        return new GruRnnBaselineConfig(hiddenSize, deltaScale, valueScale, o, maxBatch, maxSteps);
    }

    /** @return a copy with another chunk size. */
    public GruRnnBaselineConfig withMaxBatch(int rows) {
        return new GruRnnBaselineConfig(hiddenSize, deltaScale, valueScale, objective, rows, maxSteps);
    }
}
