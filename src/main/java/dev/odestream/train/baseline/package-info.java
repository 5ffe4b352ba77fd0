/**
 * Baselines that the latent ODE must beat, trained by the generic {@link dev.odestream.train.Trainer}.
 *
 * <p>Design note. {@link dev.odestream.train.baseline.GruRnnBaseline} is the "RNN" column of Chen et al. 2018,
 * Table 2: a GRU over {@code [value, time delta]} with a linear readout, extrapolating by feeding its own predictions
 * back. Its class comment defines the recurrence exactly, including which delta accompanies each point and how the
 * 100-point extrapolation is unrolled, since "an RNN with time-delta input" admits several readings. Backprop through
 * time recomputes each step's forward from stored states rather than keeping one {@link dev.odestream.nn.GruCell}
 * cache per step, so a model's workspaces are a few arrays per step, sized once. Two training objectives
 * ({@link dev.odestream.train.baseline.RnnObjective}) separate the like-for-like comparison (fit the observed window,
 * as the latent ODE does) from a stronger baseline that fits the extrapolation window of the training spirals.
 */
package dev.odestream.train.baseline;
