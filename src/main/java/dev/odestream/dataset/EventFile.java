package dev.odestream.dataset;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Reads a user's file of events into a {@link Dataset}, in one of two forms (UTF-8; blank lines are ignored):
 * <ul>
 *   <li><b>JSON lines</b>: one event a line in the form of the events topic ({@code schemas/event.schema.json}) with
 *       a {@code key} field for the series id, such as
 *       {@code {"key": "patient-001", "time": 946684800000, "values": [14.5, 2.6], "mask": [true, false]}};</li>
 *   <li><b>CSV</b>: a header, then one event a row, the columns chosen by a {@link CsvLayout}.</li>
 * </ul>
 * A bad row stops the read with a {@link BadRowException} naming the file, line and reason, or under
 * {@link OnBadRow#SKIP} is left out and counted. A bad CSV header, and a file with no events, always stop it.
 */
public final class EventFile {

    private EventFile() {
    }

    /** Reads a JSON-lines file; its values are named {@code v0, v1, ...}. */
    public static ReadResult readJsonLines(Path file, OnBadRow policy) throws IOException {
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            return readJsonLines(file.toString(), in, policy);
        }
    }

    /**
     * Reads JSON lines from a stream.
     *
     * @param name what messages call the input, such as its file name
     * @param in the lines. Read to the end, not closed.
     */
    public static ReadResult readJsonLines(String name, Reader in, OnBadRow policy) throws IOException {
        return new RowLoop(name, policy).readAll(buffered(in), JsonLines.INSTANCE).result(List.of());
    }

    /** Reads a CSV file; its values are named after their columns. */
    public static ReadResult readCsv(Path file, CsvLayout layout, OnBadRow policy) throws IOException {
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            return readCsv(file.toString(), in, layout, policy);
        }
    }

    /**
     * Reads CSV from a stream.
     *
     * @param name what messages call the input, such as its file name
     * @param in a header line, then the rows. Read to the end, not closed.
     * @throws BadRowException on a bad row, and whatever the policy, on a missing or bad header
     */
    public static ReadResult readCsv(String name, Reader in, CsvLayout layout, OnBadRow policy) throws IOException {
        BufferedReader lines = buffered(in);
        RowLoop loop = new RowLoop(name, policy);
        String header = loop.nextLine(lines);
        if (header == null) {
            throw new IOException(name + ": no header");
        }
        CsvRows rows;
        try {
            rows = CsvRows.fromHeader(header, layout);
        } catch (RowProblem problem) {
            throw loop.fatal(problem);
        }
        return loop.readAll(lines, rows).result(layout.valueColumns());
    }

    private static BufferedReader buffered(Reader in) {
        return in instanceof BufferedReader b ? b : new BufferedReader(in);
    }
}
