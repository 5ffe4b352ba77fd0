package dev.odestream.dataset;

import dev.odestream.stream.Event;

import java.util.Objects;

/**
 * One row of a user's event file: the series it belongs to and the event. On the events topic the key is the record
 * key; in a file it is a column or field of the row.
 *
 * @param key the series id, non-empty
 * @param event the event
 */
public record KeyedEvent(String key, Event event) {

    /** Checks that the key is non-empty. */
    public KeyedEvent {
        Objects.requireNonNull(event, "event");
        if (key == null || key.isEmpty()) {
            throw new IllegalArgumentException("a series key must be non-empty");
        }
    }
}
