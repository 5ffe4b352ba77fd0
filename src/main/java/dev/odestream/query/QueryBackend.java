package dev.odestream.query;

import dev.odestream.stream.SeriesSnapshot;
import org.apache.kafka.streams.state.HostInfo;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

import java.util.Optional;

/**
 * Where the query server gets series state and models: the engine's stores through interactive queries
 * ({@link StreamsBackend}), or any other real store with the same contents.
 */
public interface QueryBackend {

    /** Where a series lives. */
    sealed interface Location {
    }

    /** In this instance's stores. */
    record Local() implements Location {
    }

    /**
     * In another instance's stores.
     *
     * @param host its {@code application.server}
     */
    record Remote(HostInfo host) implements Location {
    }

    /**
     * Nowhere queryable now, for example during a rebalance.
     *
     * @param why for the error body
     */
    record Unavailable(String why) implements Location {
    }

    /** A store that cannot be read now (rebalancing, migrating, not started); a client should retry. */
    final class StoreUnavailableException extends Exception {
        private static final long serialVersionUID = 1L;

        /** @param message why */
        public StoreUnavailableException(String message) {
            super(message);
        }
    }

    /** @return where the series with that id lives. */
    Location locate(String series);

    /**
     * @return the series' snapshot from this instance's store, empty if it has none
     * @throws StoreUnavailableException if the store cannot be read now
     */
    Optional<SeriesSnapshot> snapshot(String series) throws StoreUnavailableException;

    /**
     * @return the store of validated model checkpoints, by model name
     * @throws StoreUnavailableException if the store cannot be read now
     */
    ReadOnlyKeyValueStore<String, byte[]> models() throws StoreUnavailableException;

    /** @return the engine's state, such as {@code RUNNING}. */
    String state();

    /**
     * @return whether the engine is alive: starting, rebalancing or running; false once it has stopped or failed,
     *     when only a restart brings it back
     */
    boolean live();

    /**
     * @return whether the engine processes events now: running, with every stream thread holding its partitions and
     *     their stores restored; false while it starts, rebalances or restores, and once it has stopped
     */
    boolean ready();
}
