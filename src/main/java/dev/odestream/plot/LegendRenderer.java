package dev.odestream.plot;

import java.util.Arrays;
import java.util.List;

/**
 * Draws a legend box, one row per labelled mark, in the corner of the plot area that hides the fewest data points
 * (top right on ties).
 */
final class LegendRenderer {

    private static final double ROW = 16;
    private static final double SWATCH = 18;
    private static final double CHAR_WIDTH = 6.2;

    private static final double INSET = 6;

    private final double areaLeft;
    private final double areaTop;
    private final double areaWidth;
    private final double areaHeight;

    /** The plot area, in panel pixels. */
    LegendRenderer(double left, double top, double width, double height) {
        this.areaLeft = left;
        this.areaTop = top;
        this.areaWidth = width;
        this.areaHeight = height;
    }

    /**
     * @param marks all marks; the labelled ones get a row. Not modified.
     * @param points data positions in panel pixels, {@code x0, y0, x1, y1, ...}, to keep clear of. Not modified.
     */
    void render(SvgWriter svg, List<Mark> marks, double[] points) {
        List<Mark> labelled = marks.stream().filter(l -> !l.label().isEmpty()).toList();
        if (labelled.isEmpty()) {
            return;
        }
        int longest = labelled.stream().mapToInt(l -> l.label().length()).max().orElse(0);
        double boxWidth = SWATCH + 16 + longest * CHAR_WIDTH;
        double boxHeight = ROW * labelled.size() + 6;
        double[] corner = bestCorner(boxWidth, boxHeight, points);
        double left = corner[0];
        double top = corner[1];
        svg.open("g", "class", "legend");
        svg.empty("rect", "x", n(left), "y", n(top), "width", n(boxWidth), "height", n(boxHeight), "fill",
                "white", "fill-opacity", "0.85", "stroke", "#cbd5e0");
        for (int i = 0; i < labelled.size(); i++) {
            double cy = top + ROW * i + ROW / 2 + 3;
            swatch(svg, labelled.get(i), left + 6, cy);
            svg.text(labelled.get(i).label(), "x", n(left + 12 + SWATCH), "y", n(cy + 4));
        }
        svg.close("g");
    }

    /** @return the top-left corner, among the four corners of the plot area, whose box covers fewest points. */
    private double[] bestCorner(double boxWidth, double boxHeight, double[] points) {
        double right = areaLeft + areaWidth - INSET - boxWidth;
        double bottom = areaTop + areaHeight - INSET - boxHeight;
        double[][] corners = {{right, areaTop + INSET}, {areaLeft + INSET, areaTop + INSET}, {right, bottom},
            {areaLeft + INSET, bottom}};
        double[] best = corners[0];
        int fewest = Integer.MAX_VALUE;
        for (double[] c : corners) {
            int covered = 0;
            for (int i = 0; i + 1 < points.length; i += 2) {
                boolean inside = points[i] >= c[0] && points[i] <= c[0] + boxWidth && points[i + 1] >= c[1]
                        && points[i + 1] <= c[1] + boxHeight;
                covered += inside ? 1 : 0;
            }
            if (covered < fewest) {
                fewest = covered;
                best = c;
            }
        }
        return best;
    }

    private static void swatch(SvgWriter svg, Mark mark, double x, double cy) {
        Style s = mark.style();
        switch (mark) {
            case Mark.Line l -> svg.empty("line", concat(new String[] {"x1", n(x), "y1", n(cy), "x2",
                n(x + SWATCH), "y2", n(cy)}, PanelRenderer.stroke(s)));
            case Mark.Scatter p -> svg.empty("circle", "cx", n(x + SWATCH / 2), "cy", n(cy), "r", n(s.radius()),
                    "fill", s.color());
            case Mark.Band b -> svg.empty("rect", "x", n(x), "y", n(cy - 5), "width", n(SWATCH), "height", "10",
                    "fill", s.color(), "fill-opacity", n(s.opacity()));
            case Mark.Rug r -> svg.empty("line", concat(new String[] {"x1", n(x + SWATCH / 2), "y1", n(cy - 5),
                "x2", n(x + SWATCH / 2), "y2", n(cy + 5)}, PanelRenderer.stroke(s)));
        }
    }

    private static String[] concat(String[] a, String[] b) {
        String[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    private static String n(double value) {
        return SvgWriter.num(value);
    }
}
