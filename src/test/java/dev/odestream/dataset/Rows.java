package dev.odestream.dataset;

import java.io.IOException;
import java.io.StringReader;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Reads inline files for the reader tests. */
final class Rows {

    static final String FILE = "events.txt";

    private Rows() {
    }

    static ReadResult json(OnBadRow policy, String... lines) throws IOException {
        return EventFile.readJsonLines(FILE, new StringReader(String.join("\n", lines)), policy);
    }

    static ReadResult csv(CsvLayout layout, OnBadRow policy, String... lines) throws IOException {
        return EventFile.readCsv(FILE, new StringReader(String.join("\n", lines)), layout, policy);
    }

    /** Asserts that reading fails on {@code line} for {@code reason}, with both and {@code detail} in the message. */
    static BadRowException assertBad(int line, BadRowException.Reason reason, String detail,
            org.junit.jupiter.api.function.Executable read) {
        BadRowException bad = assertThrows(BadRowException.class, read);
        String message = bad.getMessage();
        assertTrue(message.startsWith(FILE + ":" + line + ": " + reason.label() + ": "), message);
        assertTrue(message.contains(detail), message);
        assertTrue(bad.line() == line && bad.reason() == reason && bad.file().equals(FILE), message);
        return bad;
    }
}
