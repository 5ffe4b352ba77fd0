package dev.odestream.plot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.odestream.data.Intensity;
import dev.odestream.data.PoissonProcesses;
import dev.odestream.data.Spiral;
import dev.odestream.data.SpiralConfig;
import dev.odestream.data.Spirals;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NamedNodeMap;
import org.w3c.dom.NodeList;

class FigureTest {

    private static final String SVG = "http://www.w3.org/2000/svg";
    private static final Pattern NUMBER = Pattern.compile("-?[0-9]*\\.?[0-9]+(?:[eE][-+]?[0-9]+)?|[A-Za-z]+");

    @Test
    void shouldDrawTheSpiralAndIntensityFigures() throws Exception {
        Figure figure = new Figure(1, 2, 420, 340).title("Spiral reconstruction & intensity <demo>");
        spiralPanel(figure.panel(0, 0));
        double[] events = intensityPanel(figure.panel(0, 1));
        String svg = figure.toSvg();
        Files.createDirectories(Path.of("target/plots"));
        Files.writeString(Path.of("target/plots/figure-test.svg"), svg);

        Document doc = parse(svg);
        List<Element> data = byClass(doc, "g", "data");
        assertEquals(2, data.size());
        assertEquals(30, count(data.get(0), "circle"), "one circle per observation");
        assertEquals(3, count(data.get(0), "path"), "reconstruction, extrapolation and truth");
        assertEquals(4, count(data.get(1), "path"), "band, two lines and the event rug");
        Element rug = byClass(doc, "path", "rug").getFirst();
        assertEquals(events.length, rug.getAttribute("d").chars().filter(c -> c == 'M').count());
        List<Element> legends = byClass(doc, "g", "legend");
        assertEquals(4, count(legends.get(0), "text"));
        assertEquals(4, count(legends.get(1), "text"));
        assertEquals("Spiral reconstruction & intensity <demo>", firstText(doc));
        assertAllCoordinatesFinite(doc);
    }

    private static void spiralPanel(Panel panel) {
        SpiralConfig config = SpiralConfig.paper(30).withCount(2);
        Spiral s = Spirals.spiral(config, 1, 1);
        double[] wx = new double[config.windowSteps()];
        double[] wy = new double[config.windowSteps()];
        double[] point = new double[2];
        for (int k = 0; k < wx.length; k++) {
            s.curve().position(config.time(k), point, 0);
            wx[k] = point[0] + 0.05;
            wy[k] = point[1];
        }
        double[] ox = new double[s.observedCount()];
        double[] oy = new double[s.observedCount()];
        for (int i = 0; i < ox.length; i++) {
            ox[i] = s.observedValue(i, 0);
            oy[i] = s.observedValue(i, 1);
        }
        double[] tx = new double[s.targetCount()];
        double[] ty = new double[s.targetCount()];
        for (int i = 0; i < tx.length; i++) {
            tx[i] = s.targetTruthValue(i, 0);
            ty[i] = s.targetTruthValue(i, 1);
        }
        panel.title("Latent ODE, clockwise spiral").xLabel("x").yLabel("y").equalAspect()
                .line("ground truth", tx, ty, Style.of("#718096").withDash("4 3"))
                .line("reconstruction", wx, wy, Style.palette(0))
                .line("extrapolation", shift(tx, 0.1), ty, Style.palette(1))
                .scatter("observations", ox, oy, Style.of("black").withRadius(2));
    }

    private static double[] intensityPanel(Panel panel) {
        Intensity truth = new Intensity.Periodic(5, 4, 2.5);
        double[] events = PoissonProcesses.sample(truth, 10, 3L);
        int n = 201;
        double[] t = new double[n];
        double[] rate = new double[n];
        double[] learned = new double[n];
        double[] spread = new double[n];
        for (int i = 0; i < n; i++) {
            t[i] = 10.0 * i / (n - 1);
            rate[i] = truth.rate(t[i]);
            learned[i] = 0.9 * rate[i] + 0.5;
            spread[i] = 0.8;
        }
        panel.title("Learned vs true intensity").xLabel("time").yLabel("lambda(t)").yRange(0, 14)
                .bandAround("learned +- 2 sd", t, learned, spread, Style.palette(0))
                .line("true lambda", t, rate, Style.of("black"))
                .line("learned lambda", t, learned, Style.palette(0))
                .events("events", events, Style.of("#c53030").withWidth(1));
        return events;
    }

    @Test
    void shouldPlaceDataWhereTheTicksSayItIs() throws Exception {
        Figure figure = new Figure(1, 1, 400, 300);
        figure.panel(0, 0).xRange(0, 10).yRange(0, 10).scatter("", new double[] {2}, new double[] {4});
        Document doc = parse(figure.toSvg());
        Element circle = (Element) doc.getElementsByTagNameNS(SVG, "circle").item(0);
        Element xTick = textWith(doc, "2", "middle");
        Element yTick = textWith(doc, "4", "end");
        assertEquals(number(xTick, "x"), number(circle, "cx"), 1e-9);
        assertEquals(number(yTick, "y") - 4, number(circle, "cy"), 1e-9);
        assertEquals(0, byClass(doc, "g", "legend").size(), "no legend without labels");
    }

    @Test
    void shouldDrawEqualUnitsOnBothAxesWhenAsked() throws Exception {
        Figure figure = new Figure(1, 1, 500, 300);
        figure.panel(0, 0).equalAspect().scatter("", new double[] {0, 1, 0, 10}, new double[] {0, 0, 1, 0.5});
        NodeList circles = parse(figure.toSvg()).getElementsByTagNameNS(SVG, "circle");
        double dx = number((Element) circles.item(1), "cx") - number((Element) circles.item(0), "cx");
        double dy = number((Element) circles.item(0), "cy") - number((Element) circles.item(2), "cy");
        assertEquals(dx, dy, 0.011);
    }

    @Test
    void shouldBreakLinesAtNonFinitePointsAndSkipNonFinitePoints() throws Exception {
        Figure figure = new Figure(2, 1, 300, 200);
        double[] x = {0, 1, 2, 3, 4};
        figure.panel(0, 0).line("gap", x, new double[] {1, 2, Double.NaN, 3, 1})
                .scatter("pts", x, new double[] {1, Double.POSITIVE_INFINITY, 2, 3, 4});
        figure.panel(1, 0).line("all bad", x, new double[] {Double.NaN, Double.NaN, Double.NaN, Double.NaN,
            Double.NaN});
        Document doc = parse(figure.toSvg());
        List<Element> lines = byClass(doc, "path", "line");
        assertEquals(1, lines.size(), "a line with no finite point is not drawn");
        assertEquals(2, lines.getFirst().getAttribute("d").chars().filter(c -> c == 'M').count());
        assertEquals(4, count(byClass(doc, "g", "data").getFirst(), "circle"));
        assertAllCoordinatesFinite(doc);
    }

    @Test
    void shouldPutTheLegendInTheCornerWithLeastData() throws Exception {
        Figure figure = new Figure(1, 1, 400, 300);
        double[] x = new double[50];
        double[] y = new double[50];
        for (int i = 0; i < x.length; i++) {
            x[i] = 5 + 5.0 * i / x.length;
            y[i] = 5 + 5.0 * (i % 10) / 10;
        }
        figure.panel(0, 0).xRange(0, 10).yRange(0, 10).scatter("upper right cluster", x, y);
        Document doc = parse(figure.toSvg());
        Element box = (Element) byClass(doc, "g", "legend").getFirst().getElementsByTagNameNS(SVG, "rect").item(0);
        Element frame = (Element) byClass(doc, "g", "axes").getFirst().getElementsByTagNameNS(SVG, "rect").item(0);
        assertTrue(number(box, "x") < number(frame, "x") + 10, "legend on the left");
        assertTrue(number(box, "y") < number(frame, "y") + 10, "legend at the top");
    }

    private static double[] shift(double[] values, double by) {
        double[] out = values.clone();
        for (int i = 0; i < out.length; i++) {
            out[i] += by;
        }
        return out;
    }

    private static Document parse(String svg) throws Exception {
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setNamespaceAware(true);
        return factory.newDocumentBuilder().parse(new ByteArrayInputStream(svg.getBytes(StandardCharsets.UTF_8)));
    }

    private static List<Element> byClass(Document doc, String tag, String cssClass) {
        List<Element> found = new ArrayList<>();
        NodeList nodes = doc.getElementsByTagNameNS(SVG, tag);
        for (int i = 0; i < nodes.getLength(); i++) {
            Element e = (Element) nodes.item(i);
            if (e.getAttribute("class").equals(cssClass)) {
                found.add(e);
            }
        }
        return found;
    }

    private static int count(Element parent, String tag) {
        return parent.getElementsByTagNameNS(SVG, tag).getLength();
    }

    private static String firstText(Document doc) {
        return doc.getElementsByTagNameNS(SVG, "text").item(0).getTextContent();
    }

    private static Element textWith(Document doc, String content, String anchor) {
        NodeList texts = doc.getElementsByTagNameNS(SVG, "text");
        for (int i = 0; i < texts.getLength(); i++) {
            Element e = (Element) texts.item(i);
            if (e.getTextContent().equals(content) && e.getAttribute("text-anchor").equals(anchor)) {
                return e;
            }
        }
        throw new AssertionError("no tick label " + content);
    }

    private static double number(Element e, String attribute) {
        return Double.parseDouble(e.getAttribute(attribute));
    }

    /** Every numeric attribute and every number in path data must parse as a finite double. */
    private static void assertAllCoordinatesFinite(Document doc) {
        List<String> numeric = List.of("x", "y", "x1", "y1", "x2", "y2", "cx", "cy", "r", "width", "height");
        NodeList all = doc.getElementsByTagNameNS(SVG, "*");
        for (int i = 0; i < all.getLength(); i++) {
            Element e = (Element) all.item(i);
            NamedNodeMap attributes = e.getAttributes();
            for (int a = 0; a < attributes.getLength(); a++) {
                String name = attributes.item(a).getNodeName();
                String value = attributes.item(a).getNodeValue();
                if (numeric.contains(name) && !value.endsWith("%")) {
                    assertTrue(Double.isFinite(Double.parseDouble(value)), name + "=" + value);
                }
                if (name.equals("d")) {
                    Matcher m = NUMBER.matcher(value.replace(',', ' '));
                    while (m.find()) {
                        String token = m.group();
                        assertTrue(token.matches("[MLZ]") || Double.isFinite(Double.parseDouble(token)),
                                "path token " + token);
                    }
                }
            }
        }
    }
}
