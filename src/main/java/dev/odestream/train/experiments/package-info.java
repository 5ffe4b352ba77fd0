/**
 * Reproductions of published experiments, as runnable commands: each wires a data set from {@code dev.odestream.data}
 * and a concrete model to the generic {@link dev.odestream.train.Trainer}, and reports the paper's metric.
 *
 * <p>{@link dev.odestream.train.experiments.SpiralExperiment} runs the bidirectional-spirals protocol of Chen et al.
 * 2018, Table 2 (extrapolating 100 points past an irregularly observed window) for the GRU baseline.
 */
package dev.odestream.train.experiments;
