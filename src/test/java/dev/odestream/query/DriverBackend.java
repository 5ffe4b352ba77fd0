package dev.odestream.query;

import dev.odestream.stream.EngineConfig;
import dev.odestream.stream.SeriesSnapshot;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

import java.util.Optional;
import java.util.function.Function;

/**
 * The stores of a TopologyTestDriver as a query backend: real stores filled by the real topology. Where a series
 * lives is given by a function, so that a test can place series on another server.
 */
final class DriverBackend implements QueryBackend {

    private final TopologyTestDriver driver;
    private final Function<String, Location> placement;

    DriverBackend(TopologyTestDriver driver, Function<String, Location> placement) {
        this.driver = driver;
        this.placement = placement;
    }

    DriverBackend(TopologyTestDriver driver) {
        this(driver, series -> new Local());
    }

    @Override
    public Location locate(String series) {
        return placement.apply(series);
    }

    @Override
    public Optional<SeriesSnapshot> snapshot(String series) {
        ReadOnlyKeyValueStore<String, SeriesSnapshot> store = driver.getKeyValueStore(EngineConfig.SERIES_STORE);
        return Optional.ofNullable(store.get(series));
    }

    @Override
    public ReadOnlyKeyValueStore<String, byte[]> models() {
        return driver.getKeyValueStore(EngineConfig.MODELS_STORE);
    }

    @Override
    public String state() {
        return "RUNNING";
    }

    @Override
    public boolean live() {
        return true;
    }

    @Override
    public boolean ready() {
        return true;
    }
}
