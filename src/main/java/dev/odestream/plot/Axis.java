package dev.odestream.plot;

import java.util.Locale;

/**
 * A linear axis range with "nice" tick spacing (1, 2 or 5 times a power of ten).
 *
 * @param min lower end.
 * @param max upper end, greater than {@code min}.
 * @param step tick spacing.
 */
record Axis(double min, double max, double step) {

    private static final int TARGET_TICKS = 5;

    /** Snaps outwards to ticks around data in {@code [lo, hi]}; NaN or infinite bounds give {@code [0, 1]}. */
    static Axis around(double lo, double hi) {
        if (!Double.isFinite(lo) || !Double.isFinite(hi)) {
            return around(0, 1);
        }
        if (lo == hi) {
            double pad = Math.max(Math.abs(lo) * 0.1, 0.5);
            return around(lo - pad, hi + pad);
        }
        double step = niceStep((hi - lo) / TARGET_TICKS);
        return new Axis(Math.floor(lo / step) * step, Math.ceil(hi / step) * step, step);
    }

    /** Exactly {@code [min, max]}, with nice ticks inside. */
    static Axis exactly(double min, double max) {
        if (!(max > min) || !Double.isFinite(max - min)) {
            throw new IllegalArgumentException("axis range needs min < max, got [" + min + ", " + max + "]");
        }
        return new Axis(min, max, niceStep((max - min) / TARGET_TICKS));
    }

    /** @return the same axis widened about its centre to {@code span}, if that is wider. */
    Axis widenedTo(double span) {
        if (span <= max - min) {
            return this;
        }
        double center = (min + max) / 2;
        return exactly(center - span / 2, center + span / 2);
    }

    static double niceStep(double raw) {
        double magnitude = Math.pow(10, Math.floor(Math.log10(raw)));
        double fraction = raw / magnitude;
        double nice = fraction <= 1 ? 1 : fraction <= 2 ? 2 : fraction <= 5 ? 5 : 10;
        return nice * magnitude;
    }

    /** @return the tick positions inside {@code [min, max]}, as integer multiples of the step. */
    double[] ticks() {
        long first = (long) Math.ceil(min / step - 1e-9);
        long last = (long) Math.floor(max / step + 1e-9);
        double[] ticks = new double[(int) Math.max(0, last - first + 1)];
        for (int i = 0; i < ticks.length; i++) {
            ticks[i] = (first + i) * step;
        }
        return ticks;
    }

    /** @return a tick label with as many decimals as the step needs. */
    String label(double value) {
        int decimals = (int) Math.max(0, -Math.floor(Math.log10(step) + 1e-9));
        String text = String.format(Locale.ROOT, "%." + decimals + "f", value);
        return text.matches("-0(\\.0*)?") ? text.substring(1) : text;
    }

    /** @return the fraction of the way from {@code min} to {@code max}. */
    double fraction(double value) {
        return (value - min) / (max - min);
    }
}
