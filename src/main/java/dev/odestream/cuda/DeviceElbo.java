package dev.odestream.cuda;

import dev.odestream.model.BatchedElbo;
import dev.odestream.model.ElboTotals;
import dev.odestream.model.ModelConfig;
import dev.odestream.nn.Parameters;
import dev.odestream.ode.SolverOptions;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The summed negative ELBO of a batch and its gradient on the device, the same computation as
 * {@code dev.odestream.model.BatchedElbo} with the ODE-RNN encoder: the encoder over the union of the context times
 * (masked ODE between events, masked GRU passes at them), the posterior head, the latent path and cumulative
 * intensities from each series' {@code tau} over the union of the latent times, the Gaussian and Poisson terms and
 * the KL; backward, the latent adjoint with the decoder's and the intensity head's jumps, the reparameterisation,
 * the posterior head, and the encoder step by step back with the adjoint of the encoder ODE over each union
 * interval, all adjoint solves reintegrating {@code [y, a, dL/dtheta]} with dopri5 and the parameter part left out
 * of the error norm.
 *
 * <p>Stepping follows the JVM path's {@link BatchedElbo.Stepping}: with {@code RESTART} every grid segment
 * is a fresh solve; with {@code CONTINUOUS} the latent path is solved in one pass per stretch of grid segments over
 * which the same rows move, the grid times read off the steps' dense output, and every solve that starts where its
 * solver's last one ended (the next stretch, the encoder's next interval, the adjoint's next segment) starts with the
 * step that solve proposed.
 *
 * <p>Parameters live in a device vector the caller owns ({@link #theta()}); the gradient is added into another
 * ({@link #gradient()}). Solvers are built once per batch size; the per-step records grow to the largest batch
 * seen. Not thread-safe.
 */
final class DeviceElbo implements AutoCloseable {

    private final Device kernels;
    private final Device driver;
    private final DeviceMemory memory;
    private final ModelConfig config;
    private final int maxBatch;
    private final int latent;
    private final int types;
    private final int dim;
    private final int hidden;
    private final int inputs;
    private final long theta;
    private final long grad;
    private final DeviceMlp encoderMlp;
    private final DeviceGru gru;
    private final DeviceLinear posterior;
    private final DeviceMlp dynamicsMlp;
    private final DeviceLinear intensity;
    private final DeviceMlp decoder;
    private final EncoderDynamics encoderDynamics;
    private final LatentDynamics latentDynamics;
    private final MaskedSystem encoderSystem;
    private final MaskedSystem latentSystem;
    private final int encoderBase;
    private final int encoderCount;
    private final int latentBase;
    private final int latentCount;
    private final SolverOptions options;
    private final boolean continuous;
    private final Map<Integer, Solvers> solvers = new HashMap<>();
    private final Reducer reducer;
    // Sized for maxBatch.
    private final long h;
    private final long hScratch;
    private final long dh;
    private final long muLogVar;
    private final long dHead;
    private final long epsilon;
    private final long a;
    private final long decoded;
    private final long pre;
    private final long dz;
    private final long klTerms;
    private final long encoderTheta;
    private final long latentTheta;
    // Grow with the batch's grids.
    private final DeviceMemory.Growable hPre;
    private final DeviceMemory.Growable stepMask;
    private final DeviceMemory.Growable stepInput;
    private final DeviceMemory.Growable encoderFlags;
    private final DeviceMemory.Growable latentFlags;
    private final DeviceMemory.Growable path;
    private final DeviceMemory.Growable targetGrad;
    private final DeviceMemory.Growable eventGrad;
    private final DeviceMemory.Growable targetRow;
    private final DeviceMemory.Growable targetValues;
    private final DeviceMemory.Growable targetMask;
    private final DeviceMemory.Growable targetTerms;
    private final DeviceMemory.Growable eventRow;
    private final DeviceMemory.Growable eventType;
    private final DeviceMemory.Growable eventTerms;
    private final DeviceMemory.Growable augmented;
    private final ElboTotals totals = new ElboTotals();
    private BatchPlan plan;
    private int[] targetSlot;
    private int[] eventSlot;

    /**
     * @param layout the model's parameters, for the block offsets (values are not read)
     * @param maxBatch the most windows per call
     * @param stepping how the solves choose their steps, as the JVM path's
     */
    DeviceElbo(Device kernels, ModelConfig config, Parameters layout, int maxBatch,
               BatchedElbo.Stepping stepping) {
        if (config.learnedNoise()) {
            throw new IllegalArgumentException("the device's loss has a fixed observation noise; a model that learns"
                    + " it trains on the CPU backend");
        }
        this.kernels = kernels;
        this.driver = kernels;
        this.memory = new DeviceMemory(driver);
        this.config = config;
        this.maxBatch = maxBatch;
        this.theta = memory.doubles(layout.size());
        this.grad = memory.doubles(layout.size());
        this.encoderMlp = new DeviceMlp(kernels, memory, layout, "encoder.ode", theta, config.activation(), maxBatch);
        this.gru = new DeviceGru(kernels, memory, layout, "encoder.gru", theta, maxBatch);
        this.posterior = new DeviceLinear(kernels, layout, "posterior", theta);
        this.dynamicsMlp = new DeviceMlp(kernels, memory, layout, "dynamics", theta, config.activation(), maxBatch);
        this.intensity = new DeviceLinear(kernels, layout, "intensity", theta);
        this.decoder = new DeviceMlp(kernels, memory, layout, "decoder", theta, config.activation(), maxBatch);
        // The widths as the layers read them off the layout.
        this.hidden = encoderMlp.in();
        this.inputs = config.encoderInputSize();
        this.latent = dynamicsMlp.in();
        this.types = intensity.out;
        this.dim = decoder.out();
        this.encoderBase = layout.block("encoder.ode.layer0.weight").offset();
        this.encoderCount = layout.block("encoder.ode.layer1.bias").end() - encoderBase;
        this.latentBase = layout.block("dynamics.layer0.weight").offset();
        this.latentCount = layout.block("intensity.bias").end() - latentBase;
        this.encoderDynamics = new EncoderDynamics(encoderMlp, encoderBase, encoderCount);
        this.latentDynamics = new LatentDynamics(kernels, memory, dynamicsMlp, intensity, latentBase, latentCount,
                maxBatch);
        this.encoderSystem = new MaskedSystem(kernels, memory, encoderDynamics, maxBatch * hidden);
        this.latentSystem = new MaskedSystem(kernels, memory, latentDynamics, maxBatch * (latent + types));
        this.continuous = stepping == BatchedElbo.Stepping.CONTINUOUS;
        this.options = stepping.solverOptions(config);
        this.reducer = new Reducer(kernels, memory);
        this.h = memory.doubles((long) maxBatch * hidden);
        this.hScratch = memory.doubles((long) maxBatch * hidden);
        this.dh = memory.doubles((long) maxBatch * hidden);
        this.muLogVar = memory.doubles(2L * maxBatch * latent);
        this.dHead = memory.doubles(2L * maxBatch * latent);
        this.epsilon = memory.doubles((long) maxBatch * latent);
        this.a = memory.doubles((long) maxBatch * (latent + types));
        this.decoded = memory.doubles((long) maxBatch * dim);
        this.pre = memory.doubles((long) maxBatch * types);
        this.dz = memory.doubles((long) maxBatch * latent);
        this.klTerms = memory.doubles(maxBatch);
        this.encoderTheta = memory.doubles(encoderCount);
        this.latentTheta = memory.doubles(latentCount);
        this.hPre = memory.growable();
        this.stepMask = memory.growable();
        this.stepInput = memory.growable();
        this.encoderFlags = memory.growable();
        this.latentFlags = memory.growable();
        this.path = memory.growable();
        this.targetGrad = memory.growable();
        this.eventGrad = memory.growable();
        this.targetRow = memory.growable();
        this.targetValues = memory.growable();
        this.targetMask = memory.growable();
        this.targetTerms = memory.growable();
        this.eventRow = memory.growable();
        this.eventType = memory.growable();
        this.eventTerms = memory.growable();
        this.augmented = memory.growable();
    }

    /** @return the device vector of parameter values, the model's flat layout */
    long theta() {
        return theta;
    }

    /** @return the device vector the gradient is added into */
    long gradient() {
        return grad;
    }

    /**
     * The summed negative ELBO of a batch, and (when {@code withGradient}) its gradient added into
     * {@link #gradient()}.
     *
     * @param noise {@code rows x L} standard normals, one row per window. Not modified.
     * @return {@code -(gaussian + poisson) + beta KL} summed over the batch
     * @throws dev.odestream.ode.OdeSolverException if a solve fails
     */
    double run(List<Series> batch, double[] noise, double beta, boolean withGradient) {
        int rows = batch.size();
        ElboTotals.checkBatch(rows, maxBatch);
        plan = new BatchPlan(batch, config);
        encoderDynamics.setRows(rows);
        latentDynamics.setRows(rows);
        Solvers s = solvers.computeIfAbsent(rows, Solvers::new);
        totals.begin(s.evaluations());
        upload(noise);
        encode(s);
        solveLatent(s);
        score();
        totals.forwardDone(s.evaluations());
        if (withGradient) {
            backwardLatent(s);
            backwardPosterior(beta);
            backwardEncoder(s);
            totals.backwardDone(s.evaluations());
        }
        return totals.negativeElbo(beta);
    }

    /** @return the summed terms of the last run and the evaluations since construction */
    ElboTotals totals() {
        return totals;
    }

    // ---------------------------------------------------------------- the batch's data

    private void upload(double[] noise) {
        BatchPlan p = plan;
        int rows = p.rows;
        driver.upload(noise, 0, rows * latent, epsilon);
        driver.upload(p.stepMask, 0, p.stepMask.length, stepMask.ensure(ints(p.stepMask.length)));
        driver.upload(p.stepInput, 0, p.stepInput.length, stepInput.ensure(p.stepInput.length));
        driver.upload(p.encoderFlags, 0, p.encoderFlags.length, encoderFlags.ensure(ints(p.encoderFlags.length)));
        driver.upload(p.latentFlags, 0, p.latentFlags.length, latentFlags.ensure(ints(p.latentFlags.length)));
        int targets = p.targets.count();
        int events = p.events.count();
        driver.upload(p.targets.row(), 0, targets, targetRow.ensure(ints(targets)));
        driver.upload(p.targetValues, 0, p.targetValues.length, targetValues.ensure(p.targetValues.length));
        driver.upload(p.targetMask, 0, p.targetMask.length, targetMask.ensure(ints(p.targetMask.length)));
        driver.upload(p.events.row(), 0, events, eventRow.ensure(ints(events)));
        driver.upload(p.events.type(), 0, events, eventType.ensure(ints(events)));
        targetTerms.ensure(3L * targets);
        eventTerms.ensure(events);
        hPre.ensure((long) p.steps() * rows * hidden);
        path.ensure((long) p.latentGrid.length * rows * (latent + types));
        targetSlot = slots(p.targets, p.latentGrid.length);
        eventSlot = slots(p.events, p.latentGrid.length);
        targetGrad.ensure((long) targetSlot[p.latentGrid.length] * rows * dim);
        eventGrad.ensure((long) eventSlot[p.latentGrid.length] * rows * types);
    }

    private static long ints(long n) {
        return (n + 1) / 2;
    }

    /** The compact index of each grid time that has entries, -1 elsewhere; the last element is their count. */
    private static int[] slots(BatchPlan.Entries entries, int size) {
        int[] slot = new int[size + 1];
        int next = 0;
        for (int g = 0; g < size; g++) {
            slot[g] = entries.any(g) ? next++ : -1;
        }
        slot[size] = next;
        return slot;
    }

    // ---------------------------------------------------------------- forward

    private void encode(Solvers s) {
        BatchPlan p = plan;
        int rows = p.rows;
        long state = (long) rows * hidden;
        driver.zero(h, state);
        int step = 0;
        for (int i = 0; i < p.contextGrid.length; i++) {
            if (i > 0 && p.encoderAny[i]) {
                encoderSystem.setActive(encoderFlags.pointer() + 4L * i * rows, p.encoderAll[i]);
                s.encoderForward.integrate(encoderSystem.forward(), p.contextGrid[i - 1], h, p.contextGrid[i], h);
            }
            for (; step < p.steps() && p.stepUnion[step] == i; step++) {
                driver.copy(h, hPre.pointer() + 8L * step * state, state);
                gru.forward(stepInputAt(step), h, stepMaskAt(step), rows);
            }
        }
        posterior.forward(h, muLogVar, muLogVar, rows, 0);
    }

    private long stepInputAt(int step) {
        return stepInput.pointer() + 8L * step * plan.rows * inputs;
    }

    private long stepMaskAt(int step) {
        return stepMask.pointer() + 4L * step * plan.rows;
    }

    private long pathAt(int g) {
        return path.pointer() + 8L * g * plan.rows * (latent + types);
    }

    private void solveLatent(Solvers s) {
        BatchPlan p = plan;
        int rows = p.rows;
        int n = rows * (latent + types);
        kernels.run("initial_state", n, muLogVar, epsilon, pathAt(0), rows, latent, types);
        if (continuous) {
            solveStretches(s);
            return;
        }
        for (int g = 1; g < p.latentGrid.length; g++) {
            if (p.latentAny[g]) {
                latentSystem.setActive(latentFlags.pointer() + 4L * g * rows, p.latentAll[g]);
                s.latentForward.integrate(latentSystem.forward(), p.latentGrid[g - 1], pathAt(g - 1),
                        p.latentGrid[g], pathAt(g));
            } else {
                driver.copy(pathAt(g - 1), pathAt(g), n);
            }
        }
    }

    /** The latent path in one dense-output pass per stretch of segments over which the same rows move. */
    private void solveStretches(Solvers s) {
        BatchPlan p = plan;
        int n = p.rows * (latent + types);
        int g = 1;
        while (g < p.latentGrid.length) {
            int end = p.latentStretchEnd(g);
            if (p.latentAny[g]) {
                latentSystem.setActive(latentFlags.pointer() + 4L * g * p.rows, p.latentAll[g]);
                s.latentForward.integrate(latentSystem.forward(), p.latentGrid[g - 1], pathAt(g - 1), p.latentGrid,
                        g, end, path.pointer(), n);
            } else {
                for (int i = g; i < end; i++) {
                    driver.copy(pathAt(i - 1), pathAt(i), n);
                }
            }
            g = end;
        }
    }

    /** The three terms, and the jumps the backward pass adds at every grid time. */
    private void score() {
        BatchPlan p = plan;
        int rows = p.rows;
        double sigma = config.observationStd();
        double constant = ElboTotals.gaussianConstant(sigma);
        int targets = p.targets.count();
        long ll = targetTerms.pointer();
        long sq = ll + 8L * targets;
        long scored = sq + 8L * targets;
        for (int g = 0; g < p.latentGrid.length; g++) {
            if (targetSlot[g] >= 0) {
                long dOut = targetGrad.pointer() + 8L * targetSlot[g] * rows * dim;
                decoder.forward(pathAt(g), decoded, rows);
                driver.zero(dOut, (long) rows * dim);
                for (int q = p.targets.passStart()[g]; q < p.targets.passStart()[g + 1]; q++) {
                    int first = p.targets.passFirst()[q];
                    int count = p.targets.passFirst()[q + 1] - first;
                    kernels.run("target_terms", count, decoded, targetRow.pointer(), targetValues.pointer(),
                            targetMask.pointer(), first, count, dim, sigma, constant, dOut, ll, sq, scored);
                }
            }
            if (eventSlot[g] >= 0) {
                long dPre = eventGrad.pointer() + 8L * eventSlot[g] * rows * types;
                intensity.forward(pathAt(g), pre, pre, rows, 0);
                driver.zero(dPre, (long) rows * types);
                for (int q = p.events.passStart()[g]; q < p.events.passStart()[g + 1]; q++) {
                    int first = p.events.passFirst()[q];
                    int count = p.events.passFirst()[q + 1] - first;
                    kernels.run("event_terms", count, pre, eventRow.pointer(), eventType.pointer(), first, count,
                            types, Math.log(Double.MIN_VALUE), dPre, eventTerms.pointer());
                }
            }
        }
        kernels.run("kl_terms", rows, muLogVar, klTerms, rows, latent);
        double gaussian = reducer.sum(ll, targets);
        double squaredError = reducer.sum(sq, targets);
        long scoredValues = Math.round(reducer.sum(scored, targets));
        long end = pathAt(p.latentGrid.length - 1) + 8L * rows * latent;
        double poisson = reducer.sum(eventTerms.pointer(), p.events.count()) - reducer.sum(end, (long) rows * types);
        totals.record(gaussian, poisson, reducer.sum(klTerms, rows), squaredError, scoredValues);
    }

    // ---------------------------------------------------------------- backward

    private void backwardLatent(Solvers s) {
        BatchPlan p = plan;
        int rows = p.rows;
        int n = rows * (latent + types);
        driver.zero(a, (long) rows * latent);
        kernels.run("fill", (long) rows * types, a + 8L * rows * latent, rows * types, 1.0);
        driver.zero(latentTheta, latentCount);
        for (int g = p.latentGrid.length - 1; g >= 0; g--) {
            addJumps(g);
            if (g > 0 && p.latentAny[g]) {
                latentSystem.setActive(latentFlags.pointer() + 4L * g * rows, p.latentAll[g]);
                backwardSegment(s.latentBackward, latentSystem, p.latentGrid[g], pathAt(g), p.latentGrid[g - 1], a,
                        n, latentCount, latentTheta);
            }
        }
        kernels.run("add_into", latentCount, latentTheta, grad + 8L * latentBase, latentCount);
    }

    private void addJumps(int g) {
        int rows = plan.rows;
        int zSize = rows * latent;
        if (targetSlot[g] >= 0) {
            decoder.forward(pathAt(g), decoded, rows);
            decoder.backward(targetGrad.pointer() + 8L * targetSlot[g] * rows * dim, dz, rows, grad, 0);
            kernels.run("add_into", zSize, dz, a, zSize);
        }
        if (eventSlot[g] >= 0) {
            long dPre = eventGrad.pointer() + 8L * eventSlot[g] * rows * types;
            intensity.backwardParams(dPre, pathAt(g), rows, grad, 0);
            intensity.backwardInput(dPre, dz, rows);
            kernels.run("add_into", zSize, dz, a, zSize);
        }
    }

    /**
     * Algorithm 1 over one interval: {@code [y(t1), a, 0]} integrated back to {@code t0}; {@code a} becomes
     * {@code a(t0)} and the parameter part is added to {@code theta}.
     */
    private void backwardSegment(DeviceDopri5 solver, MaskedSystem system, double t1, long y1, double t0, long adj,
                                 int n, int count, long thetaOut) {
        long z = augmented.pointer();
        driver.copy(y1, z, n);
        driver.copy(adj, z + 8L * n, n);
        driver.zero(z + 16L * n, count);
        solver.integrate(system.augmented(), t1, z, t0, z);
        driver.copy(z + 8L * n, adj, n);
        kernels.run("add_into", count, z + 16L * n, thetaOut, count);
    }

    /** Through the reparameterisation, plus {@code beta KL}, and the posterior head into {@code dL/dh(tau_b)}. */
    private void backwardPosterior(double beta) {
        int rows = plan.rows;
        kernels.run("posterior_grad", (long) rows * latent, a, muLogVar, epsilon, beta, dHead, rows, latent);
        posterior.backwardParams(dHead, h, rows, grad, 0);
        posterior.backwardInput(dHead, dh, rows);
    }

    private void backwardEncoder(Solvers s) {
        BatchPlan p = plan;
        int rows = p.rows;
        long state = (long) rows * hidden;
        driver.zero(encoderTheta, encoderCount);
        for (int step = p.steps() - 1; step >= 0; step--) {
            long before = hPre.pointer() + 8L * step * state;
            driver.copy(before, hScratch, state);
            gru.forward(stepInputAt(step), hScratch, stepMaskAt(step), rows);
            gru.backward(stepInputAt(step), before, stepMaskAt(step), dh, rows, grad);
            int i = p.stepUnion[step];
            boolean firstAtTime = step == 0 || p.stepUnion[step - 1] != i;
            if (firstAtTime && i > 0 && p.encoderAny[i]) {
                encoderSystem.setActive(encoderFlags.pointer() + 4L * i * rows, p.encoderAll[i]);
                backwardSegment(s.encoderBackward, encoderSystem, p.contextGrid[i], before, p.contextGrid[i - 1],
                        dh, (int) state, encoderCount, encoderTheta);
            }
        }
        kernels.run("add_into", encoderCount, encoderTheta, grad + 8L * encoderBase, encoderCount);
    }

    @Override
    public void close() {
        solvers.values().forEach(Solvers::close);
        solvers.clear();
        memory.close();
    }

    /** The four solvers of one batch size, and the buffer of the larger augmented state. */
    private final class Solvers implements AutoCloseable {

        final DeviceDopri5 encoderForward;
        final DeviceDopri5 encoderBackward;
        final DeviceDopri5 latentForward;
        final DeviceDopri5 latentBackward;

        Solvers(int rows) {
            int nEnc = rows * hidden;
            int nLat = rows * (latent + types);
            encoderForward = new DeviceDopri5(kernels, nEnc, options);
            latentForward = new DeviceDopri5(kernels, nLat, options);
            encoderBackward = new DeviceDopri5(kernels, 2 * nEnc + encoderCount,
                    options.toBuilder().errorExcludedFrom(2 * nEnc).build());
            latentBackward = new DeviceDopri5(kernels, 2 * nLat + latentCount,
                    options.toBuilder().errorExcludedFrom(2 * nLat).build());
            augmented.ensure(Math.max(2L * nEnc + encoderCount, 2L * nLat + latentCount));
        }

        long evaluations() {
            return encoderForward.evaluations() + encoderBackward.evaluations() + latentForward.evaluations()
                    + latentBackward.evaluations();
        }

        @Override
        public void close() {
            encoderForward.close();
            encoderBackward.close();
            latentForward.close();
            latentBackward.close();
        }
    }
}
