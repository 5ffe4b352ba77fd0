/**
 * Reproducible synthetic data sets for training and checking the latent ODE model, and the demo workload.
 *
 * <p>Design note. Every generator is a pure function of a configuration record and a seed. Each item (spiral,
 * event sequence, series) gets its own {@link java.util.Random}, derived from the seed and the item's index, so an
 * item does not depend on how many others are generated, and workloads can be produced lazily.
 * {@code java.util.Random} is chosen over faster generators because its algorithm is part of its specification: a
 * seed means the same data on every JDK.
 *
 * <ul>
 *   <li>{@link dev.odestream.data.Spirals}: the bidirectional spirals of Chen et al. 2018 (section 5.1, Table 2),
 *       with irregular observations in a window and extrapolation targets after it.</li>
 *   <li>{@link dev.odestream.data.PoissonProcesses}: event times from a known {@link dev.odestream.data.Intensity} by
 *       thinning, with the exact cumulative intensity so that learned intensities can be scored (relative L2,
 *       log-likelihood, time-rescaling KS statistic) against a homogeneous baseline.</li>
 *   <li>{@link dev.odestream.data.IrregularSeries}: many keyed series of irregular, noisy damped oscillations for the
 *       engine demo, merged lazily in time order.</li>
 * </ul>
 *
 * <p>These are data values, not hot paths: generators allocate freely. Records that hold arrays copy them on the way
 * in and out, and offer indexed getters that do not allocate.
 */
package dev.odestream.data;
