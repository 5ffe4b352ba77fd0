package dev.odestream.dataset;

/** A row parser's complaint, before the row loop adds the file and line to make a {@link BadRowException}. */
final class RowProblem extends Exception {

    private static final long serialVersionUID = 1L;

    private final BadRowException.Reason reason;

    RowProblem(BadRowException.Reason reason, String detail) {
        super(detail, null, false, false);
        this.reason = reason;
    }

    BadRowException.Reason reason() {
        return reason;
    }
}
