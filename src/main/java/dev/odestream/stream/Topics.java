package dev.odestream.stream;

import java.util.List;
import java.util.Objects;

/**
 * The names of the engine's topics. Keys are series ids (UTF-8) everywhere except {@code models}, keyed by model
 * name.
 *
 * @param events input events (JSON, {@code schemas/event.schema.json})
 * @param deadLetters records that could not become events, original bytes with reason headers
 * @param late valid events older than their series allows, canonical JSON with reason headers
 * @param forecasts forecast records, one per accepted event
 * @param intensities intensity records, one per accepted event
 * @param models model checkpoints (ODSC), compacted
 */
public record Topics(String events, String deadLetters, String late, String forecasts, String intensities,
                     String models) {

    /** Checks that every name is given. */
    public Topics {
        for (String name : new String[] {events, deadLetters, late, forecasts, intensities, models}) {
            if (name == null || name.isBlank()) {
                throw new IllegalArgumentException("every topic needs a name");
            }
        }
    }

    /** @return {@code events}, {@code events.dlq}, {@code events.late}, {@code forecasts}, {@code intensities}, {@code models}. */
    public static Topics defaults() {
        return new Topics("events", "events.dlq", "events.late", "forecasts", "intensities", "models");
    }

    /** @return every name, {@code models} last. */
    public List<String> all() {
        return List.of(events, deadLetters, late, forecasts, intensities, Objects.requireNonNull(models));
    }
}
