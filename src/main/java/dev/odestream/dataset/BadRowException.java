package dev.odestream.dataset;

import java.io.IOException;

/**
 * A row of an event file that cannot be read. The message names the file, the line (1-based, counting the header and
 * blank lines) and the reason: {@code pbcseq.csv:17: non-numeric value: column 'bili': 'NA' is not a number}.
 * It is an {@link IOException}, so that a caller handles a bad file in one place; a caller that wants the parts reads
 * {@link #file()}, {@link #line()} and {@link #reason()}.
 */
public final class BadRowException extends IOException {

    private static final long serialVersionUID = 1L;

    /** Why a row was rejected; {@link #label()} is what the message says. */
    public enum Reason {
        /** A JSON line that is not one JSON document. */
        MALFORMED_JSON("malformed JSON"),
        /** A CSV line that cannot be split into cells (an unterminated quote, text after a closing quote). */
        MALFORMED_CSV("malformed CSV"),
        /** A JSON line that is not an event of {@code schemas/event.schema.json} plus a key. */
        NOT_AN_EVENT("not an event"),
        /** A CSV row with more or fewer cells than the header. */
        COLUMN_COUNT("wrong number of columns"),
        /** The CSV header lacks a configured column, or names one twice. */
        BAD_HEADER("bad header"),
        /** The key is absent, empty or not a string. */
        BAD_KEY("missing or bad key"),
        /** The time is absent, or neither a number in the configured unit nor an ISO-8601 time with an offset. */
        BAD_TIME("bad time"),
        /** A value cell that is not a number. */
        NOT_A_NUMBER("non-numeric value"),
        /** A value or time that is NaN or infinite, or a number too large for a double. */
        NON_FINITE("NaN or infinite value"),
        /** A row whose number of values differs from that of the first row with values. */
        DIMENSION_MISMATCH("dimension differs"),
        /** A CSV row whose value cells are all empty, when such rows are not read as point events. */
        NO_VALUES("every value missing");

        private final String label;

        Reason(String label) {
            this.label = label;
        }

        /** @return the words the message uses, such as {@code "wrong number of columns"}. */
        public String label() {
            return label;
        }
    }

    private final String file;
    private final int line;
    private final Reason reason;

    /**
     * @param file the file's name, as the user gave it
     * @param line the 1-based line number
     * @param reason the category
     * @param detail what exactly is wrong, naming the column or field
     */
    public BadRowException(String file, int line, Reason reason, String detail) {
        super(file + ":" + line + ": " + reason.label() + ": " + detail);
        this.file = file;
        this.line = line;
        this.reason = reason;
    }

    /** @return the file's name. */
    public String file() {
        return file;
    }

    /** @return the 1-based line number. */
    public int line() {
        return line;
    }

    /** @return the category. */
    public Reason reason() {
        return reason;
    }
}
