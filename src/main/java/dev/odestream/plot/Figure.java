package dev.odestream.plot;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;

/**
 * A grid of {@link Panel}s rendered as one standalone SVG document. No dependencies; meant for the figures of
 * experiment reports (the paper's spiral reconstructions and learned intensities).
 *
 * <pre>{@code
 * Figure figure = new Figure(1, 2, 420, 320).title("Latent ODE on spirals");
 * figure.panel(0, 0).equalAspect().scatter("observed", xs, ys).line("prediction", px, py);
 * Files.writeString(path, figure.toSvg());
 * }</pre>
 */
public final class Figure {

    private static final double TITLE_HEIGHT = 30;

    private final int rows;
    private final int columns;
    private final double panelWidth;
    private final double panelHeight;
    private final Panel[] panels;
    private String title = "";

    /**
     * @param rows panel rows, positive.
     * @param columns panel columns, positive.
     * @param panelWidth width of each panel in pixels, including its margins.
     * @param panelHeight height of each panel in pixels, including its margins.
     */
    public Figure(int rows, int columns, double panelWidth, double panelHeight) {
        if (rows <= 0 || columns <= 0 || !(panelWidth >= 160) || !(panelHeight >= 120)) {
            throw new IllegalArgumentException("need a positive grid and panels of at least 160 x 120 pixels");
        }
        this.rows = rows;
        this.columns = columns;
        this.panelWidth = panelWidth;
        this.panelHeight = panelHeight;
        this.panels = new Panel[rows * columns];
        for (int i = 0; i < panels.length; i++) {
            panels[i] = new Panel();
        }
    }

    /** Sets a title above the whole grid. */
    public Figure title(String text) {
        title = Objects.requireNonNull(text);
        return this;
    }

    /** @return the panel in that cell, for adding marks. */
    public Panel panel(int row, int column) {
        Objects.checkIndex(row, rows);
        Objects.checkIndex(column, columns);
        return panels[row * columns + column];
    }

    /** @return the figure as a standalone SVG 1.1 document. */
    public String toSvg() {
        double top = title.isEmpty() ? 0 : TITLE_HEIGHT;
        double width = columns * panelWidth;
        double height = top + rows * panelHeight;
        SvgWriter svg = new SvgWriter();
        svg.open("svg", "xmlns", "http://www.w3.org/2000/svg", "version", "1.1", "width", SvgWriter.num(width),
                "height", SvgWriter.num(height), "viewBox", "0 0 " + SvgWriter.num(width) + " "
                        + SvgWriter.num(height), "font-family", "sans-serif", "font-size", "11");
        svg.empty("rect", "width", "100%", "height", "100%", "fill", "white");
        if (!title.isEmpty()) {
            svg.text(title, "x", SvgWriter.num(width / 2), "y", "20", "text-anchor", "middle", "font-size", "15");
        }
        for (int i = 0; i < panels.length; i++) {
            double x = (i % columns) * panelWidth;
            double y = top + (i / columns) * panelHeight;
            new PanelRenderer(panels[i], panelWidth, panelHeight, "p" + i).render(svg, x, y);
        }
        svg.close("svg");
        return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n" + svg;
    }

    /** Writes {@link #toSvg()} to a file as UTF-8. */
    public void write(Path path) throws IOException {
        Files.writeString(path, toSvg(), StandardCharsets.UTF_8);
    }
}
