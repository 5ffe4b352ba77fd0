package dev.odestream.plot;

import java.util.Objects;

/**
 * How a mark is drawn. Colours are any SVG colour ({@code "#2b6cb0"}, {@code "black"}).
 *
 * @param color stroke and fill colour.
 * @param width stroke width in pixels (lines, event ticks).
 * @param opacity fill opacity of bands and points, in {@code [0, 1]}.
 * @param radius point radius in pixels.
 * @param dash an SVG {@code stroke-dasharray} such as {@code "6 3"}; empty for solid.
 */
public record Style(String color, double width, double opacity, double radius, String dash) {

    /** A small palette of distinguishable colours, used in order when no style is given. */
    public static final String[] PALETTE = {"#2b6cb0", "#c53030", "#2f855a", "#b7791f", "#6b46c1", "#2c7a7b",
        "#4a5568"};

    /** Validates the style. */
    public Style {
        Objects.requireNonNull(color, "color");
        Objects.requireNonNull(dash, "dash");
        if (!(width >= 0) || !(radius >= 0) || !(opacity >= 0 && opacity <= 1)) {
            throw new IllegalArgumentException("need width >= 0, radius >= 0 and opacity in [0, 1]");
        }
    }

    /** @return a solid style of that colour: width 1.5, opacity 0.25 for bands, radius 2.5 for points. */
    public static Style of(String color) {
        return new Style(color, 1.5, 0.25, 2.5, "");
    }

    /** @return palette colour {@code i}, wrapping around. */
    public static Style palette(int i) {
        return of(PALETTE[Math.floorMod(i, PALETTE.length)]);
    }

    /** @return a copy with another stroke width. */
    public Style withWidth(double newWidth) {
        return new Style(color, newWidth, opacity, radius, dash);
    }

    /** @return a copy with another fill opacity. */
    public Style withOpacity(double newOpacity) {
        return new Style(color, width, newOpacity, radius, dash);
    }

    /** @return a copy with another point radius. */
    public Style withRadius(double newRadius) {
        return new Style(color, width, opacity, newRadius, dash);
    }

    /** @return a copy with a dash pattern. */
    public Style withDash(String newDash) {
        return new Style(color, width, opacity, radius, newDash);
    }
}
