package dev.odestream.plot;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * One plot in a {@link Figure}: marks drawn over shared axes, with ticks, labels, a title and a legend of the
 * labelled marks. Axis ranges fit the data unless fixed. Methods return {@code this} for chaining.
 *
 * <p>Not thread-safe; a panel is built and rendered by one thread.
 */
public final class Panel {

    private final List<Mark> marks = new ArrayList<>();
    private String title = "";
    private String xLabel = "";
    private String yLabel = "";
    private double[] xRange;
    private double[] yRange;
    private boolean equalAspect;

    Panel() {
    }

    /** Sets the title above the plot area. */
    public Panel title(String text) {
        title = Objects.requireNonNull(text);
        return this;
    }

    /** Sets the label under the x axis. */
    public Panel xLabel(String text) {
        xLabel = Objects.requireNonNull(text);
        return this;
    }

    /** Sets the label beside the y axis. */
    public Panel yLabel(String text) {
        yLabel = Objects.requireNonNull(text);
        return this;
    }

    /** Fixes the x range instead of fitting it to the data. */
    public Panel xRange(double min, double max) {
        Axis.exactly(min, max);
        xRange = new double[] {min, max};
        return this;
    }

    /** Fixes the y range instead of fitting it to the data. */
    public Panel yRange(double min, double max) {
        Axis.exactly(min, max);
        yRange = new double[] {min, max};
        return this;
    }

    /** Draws one data unit as the same length on both axes (for trajectories in the plane, like spirals). */
    public Panel equalAspect() {
        equalAspect = true;
        return this;
    }

    /**
     * Adds a line through {@code (x[i], y[i])}; non-finite points break it.
     *
     * @param label legend text; empty for none.
     * @param x abscissae. Not modified.
     * @param y ordinates, same length. Not modified.
     */
    public Panel line(String label, double[] x, double[] y, Style style) {
        return add(new Mark.Line(label, style, x, y));
    }

    /** As {@link #line(String, double[], double[], Style)}, in the next palette colour. */
    public Panel line(String label, double[] x, double[] y) {
        return line(label, x, y, nextStyle());
    }

    /** Adds a point at each {@code (x[i], y[i])}. Arrays not modified. */
    public Panel scatter(String label, double[] x, double[] y, Style style) {
        return add(new Mark.Scatter(label, style, x, y));
    }

    /** As {@link #scatter(String, double[], double[], Style)}, in the next palette colour. */
    public Panel scatter(String label, double[] x, double[] y) {
        return scatter(label, x, y, nextStyle());
    }

    /** Shades the region between {@code lower[i]} and {@code upper[i]} over {@code x[i]}. Arrays not modified. */
    public Panel band(String label, double[] x, double[] lower, double[] upper, Style style) {
        return add(new Mark.Band(label, style, x, lower, upper));
    }

    /** Shades {@code mean[i] +- spread[i]}, such as a forecast mean plus and minus two standard deviations. */
    public Panel bandAround(String label, double[] x, double[] mean, double[] spread, Style style) {
        if (mean.length != spread.length) {
            throw new IllegalArgumentException("mean and spread differ in length");
        }
        double[] lower = new double[mean.length];
        double[] upper = new double[mean.length];
        for (int i = 0; i < mean.length; i++) {
            lower[i] = mean[i] - spread[i];
            upper[i] = mean[i] + spread[i];
        }
        return band(label, x, lower, upper, style);
    }

    /** Marks each event time with a tick along the bottom of the plot area. Array not modified. */
    public Panel events(String label, double[] times, Style style) {
        return add(new Mark.Rug(label, style, times));
    }

    private Panel add(Mark mark) {
        Objects.requireNonNull(mark.label(), "label");
        Objects.requireNonNull(mark.style(), "style");
        marks.add(mark);
        return this;
    }

    private Style nextStyle() {
        return Style.palette(marks.size());
    }

    List<Mark> marks() {
        return marks;
    }

    String title() {
        return title;
    }

    String xLabel() {
        return xLabel;
    }

    String yLabel() {
        return yLabel;
    }

    double[] xRange() {
        return xRange;
    }

    double[] yRange() {
        return yRange;
    }

    boolean isEqualAspect() {
        return equalAspect;
    }
}
