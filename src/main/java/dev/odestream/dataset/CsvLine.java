package dev.odestream.dataset;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits one line of RFC 4180 CSV on commas. A quoted cell keeps its text exactly, with {@code ""} for a quote; an
 * unquoted cell is trimmed and may not contain a quote. A quoted cell cannot span lines, so that a line number is a
 * row number.
 */
final class CsvLine {

    private final String line;
    private int pos;

    private CsvLine(String line) {
        this.line = line;
    }

    /** @return the cells of {@code line}; a trailing comma gives a last, empty cell. */
    static List<String> split(String line) throws RowProblem {
        return new CsvLine(line).cells();
    }

    private List<String> cells() throws RowProblem {
        List<String> cells = new ArrayList<>();
        while (true) {
            skipSpaces();
            cells.add(pos < line.length() && line.charAt(pos) == '"' ? quoted() : unquoted());
            if (pos == line.length()) {
                return cells;
            }
            pos++;
        }
    }

    private String unquoted() throws RowProblem {
        int end = line.indexOf(',', pos);
        end = end < 0 ? line.length() : end;
        String cell = line.substring(pos, end).strip();
        if (cell.indexOf('"') >= 0) {
            throw problem("a quote inside an unquoted cell: " + cell);
        }
        pos = end;
        return cell;
    }

    private String quoted() throws RowProblem {
        int start = pos++;
        StringBuilder cell = new StringBuilder();
        while (true) {
            if (pos == line.length()) {
                throw problem("unterminated quote from character " + (start + 1));
            }
            char c = line.charAt(pos++);
            if (c != '"') {
                cell.append(c);
            } else if (pos < line.length() && line.charAt(pos) == '"') {
                cell.append('"');
                pos++;
            } else {
                return afterClosingQuote(cell.toString());
            }
        }
    }

    private String afterClosingQuote(String cell) throws RowProblem {
        skipSpaces();
        if (pos < line.length() && line.charAt(pos) != ',') {
            throw problem("text after the closing quote of \"" + cell + "\"");
        }
        return cell;
    }

    private void skipSpaces() {
        while (pos < line.length() && (line.charAt(pos) == ' ' || line.charAt(pos) == '\t')) {
            pos++;
        }
    }

    private static RowProblem problem(String detail) {
        return new RowProblem(BadRowException.Reason.MALFORMED_CSV, detail);
    }
}
