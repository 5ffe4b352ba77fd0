package dev.odestream.dataset;

/** What {@link EventFile} does with a row it cannot read. */
public enum OnBadRow {
    /** Stop at the first bad row and throw its {@link BadRowException}. */
    FAIL,
    /** Leave bad rows out and count them in the {@link ReadResult}. */
    SKIP
}
