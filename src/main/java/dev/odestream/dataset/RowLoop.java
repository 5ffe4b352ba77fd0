package dev.odestream.dataset;

import dev.odestream.stream.Event;

import java.io.BufferedReader;
import java.io.IOException;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * Reads an event file line by line: skips blank lines, numbers the rest, checks that every row with values has the
 * dimension of the first, and fails on or skips bad rows by the policy.
 */
final class RowLoop {

    private final String file;
    private final OnBadRow policy;
    private final List<KeyedEvent> events = new ArrayList<>();
    private final Map<BadRowException.Reason, Integer> skipped = new EnumMap<>(BadRowException.Reason.class);
    private final List<BadRowException> firstSkipped = new ArrayList<>();
    private int line;
    private int rows;
    private int dimension = -1;
    private int dimensionLine;

    RowLoop(String file, OnBadRow policy) {
        this.file = file;
        this.policy = policy;
    }

    /** @return the next non-blank line, without the byte-order mark a file may start with, or {@code null}. */
    String nextLine(BufferedReader in) throws IOException {
        String text;
        do {
            text = in.readLine();
            line++;
            if (line == 1 && text != null && text.startsWith("\uFEFF")) {
                text = text.substring(1);
            }
        } while (text != null && text.isBlank());
        return text;
    }

    /** @return a failure at the current line, whatever the policy: for problems that no row can be read past. */
    BadRowException fatal(RowProblem problem) {
        return new BadRowException(file, line, problem.reason(), problem.getMessage());
    }

    /** Reads every remaining line with {@code parser}. */
    RowLoop readAll(BufferedReader in, RowParser parser) throws IOException {
        for (String text = nextLine(in); text != null; text = nextLine(in)) {
            rows++;
            try {
                events.add(checked(parser.parse(text)));
            } catch (RowProblem problem) {
                reject(fatal(problem));
            }
        }
        return this;
    }

    private KeyedEvent checked(KeyedEvent row) throws RowProblem {
        Event event = row.event();
        if (event.isPoint()) {
            return row;
        }
        if (dimension < 0) {
            dimension = event.dimension();
            dimensionLine = line;
        } else if (event.dimension() != dimension) {
            throw new RowProblem(BadRowException.Reason.DIMENSION_MISMATCH, event.dimension() + " values, but line "
                    + dimensionLine + " has " + dimension);
        }
        return row;
    }

    private void reject(BadRowException bad) throws BadRowException {
        if (policy == OnBadRow.FAIL) {
            throw bad;
        }
        skipped.merge(bad.reason(), 1, Integer::sum);
        if (firstSkipped.size() < ReadResult.KEPT) {
            firstSkipped.add(bad);
        }
    }

    /** @return what was read, as a data set with these value names (empty for generated ones). */
    ReadResult result(List<String> valueNames) throws IOException {
        if (events.isEmpty()) {
            throw new IOException(file + ": no events (" + rows + " rows, " + skipped.values().stream()
                    .mapToInt(Integer::intValue).sum() + " skipped)");
        }
        return new ReadResult(Dataset.of(events, valueNames), rows, skipped, firstSkipped);
    }
}
