package dev.odestream.plot;

import java.util.List;
import java.util.stream.DoubleStream;
import java.util.stream.IntStream;

/** Lays out one panel (margins, axes, data, legend) and writes it as an SVG group. */
final class PanelRenderer {

    private static final double LEFT = 58;
    private static final double RIGHT = 14;
    private static final double TOP = 26;
    private static final double BOTTOM = 42;
    private static final double RUG_LENGTH = 8;
    private static final String GRID = "#e2e8f0";

    private final Panel panel;
    private final String id;
    private final double width;
    private final double height;
    private final Axis xAxis;
    private final Axis yAxis;

    PanelRenderer(Panel panel, double panelWidth, double panelHeight, String id) {
        this.panel = panel;
        this.id = id;
        this.width = panelWidth - LEFT - RIGHT;
        this.height = panelHeight - TOP - BOTTOM;
        double[] bounds = dataBounds(panel.marks());
        Axis x = axis(panel.xRange(), bounds[0], bounds[1]);
        Axis y = axis(panel.yRange(), bounds[2], bounds[3]);
        if (panel.isEqualAspect()) {
            double unitsPerPixel = Math.max((x.max() - x.min()) / width, (y.max() - y.min()) / height);
            x = x.widenedTo(unitsPerPixel * width);
            y = y.widenedTo(unitsPerPixel * height);
        }
        this.xAxis = x;
        this.yAxis = y;
    }

    private static Axis axis(double[] fixed, double lo, double hi) {
        return fixed != null ? Axis.exactly(fixed[0], fixed[1]) : Axis.around(lo, hi);
    }

    /** @return {@code {xMin, xMax, yMin, yMax}} over finite values; infinities where there are none. */
    private static double[] dataBounds(List<Mark> marks) {
        double[] b = {Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY,
            Double.NEGATIVE_INFINITY};
        for (Mark mark : marks) {
            switch (mark) {
                case Mark.Line l -> include(b, l.x(), l.y());
                case Mark.Scatter s -> include(b, s.x(), s.y());
                case Mark.Band band -> {
                    include(b, band.x(), band.lower());
                    include(b, band.x(), band.upper());
                }
                case Mark.Rug rug -> include(b, rug.x(), null);
            }
        }
        return b;
    }

    private static void include(double[] b, double[] x, double[] y) {
        for (int i = 0; i < x.length; i++) {
            if (Double.isFinite(x[i]) && (y == null || Double.isFinite(y[i]))) {
                b[0] = Math.min(b[0], x[i]);
                b[1] = Math.max(b[1], x[i]);
                b[2] = y == null ? b[2] : Math.min(b[2], y[i]);
                b[3] = y == null ? b[3] : Math.max(b[3], y[i]);
            }
        }
    }

    double px(double x) {
        return LEFT + xAxis.fraction(x) * width;
    }

    double py(double y) {
        return TOP + (1 - yAxis.fraction(y)) * height;
    }

    void render(SvgWriter svg, double x, double y) {
        svg.open("g", "class", "panel", "transform", "translate(" + SvgWriter.num(x) + "," + SvgWriter.num(y) + ")");
        svg.open("defs").open("clipPath", "id", "clip-" + id);
        svg.empty("rect", "x", n(LEFT), "y", n(TOP), "width", n(width), "height", n(height));
        svg.close("clipPath").close("defs");
        renderAxes(svg);
        svg.open("g", "class", "data", "clip-path", "url(#clip-" + id + ")");
        for (Mark mark : panel.marks()) {
            renderMark(svg, mark);
        }
        svg.close("g");
        new LegendRenderer(LEFT, TOP, width, height).render(svg, panel.marks(), pixelPoints());
        renderLabels(svg);
        svg.close("g");
    }

    /** @return the finite data points of lines, points and bands in pixels, as {@code x0, y0, x1, y1, ...}. */
    private double[] pixelPoints() {
        DoubleStream.Builder points = DoubleStream.builder();
        for (Mark mark : panel.marks()) {
            switch (mark) {
                case Mark.Line l -> addPixels(points, l.x(), l.y());
                case Mark.Scatter s -> addPixels(points, s.x(), s.y());
                case Mark.Band b -> {
                    addPixels(points, b.x(), b.lower());
                    addPixels(points, b.x(), b.upper());
                }
                case Mark.Rug r -> { }
            }
        }
        return points.build().toArray();
    }

    private void addPixels(DoubleStream.Builder points, double[] x, double[] y) {
        for (int i = 0; i < x.length; i++) {
            if (Double.isFinite(x[i]) && Double.isFinite(y[i])) {
                points.add(px(x[i])).add(py(y[i]));
            }
        }
    }

    private void renderAxes(SvgWriter svg) {
        svg.open("g", "class", "axes");
        for (double t : xAxis.ticks()) {
            svg.empty("line", "x1", n(px(t)), "y1", n(TOP), "x2", n(px(t)), "y2", n(TOP + height), "stroke", GRID);
            svg.text(xAxis.label(t), "x", n(px(t)), "y", n(TOP + height + 14), "text-anchor", "middle");
        }
        for (double t : yAxis.ticks()) {
            svg.empty("line", "x1", n(LEFT), "y1", n(py(t)), "x2", n(LEFT + width), "y2", n(py(t)), "stroke", GRID);
            svg.text(yAxis.label(t), "x", n(LEFT - 6), "y", n(py(t) + 4), "text-anchor", "end");
        }
        svg.empty("rect", "x", n(LEFT), "y", n(TOP), "width", n(width), "height", n(height), "fill", "none",
                "stroke", "#4a5568");
        svg.close("g");
    }

    private void renderLabels(SvgWriter svg) {
        if (!panel.title().isEmpty()) {
            svg.text(panel.title(), "x", n(LEFT + width / 2), "y", n(TOP - 9), "text-anchor", "middle",
                    "font-size", "13");
        }
        if (!panel.xLabel().isEmpty()) {
            svg.text(panel.xLabel(), "x", n(LEFT + width / 2), "y", n(TOP + height + 32), "text-anchor", "middle");
        }
        if (!panel.yLabel().isEmpty()) {
            double cy = TOP + height / 2;
            svg.text(panel.yLabel(), "x", "14", "y", n(cy), "text-anchor", "middle",
                    "transform", "rotate(-90 14 " + n(cy) + ")");
        }
    }

    private void renderMark(SvgWriter svg, Mark mark) {
        switch (mark) {
            case Mark.Line l -> path(svg, "line", polyline(l.x(), l.y()), stroke(l.style()));
            case Mark.Scatter s -> points(svg, s);
            case Mark.Band b -> path(svg, "band", band(b), "fill", b.style().color(), "fill-opacity",
                    n(b.style().opacity()), "stroke", "none");
            case Mark.Rug r -> path(svg, "rug", rug(r.x()), stroke(r.style()));
        }
    }

    private static void path(SvgWriter svg, String kind, String d, String... style) {
        if (d.isEmpty()) {
            return;
        }
        String[] attributes = new String[style.length + 4];
        attributes[0] = "class";
        attributes[1] = kind;
        attributes[2] = "d";
        attributes[3] = d;
        System.arraycopy(style, 0, attributes, 4, style.length);
        svg.empty("path", attributes);
    }

    static String[] stroke(Style style) {
        return style.dash().isEmpty()
                ? new String[] {"fill", "none", "stroke", style.color(), "stroke-width", n(style.width())}
                : new String[] {"fill", "none", "stroke", style.color(), "stroke-width", n(style.width()),
                    "stroke-dasharray", style.dash()};
    }

    private String polyline(double[] x, double[] y) {
        StringBuilder d = new StringBuilder();
        boolean drawing = false;
        for (int i = 0; i < x.length; i++) {
            boolean finite = Double.isFinite(x[i]) && Double.isFinite(y[i]);
            if (finite) {
                d.append(d.isEmpty() ? "" : " ").append(drawing ? "L" : "M").append(n(px(x[i]))).append(',')
                        .append(n(py(y[i])));
            }
            drawing = finite;
        }
        return d.toString();
    }

    private String band(Mark.Band b) {
        StringBuilder d = new StringBuilder();
        double[] x = b.x();
        int[] order = IntStream.range(0, x.length)
                .filter(i -> Double.isFinite(x[i]) && Double.isFinite(b.lower()[i]) && Double.isFinite(b.upper()[i]))
                .toArray();
        for (int k = 0; k < order.length; k++) {
            d.append(k == 0 ? "M" : " L").append(n(px(x[order[k]]))).append(',').append(n(py(b.upper()[order[k]])));
        }
        for (int k = order.length - 1; k >= 0; k--) {
            d.append(" L").append(n(px(x[order[k]]))).append(',').append(n(py(b.lower()[order[k]])));
        }
        return order.length == 0 ? "" : d.append(" Z").toString();
    }

    private String rug(double[] times) {
        StringBuilder d = new StringBuilder();
        for (double t : times) {
            if (Double.isFinite(t)) {
                d.append(d.isEmpty() ? "" : " ").append('M').append(n(px(t))).append(',').append(n(TOP + height))
                        .append(" L").append(n(px(t))).append(',').append(n(TOP + height - RUG_LENGTH));
            }
        }
        return d.toString();
    }

    private void points(SvgWriter svg, Mark.Scatter s) {
        for (int i = 0; i < s.x().length; i++) {
            if (Double.isFinite(s.x()[i]) && Double.isFinite(s.y()[i])) {
                svg.empty("circle", "class", "point", "cx", n(px(s.x()[i])), "cy", n(py(s.y()[i])), "r",
                        n(s.style().radius()), "fill", s.style().color(), "fill-opacity",
                        n(Math.max(s.style().opacity(), 0.8)));
            }
        }
    }

    private static String n(double value) {
        return SvgWriter.num(value);
    }
}
