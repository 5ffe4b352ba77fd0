package dev.odestream.cuda;

import dev.odestream.model.Window;

/**
 * One training window's arrays, read once from the {@link Window} (whose accessors copy) so that planning a batch
 * step after step copies nothing.
 */
record Series(Window window, double[] contextTimes, double[][] contextValues, boolean[][] contextMasks,
              int[] contextTypes, double[] targetTimes, double[][] targetValues, boolean[][] targetMasks,
              double[] eventTimes, int[] eventTypes, double end) {

    static Series of(Window w) {
        return new Series(w, w.contextTimes(), w.contextValues(), w.contextMasks(), w.contextTypes(),
                w.targetTimes(), w.targetValues(), w.targetMasks(), w.eventTimes(), w.eventTypes(), w.end());
    }

    double tau() {
        return contextTimes[contextTimes.length - 1];
    }
}
