package dev.odestream.plot;

import java.util.Locale;

/** Appends SVG elements to a buffer, escaping attribute values and text. */
final class SvgWriter {

    /** Coordinates beyond this are clamped, so that wild data cannot produce huge or non-finite numbers. */
    private static final double LIMIT = 1e6;

    private final StringBuilder out = new StringBuilder();
    private int depth;

    /** Opens {@code <tag name="value" ...>}; attributes come in name, value pairs. */
    SvgWriter open(String tag, String... attributes) {
        indent().append('<').append(tag);
        appendAttributes(attributes);
        out.append(">\n");
        depth++;
        return this;
    }

    SvgWriter close(String tag) {
        depth--;
        indent().append("</").append(tag).append(">\n");
        return this;
    }

    /** Writes {@code <tag ... />}. */
    SvgWriter empty(String tag, String... attributes) {
        indent().append('<').append(tag);
        appendAttributes(attributes);
        out.append("/>\n");
        return this;
    }

    /** Writes {@code <text ...>content</text>}. */
    SvgWriter text(String content, String... attributes) {
        indent().append("<text");
        appendAttributes(attributes);
        out.append('>').append(escape(content)).append("</text>\n");
        return this;
    }

    private void appendAttributes(String... attributes) {
        for (int i = 0; i < attributes.length; i += 2) {
            out.append(' ').append(attributes[i]).append("=\"").append(escape(attributes[i + 1])).append('"');
        }
    }

    private StringBuilder indent() {
        return out.append("  ".repeat(depth));
    }

    /** @return a coordinate with two decimals, clamped to a sane range. */
    static String num(double value) {
        double clamped = Double.isNaN(value) ? 0 : Math.clamp(value, -LIMIT, LIMIT);
        String text = String.format(Locale.ROOT, "%.2f", clamped);
        return text.equals("-0.00") ? "0.00" : text;
    }

    static String escape(String text) {
        StringBuilder escaped = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '&' -> escaped.append("&amp;");
                case '<' -> escaped.append("&lt;");
                case '>' -> escaped.append("&gt;");
                case '"' -> escaped.append("&quot;");
                case '\'' -> escaped.append("&apos;");
                default -> escaped.append(c < 0x20 && c != '\t' && c != '\n' && c != '\r' ? ' ' : c);
            }
        }
        return escaped.toString();
    }

    @Override
    public String toString() {
        return out.toString();
    }
}
