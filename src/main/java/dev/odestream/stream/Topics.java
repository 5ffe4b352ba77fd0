package dev.odestream.stream;

import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.TopicConfig;

import java.util.List;
import java.util.Map;
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
 * @param models model checkpoints (a JSON envelope, {@code schemas/model-checkpoint.schema.json}, or raw ODSC),
 *     compacted
 * @param forecastRequests forecast requests from Kafka-only clients ({@code schemas/forecast-request.schema.json});
 *     co-partitioned with {@code events}: the same partition count and the same key
 * @param forecastResponses their answers ({@code schemas/forecast-response.schema.json})
 */
public record Topics(String events, String deadLetters, String late, String forecasts, String intensities,
                     String models, String forecastRequests, String forecastResponses) {

    /** Checks that every name is given. */
    public Topics {
        for (String name : new String[] {events, deadLetters, late, forecasts, intensities, models, forecastRequests,
            forecastResponses}) {
            if (name == null || name.isBlank()) {
                throw new IllegalArgumentException("every topic needs a name");
            }
        }
    }

    /** Names for the event and model topics, with the default request and response topics. */
    public Topics(String events, String deadLetters, String late, String forecasts, String intensities,
                  String models) {
        this(events, deadLetters, late, forecasts, intensities, models, "forecast-requests", "forecast-responses");
    }

    /**
     * @return {@code events}, {@code events.dlq}, {@code events.late}, {@code forecasts}, {@code intensities},
     *     {@code models}, {@code forecast-requests}, {@code forecast-responses}
     */
    public static Topics defaults() {
        return new Topics("events", "events.dlq", "events.late", "forecasts", "intensities", "models");
    }

    /**
     * The topics to create: every topic with {@code partitions} partitions except {@code models}, which has one and
     * is compacted, so the latest checkpoint per model name is kept for ever. The request topic must keep the
     * partition count of {@code events}: Kafka Streams refuses to start when co-partitioned topics differ.
     *
     * @param partitions partitions of the keyed topics; the engine's parallelism
     * @param replication replication factor
     */
    public List<NewTopic> newTopics(int partitions, short replication) {
        return List.of(new NewTopic(events, partitions, replication),
                new NewTopic(deadLetters, partitions, replication), new NewTopic(late, partitions, replication),
                new NewTopic(forecasts, partitions, replication), new NewTopic(intensities, partitions, replication),
                new NewTopic(forecastRequests, partitions, replication),
                new NewTopic(forecastResponses, partitions, replication),
                new NewTopic(models, 1, replication).configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG,
                        TopicConfig.CLEANUP_POLICY_COMPACT)));
    }

    /** @return every name, {@code models} last. */
    public List<String> all() {
        return List.of(events, deadLetters, late, forecasts, intensities, forecastRequests, forecastResponses,
                Objects.requireNonNull(models));
    }
}
