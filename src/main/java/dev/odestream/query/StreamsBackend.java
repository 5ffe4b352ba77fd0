package dev.odestream.query;

import dev.odestream.stream.EngineConfig;
import dev.odestream.stream.SeriesSnapshot;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyQueryMetadata;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.HostInfo;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

import java.util.Optional;

/**
 * Interactive queries on a running engine. The owner of a key comes from {@code queryMetadataForKey}; it is this
 * instance when it is the key's active host, or when no {@code application.server} is configured (one instance).
 */
public final class StreamsBackend implements QueryBackend {

    private final KafkaStreams streams;
    private final HostInfo self;
    private final StringSerializer keys = new StringSerializer();

    /**
     * @param streams the engine's Kafka Streams instance
     * @param self this instance's {@code application.server}, or {@code null} when there is only one instance
     */
    public StreamsBackend(KafkaStreams streams, HostInfo self) {
        this.streams = streams;
        this.self = self;
    }

    @Override
    public Location locate(String series) {
        if (self == null) {
            return new Local();
        }
        KeyQueryMetadata meta;
        try {
            meta = streams.queryMetadataForKey(EngineConfig.SERIES_STORE, series, keys);
        } catch (IllegalStateException | InvalidStateStoreException e) {
            // Not started yet (StreamsNotStartedException), or stopping: a client should retry.
            return new Unavailable("the engine is not running: " + e.getMessage());
        }
        if (meta == null || meta.equals(KeyQueryMetadata.NOT_AVAILABLE)) {
            return new Unavailable("no instance owns the series right now (rebalancing)");
        }
        return meta.activeHost().equals(self) ? new Local() : new Remote(meta.activeHost());
    }

    @Override
    public Optional<SeriesSnapshot> snapshot(String series) throws StoreUnavailableException {
        try {
            ReadOnlyKeyValueStore<String, SeriesSnapshot> store = streams.store(StoreQueryParameters.fromNameAndType(
                    EngineConfig.SERIES_STORE, QueryableStoreTypes.keyValueStore()));
            return Optional.ofNullable(store.get(series));
        } catch (InvalidStateStoreException e) {
            throw new StoreUnavailableException("series store not queryable: " + e.getMessage());
        }
    }

    @Override
    public ReadOnlyKeyValueStore<String, byte[]> models() throws StoreUnavailableException {
        try {
            return streams.store(StoreQueryParameters.fromNameAndType(EngineConfig.MODELS_STORE,
                    QueryableStoreTypes.keyValueStore()));
        } catch (InvalidStateStoreException e) {
            throw new StoreUnavailableException("models store not queryable: " + e.getMessage());
        }
    }

    @Override
    public String state() {
        return streams.state().name();
    }

    @Override
    public boolean live() {
        KafkaStreams.State state = streams.state();
        return state == KafkaStreams.State.CREATED || state.isRunningOrRebalancing();
    }

    /**
     * Kafka Streams is {@code RUNNING} only when every stream thread is: it has joined the group, holds its
     * partitions and has restored their stores, so it processes. After a restart it stays {@code REBALANCING} while
     * the group waits for members of the stopped instance to time out, and is not ready then.
     */
    @Override
    public boolean ready() {
        return streams.state() == KafkaStreams.State.RUNNING && !streams.metadataForLocalThreads().isEmpty();
    }
}
