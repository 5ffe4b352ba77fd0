package dev.odestream.bench;

import java.util.ArrayList;
import java.util.List;

/** A plain-text table with right-aligned columns, printed as Markdown so it can be pasted into the README. */
public final class Table {

    private final String[] header;
    private final List<String[]> rows = new ArrayList<>();

    public Table(String... header) {
        this.header = header;
    }

    public Table row(Object... cells) {
        String[] r = new String[cells.length];
        for (int i = 0; i < cells.length; i++) {
            r[i] = String.valueOf(cells[i]);
        }
        rows.add(r);
        return this;
    }

    public void print(String title) {
        int[] width = new int[header.length];
        for (int c = 0; c < header.length; c++) {
            width[c] = header[c].length();
            for (String[] r : rows) {
                width[c] = Math.max(width[c], r[c].length());
            }
        }
        System.out.println();
        System.out.println("### " + title);
        System.out.println();
        System.out.println(line(header, width));
        StringBuilder rule = new StringBuilder("|");
        for (int w : width) {
            rule.append('-').append("-".repeat(w - 1)).append(":|");
        }
        System.out.println(rule);
        rows.forEach(r -> System.out.println(line(r, width)));
        System.out.flush();
    }

    private static String line(String[] cells, int[] width) {
        StringBuilder b = new StringBuilder("|");
        for (int c = 0; c < cells.length; c++) {
            b.append(' ').append(" ".repeat(width[c] - cells[c].length())).append(cells[c]).append(" |");
        }
        return b.toString();
    }

    public static String fmt(double v, int digits) {
        return String.format("%." + digits + "f", v);
    }

    public static String sci(double v) {
        return String.format("%.2e", v);
    }
}
