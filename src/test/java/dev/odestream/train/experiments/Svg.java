package dev.odestream.train.experiments;

import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;
import org.xml.sax.InputSource;

import java.io.StringReader;
import javax.xml.parsers.DocumentBuilderFactory;

/** Parses SVG text as namespaced XML, failing the test on malformed output. */
public final class Svg {

    /** The SVG namespace. */
    public static final String NS = "http://www.w3.org/2000/svg";

    private Svg() {
    }

    /** @return how many {@code element}s of class {@code cssClass} the document holds. */
    public static int count(Document doc, String element, String cssClass) {
        NodeList nodes = doc.getElementsByTagNameNS(NS, element);
        int n = 0;
        for (int i = 0; i < nodes.getLength(); i++) {
            n += cssClass.equals(((Element) nodes.item(i)).getAttribute("class")) ? 1 : 0;
        }
        return n;
    }

    /** @return the parsed document. */
    public static Document parse(String svg) throws Exception {
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setNamespaceAware(true);
        return factory.newDocumentBuilder().parse(new InputSource(new StringReader(svg)));
    }
}
