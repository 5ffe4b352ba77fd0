package dev.odestream.dataset;

/** Reads one non-blank line of an event file; the row loop adds the file and line to what it throws. */
@FunctionalInterface
interface RowParser {

    KeyedEvent parse(String line) throws RowProblem;
}
