package dev.odestream.cuda;

import dev.odestream.model.ModelConfig;

import java.util.Arrays;
import java.util.List;

/**
 * Everything about one batch that depends on its data alone, laid out as the device reads it, in the order
 * {@code dev.odestream.model.BatchedElbo} works: the union grid of the context times with the masked GRU passes
 * (which rows have an event at each pass, and their inputs {@code [x * mask, mask, one-hot(type)]}); which rows
 * the encoder ODE moves over each union interval; the union grid of every {@code tau}, target time, event time and
 * end, with which rows the latent path moves over each interval; and the targets and events at each grid time,
 * split into passes in which a row appears at most once. Built on the host once per step.
 */
final class BatchPlan {

    final int rows;
    final double[] contextGrid;
    /** The union index of each GRU pass, in order. */
    final int[] stepUnion;
    /** {@code steps x rows}: 1 where the row has an event at that pass. */
    final int[] stepMask;
    /** {@code steps x rows x inputs}. */
    final double[] stepInput;
    /** {@code size x rows} per grid: 1 where the row moves over the interval ending at that index (index 0 unused). */
    final int[] encoderFlags;
    final boolean[] encoderAny;
    final boolean[] encoderAll;
    final double[] latentGrid;
    final int[] latentFlags;
    final boolean[] latentAny;
    final boolean[] latentAll;
    final Entries targets;
    final Entries events;
    /** Target rows: values and masks, {@code entries x dim}. */
    final double[] targetValues;
    final int[] targetMask;

    /**
     * Entries at grid times, pass by pass.
     *
     * @param row the row of each entry
     * @param type the event type of each entry (events only)
     * @param passStart per grid index, the index into {@code passFirst} of its first pass; {@code size + 1} long
     * @param passFirst the first entry of each pass, with one more element marking the end
     */
    record Entries(int[] row, int[] type, int[] passStart, int[] passFirst) {

        boolean any(int g) {
            return passStart[g + 1] > passStart[g];
        }

        int count() {
            return passFirst[passFirst.length - 1];
        }
    }

    BatchPlan(List<Series> batch, ModelConfig config) {
        this.rows = batch.size();
        int dim = config.observationDim();
        // The device indexes by type and reads dim values: checked as the JVM path checks them.
        batch.forEach(s -> s.window().checkShape(dim, config.eventTypes()));
        int inputs = config.encoderInputSize();
        this.contextGrid = union(batch, true);
        int[] passes = passes(batch);
        int steps = Arrays.stream(passes).sum();
        this.stepUnion = new int[steps];
        this.stepMask = new int[steps * rows];
        this.stepInput = new double[steps * rows * inputs];
        fillSteps(batch, passes, dim, inputs);
        int size = contextGrid.length;
        this.encoderFlags = new int[size * rows];
        this.encoderAny = new boolean[size];
        this.encoderAll = new boolean[size];
        for (int i = 1; i < size; i++) {
            for (int b = 0; b < rows; b++) {
                Series s = batch.get(b);
                boolean moves = s.contextTimes()[0] <= contextGrid[i - 1] && contextGrid[i] <= s.tau();
                setFlag(encoderFlags, encoderAny, encoderAll, i, b, moves);
            }
        }
        this.latentGrid = union(batch, false);
        int latentSize = latentGrid.length;
        this.latentFlags = new int[latentSize * rows];
        this.latentAny = new boolean[latentSize];
        this.latentAll = new boolean[latentSize];
        for (int g = 1; g < latentSize; g++) {
            for (int b = 0; b < rows; b++) {
                Series s = batch.get(b);
                boolean moves = s.tau() <= latentGrid[g - 1] && latentGrid[g] <= s.end();
                setFlag(latentFlags, latentAny, latentAll, g, b, moves);
            }
        }
        this.targets = entries(batch, true);
        this.events = entries(batch, false);
        this.targetValues = new double[targets.count() * dim];
        this.targetMask = new int[targets.count() * dim];
        fillTargets(batch, dim);
    }

    /**
     * The end of the stretch of latent segments from {@code g} over which the same rows move as over segment
     * {@code g}: a row starting or stopping changes the dynamics, so a solve through several grid times stops there.
     *
     * @param g a segment, {@code 1 <= g < latentGrid.length}
     * @return the first segment after {@code g} whose moving rows differ, or {@code latentGrid.length}
     */
    int latentStretchEnd(int g) {
        int end = g + 1;
        while (end < latentGrid.length
                && Arrays.equals(latentFlags, end * rows, (end + 1) * rows, latentFlags, g * rows, (g + 1) * rows)) {
            end++;
        }
        return end;
    }

    int steps() {
        return stepUnion.length;
    }

    private void setFlag(int[] flags, boolean[] any, boolean[] all, int i, int b, boolean moves) {
        if (b == 0) {
            all[i] = true;
        }
        flags[i * rows + b] = moves ? 1 : 0;
        any[i] |= moves;
        all[i] &= moves;
    }

    /** The sorted distinct times: of the contexts, or of every tau, target, event and end. */
    private static double[] union(List<Series> batch, boolean context) {
        int n = 0;
        for (Series s : batch) {
            n += context ? s.contextTimes().length : 2 + s.targetTimes().length + s.eventTimes().length;
        }
        double[] all = new double[n];
        int k = 0;
        for (Series s : batch) {
            if (context) {
                System.arraycopy(s.contextTimes(), 0, all, k, s.contextTimes().length);
                k += s.contextTimes().length;
            } else {
                all[k++] = s.tau();
                System.arraycopy(s.targetTimes(), 0, all, k, s.targetTimes().length);
                k += s.targetTimes().length;
                System.arraycopy(s.eventTimes(), 0, all, k, s.eventTimes().length);
                k += s.eventTimes().length;
                all[k++] = s.end();
            }
        }
        Arrays.sort(all);
        int distinct = 0;
        for (int i = 0; i < n; i++) {
            if (distinct == 0 || all[distinct - 1] != all[i]) {
                all[distinct++] = all[i];
            }
        }
        return Arrays.copyOf(all, distinct);
    }

    /** GRU passes per union time: the most events any one series has at that time. */
    private int[] passes(List<Series> batch) {
        int[] passes = new int[contextGrid.length];
        for (Series s : batch) {
            double[] t = s.contextTimes();
            int run = 0;
            for (int e = 0; e < t.length; e++) {
                run = e > 0 && t[e] == t[e - 1] ? run + 1 : 1;
                int i = Arrays.binarySearch(contextGrid, t[e]);
                passes[i] = Math.max(passes[i], run);
            }
        }
        return passes;
    }

    private void fillSteps(List<Series> batch, int[] passes, int dim, int inputs) {
        int[] cursor = new int[rows];
        int s = 0;
        for (int i = 0; i < contextGrid.length; i++) {
            for (int p = 0; p < passes[i]; p++, s++) {
                stepUnion[s] = i;
                for (int b = 0; b < rows; b++) {
                    Series w = batch.get(b);
                    int c = cursor[b];
                    if (c < w.contextTimes().length && w.contextTimes()[c] == contextGrid[i]) {
                        stepMask[s * rows + b] = 1;
                        fillInput(w, c, (s * rows + b) * inputs, dim);
                        cursor[b]++;
                    }
                }
            }
        }
    }

    /** {@code [x * mask, mask, one-hot(type)]}, as the batched encoder's input. */
    private void fillInput(Series w, int c, int at, int dim) {
        double[] values = w.contextValues()[c];
        boolean[] mask = w.contextMasks()[c];
        if (values != null) {
            for (int d = 0; d < dim; d++) {
                if (mask == null || mask[d]) {
                    stepInput[at + d] = values[d];
                    stepInput[at + dim + d] = 1.0;
                }
            }
        }
        stepInput[at + 2 * dim + w.contextTypes()[c]] = 1.0;
    }

    /** Targets or events at each latent grid time, pass {@code p} holding each row's {@code p}-th entry there. */
    private Entries entries(List<Series> batch, boolean target) {
        int total = 0;
        for (Series s : batch) {
            total += target ? s.targetTimes().length : s.eventTimes().length;
        }
        int[] row = new int[total];
        int[] type = new int[target ? 0 : total];
        int[] passStart = new int[latentGrid.length + 1];
        int[] passFirst = new int[total + 1];
        int[] cursor = new int[rows];
        int e = 0;
        int pass = 0;
        for (int g = 0; g < latentGrid.length; g++) {
            passStart[g] = pass;
            double t = latentGrid[g];
            boolean more = true;
            while (more) {
                more = false;
                int first = e;
                for (int b = 0; b < rows; b++) {
                    Series s = batch.get(b);
                    double[] times = target ? s.targetTimes() : s.eventTimes();
                    if (cursor[b] < times.length && times[cursor[b]] == t) {
                        row[e] = b;
                        if (!target) {
                            type[e] = s.eventTypes()[cursor[b]];
                        }
                        e++;
                        cursor[b]++;
                        more = true;
                    }
                }
                if (more) {
                    passFirst[pass++] = first;
                }
            }
        }
        passStart[latentGrid.length] = pass;
        passFirst[pass] = e;
        return new Entries(row, type, passStart, Arrays.copyOf(passFirst, pass + 1));
    }

    private void fillTargets(List<Series> batch, int dim) {
        int[] cursor = new int[rows];
        for (int e = 0; e < targets.count(); e++) {
            int b = targets.row()[e];
            Series s = batch.get(b);
            int j = cursor[b]++;
            double[] values = s.targetValues()[j];
            boolean[] mask = s.targetMasks()[j];
            for (int d = 0; d < dim; d++) {
                targetValues[e * dim + d] = values[d];
                targetMask[e * dim + d] = mask == null || mask[d] ? 1 : 0;
            }
        }
    }
}
