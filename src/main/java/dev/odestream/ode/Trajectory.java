package dev.odestream.ode;

import java.util.Arrays;

/**
 * A solution recorded step by step by {@link OdeSolver#solve}: every accepted step's own interpolant, so the state is
 * available anywhere in {@code [tStart, tEnd]} (either direction of time) at the accuracy of the method's dense output.
 *
 * <p>Buffers grow by doubling and are kept when the trajectory is passed back to {@code solve} for reuse; after they
 * have grown, recording, {@link #stateAt} and {@link #firstCrossing} allocate nothing. Not thread-safe.
 */
public final class Trajectory {

    private static final int EVENT_SAMPLES_PER_STEP = 4;
    private static final int MAX_ROOT_ITERATIONS = 100;

    private int n;
    private int degree;
    private int blockSize;
    private int steps;
    private double[] times = new double[16];
    private double[] blocks = new double[0];
    private double[] yEnd = new double[0];
    private double[] scratch = new double[0];

    /** Creates an empty trajectory; {@link OdeSolver#solve} fills it. */
    public Trajectory() {
    }

    /** Clears the trajectory and starts a new one at {@code t0}; keeps the buffers. */
    void reset(Tableau tableau, int dimension, double t0, double[] y0) {
        n = dimension;
        degree = tableau.denseDegree();
        blockSize = Interpolant.blockSize(tableau, n);
        steps = 0;
        times[0] = t0;
        if (yEnd.length != n) {
            yEnd = new double[n];
            scratch = new double[n];
        }
        System.arraycopy(y0, 0, yEnd, 0, n);
    }

    /** Appends a step ending at {@code t1}, fitting its interpolant in place. */
    void append(Tableau tableau, double t1, double[] y0, double[] y1, double[][] k, double[] f1) {
        ensureCapacity(steps + 1);
        double h = t1 - times[steps];
        Interpolant.fit(tableau, h, y0, y1, k, f1, blocks, steps * blockSize);
        steps++;
        times[steps] = t1;
        System.arraycopy(y1, 0, yEnd, 0, n);
    }

    private void ensureCapacity(int stepCount) {
        if (times.length < stepCount + 1) {
            times = Arrays.copyOf(times, Math.max(2 * times.length, stepCount + 1));
        }
        if (blocks.length < stepCount * blockSize) {
            blocks = Arrays.copyOf(blocks, Math.max(2 * blocks.length, stepCount * blockSize));
        }
    }

    /** @return the state dimension. */
    public int dimension() {
        return n;
    }

    /** @return the initial time. */
    public double tStart() {
        return times[0];
    }

    /** @return the final time (before {@link #tStart()} for a backward solve). */
    public double tEnd() {
        return times[steps];
    }

    /** @return the number of accepted steps recorded. */
    public int steps() {
        return steps;
    }

    /**
     * @param i boundary index in {@code [0, steps()]}
     * @return the time of step boundary {@code i}: {@code time(0) == tStart()}, {@code time(steps()) == tEnd()}
     */
    public double time(int i) {
        if (i < 0 || i > steps) {
            throw new IndexOutOfBoundsException("boundary " + i + " of " + steps + " steps");
        }
        return times[i];
    }

    /**
     * Interpolates the state.
     *
     * @param t a time in {@code [tStart, tEnd]} (or {@code [tEnd, tStart]} for a backward solve)
     * @param out receives {@code y(t)}, length {@link #dimension()}. Modified.
     * @throws IllegalArgumentException if {@code t} is outside the recorded range
     */
    public void stateAt(double t, double[] out) {
        if (out.length != n) {
            throw new IllegalArgumentException("out has length " + out.length + ", expected " + n);
        }
        if (!contains(t)) {
            throw new IllegalArgumentException("t = " + t + " is outside the trajectory [" + tStart() + ", " + tEnd()
                    + "]");
        }
        if (t == tEnd()) {
            System.arraycopy(yEnd, 0, out, 0, n);
            return;
        }
        evaluateInStep(findStep(t), t, out);
    }

    private boolean contains(double t) {
        double lo = Math.min(tStart(), tEnd());
        double hi = Math.max(tStart(), tEnd());
        return t >= lo && t <= hi;
    }

    /** @return the step {@code j} with {@code t} in {@code [times[j], times[j+1])} along the direction of time. */
    private int findStep(double t) {
        double direction = Math.signum(tEnd() - tStart());
        int lo = 0;
        int hi = steps - 1;
        while (lo < hi) {
            int mid = (lo + hi + 1) >>> 1;
            if ((t - times[mid]) * direction >= 0) {
                lo = mid;
            } else {
                hi = mid - 1;
            }
        }
        return lo;
    }

    private void evaluateInStep(int step, double t, double[] out) {
        double theta = (t - times[step]) / (times[step + 1] - times[step]);
        Interpolant.evaluate(blocks, step * blockSize, degree, theta, out);
    }

    /**
     * Finds the first time, in the direction of integration, where {@code g(t, y(t))} changes sign or reaches zero
     * (a zero at {@code tStart} itself does not count). Each step is sampled at a few interior points, then the
     * crossing is bracketed and refined by the Illinois variant of regula falsi on the interpolant. Crossings in pairs
     * closer together than the sampling are missed.
     *
     * @param g the event function. Not modified.
     * @param tolerance the time accuracy wanted, positive
     * @return the crossing time within {@code tolerance}, or NaN if there is none
     */
    public double firstCrossing(EventFunction g, double tolerance) {
        if (!(tolerance > 0)) {
            throw new IllegalArgumentException("tolerance must be > 0, got " + tolerance);
        }
        if (steps == 0) {
            return Double.NaN;
        }
        double tA = tStart();
        double gA = g.value(tA, startState());
        for (int step = 0; step < steps; step++) {
            for (int sample = 1; sample <= EVENT_SAMPLES_PER_STEP; sample++) {
                double tB = sampleTime(step, sample);
                double gB = eventAt(g, step, tB);
                if (gB == 0 || (gA != 0 && (gA < 0) != (gB < 0))) {
                    return gB == 0 ? tB : refine(g, step, tA, gA, tB, gB, tolerance);
                }
                tA = tB;
                gA = gB;
            }
        }
        return Double.NaN;
    }

    private double[] startState() {
        Interpolant.evaluate(blocks, 0, degree, 0.0, scratch);
        return scratch;
    }

    private double sampleTime(int step, int sample) {
        if (sample == EVENT_SAMPLES_PER_STEP) {
            return times[step + 1];
        }
        return times[step] + (times[step + 1] - times[step]) * sample / EVENT_SAMPLES_PER_STEP;
    }

    private double eventAt(EventFunction g, int step, double t) {
        evaluateInStep(step, t, scratch);
        return g.value(t, scratch);
    }

    /** Illinois: regula falsi that halves the stale end's value when the same end is kept twice running. */
    private double refine(EventFunction g, int step, double a, double ga, double b, double gb, double tolerance) {
        int keptSide = 0;
        for (int iteration = 0; iteration < MAX_ROOT_ITERATIONS && Math.abs(b - a) > tolerance; iteration++) {
            double x = iteration % 8 == 7 ? 0.5 * (a + b) : b - gb * (b - a) / (gb - ga);
            double gx = eventAt(g, step, x);
            if (gx == 0) {
                return x;
            }
            if ((gx < 0) == (gb < 0)) {
                b = x;
                gb = gx;
                ga = keptSide == -1 ? 0.5 * ga : ga;
                keptSide = -1;
            } else {
                a = x;
                ga = gx;
                gb = keptSide == 1 ? 0.5 * gb : gb;
                keptSide = 1;
            }
        }
        return 0.5 * (a + b);
    }
}
