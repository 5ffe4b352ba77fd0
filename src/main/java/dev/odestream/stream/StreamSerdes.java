package dev.odestream.stream;

import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;

import java.util.OptionalLong;
import java.util.function.Function;

/**
 * The engine's serdes, explicit and stateless: JSON for what crosses topics ({@link EventJson},
 * {@link RecordJson}), binary for the per-series state ({@link SnapshotCodec}). Null stays null (a tombstone).
 * Deserializers report bad bytes as {@link SerializationException}.
 */
public final class StreamSerdes {

    private StreamSerdes() {
    }

    /** @return events, JSON; the {@code time} field is required. */
    public static Serde<Event> event() {
        return serde(EventJson::write, bytes -> {
            try {
                return EventJson.parse(bytes, OptionalLong.empty());
            } catch (InvalidEventException e) {
                throw new IllegalArgumentException(e.reason().code() + ": " + e.getMessage(), e);
            }
        });
    }

    /** @return forecast records, JSON. */
    public static Serde<ForecastRecord> forecast() {
        return serde(RecordJson::write, RecordJson::readForecast);
    }

    /** @return intensity records, JSON. */
    public static Serde<IntensityRecord> intensity() {
        return serde(RecordJson::write, RecordJson::readIntensity);
    }

    /** @return per-series snapshots, binary and versioned. */
    public static Serde<SeriesSnapshot> snapshot() {
        return serde(SnapshotCodec::encode, SnapshotCodec::decode);
    }

    private static <T> Serde<T> serde(Function<T, byte[]> write, Function<byte[], T> read) {
        Serializer<T> serializer = (topic, value) -> value == null ? null : write.apply(value);
        Deserializer<T> deserializer = (topic, bytes) -> {
            if (bytes == null) {
                return null;
            }
            try {
                return read.apply(bytes);
            } catch (IllegalArgumentException e) {
                throw new SerializationException("cannot read a record from topic " + topic + ": " + e.getMessage(),
                        e);
            }
        };
        return Serdes.serdeFrom(serializer, deserializer);
    }
}
