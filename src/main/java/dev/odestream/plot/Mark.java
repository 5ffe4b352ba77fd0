package dev.odestream.plot;

/**
 * One thing drawn in a panel: a mark, in the grammar-of-graphics sense (a line, points, a band, a rug). Arrays are
 * copied on the way in; non-finite values are skipped when drawing.
 */
sealed interface Mark {

    /** @return the legend label; empty for none. */
    String label();

    /** @return the style. */
    Style style();

    /** A polyline through {@code (x[i], y[i])}; a non-finite point breaks it. */
    record Line(String label, Style style, double[] x, double[] y) implements Mark {
        public Line {
            x = x.clone();
            y = y.clone();
            Mark.requireSameLength(x, y);
        }
    }

    /** A circle at each {@code (x[i], y[i])}. */
    record Scatter(String label, Style style, double[] x, double[] y) implements Mark {
        public Scatter {
            x = x.clone();
            y = y.clone();
            Mark.requireSameLength(x, y);
        }
    }

    /** The filled region between {@code lower} and {@code upper} over {@code x}. */
    record Band(String label, Style style, double[] x, double[] lower, double[] upper) implements Mark {
        public Band {
            x = x.clone();
            lower = lower.clone();
            upper = upper.clone();
            Mark.requireSameLength(x, lower);
            Mark.requireSameLength(x, upper);
        }
    }

    /** A short vertical tick at each time along the bottom of the plot area: a rug of events. */
    record Rug(String label, Style style, double[] x) implements Mark {
        public Rug {
            x = x.clone();
        }
    }

    private static void requireSameLength(double[] a, double[] b) {
        if (a.length != b.length) {
            throw new IllegalArgumentException("coordinate arrays differ in length: " + a.length + " vs "
                    + b.length);
        }
    }
}
