package dev.odestream.stream;

import dev.odestream.metrics.EngineMetrics;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;

/**
 * Wires the engine's Processor API topology:
 * <pre>
 * events (bytes) -&gt; validate -+-&gt; series [series-state] -+-&gt; forecasts, intensities
 *                              |                         +-&gt; events.late
 *                              +-------------------------+-&gt; events.dlq
 * forecast-requests -&gt; requests [series-state] -+-&gt; forecast-responses
 *                                                +-&gt; events.dlq
 * models -&gt; models updater [global store models]   (read by series and requests)
 * </pre>
 * The models updater judges each checkpoint once for the whole instance ({@link ModelStoreUpdater}); its canary runs
 * a new model on a sample of the series the series processors last stored ({@link CanarySample}).
 * The series and request processors share the {@code series-state} store, which puts them in one sub-topology:
 * Kafka Streams then requires {@code events} and {@code forecast-requests} to be co-partitioned.
 * The {@code series-state} store is persistent (RocksDB), cached, and backed by a changelog; the {@code models}
 * store is in memory and rebuilt from the compacted topic.
 */
public final class EngineTopology {

    static final String SOURCE = "events-source";
    static final String VALIDATE_PROCESSOR = "validate";
    static final String SERIES_PROCESSOR = "series";
    static final String DLQ_SINK = "dlq-sink";
    static final String LATE_SINK = "late-sink";
    static final String FORECASTS_SINK = "forecasts-sink";
    static final String INTENSITIES_SINK = "intensities-sink";
    static final String MODELS_SOURCE = "models-source";
    static final String MODELS_UPDATER = "models-updater";
    static final String REQUESTS_SOURCE = "requests-source";
    static final String REQUEST_PROCESSOR = "requests";
    static final String RESPONSES_SINK = "responses-sink";

    private EngineTopology() {
    }

    /**
     * @param config the engine's configuration
     * @param metrics where every processor counts
     * @return the topology, ready for {@code new KafkaStreams(topology, properties)}
     */
    public static Topology build(EngineConfig config, EngineMetrics metrics) {
        Topics topics = config.topics();
        CanarySample sample = new CanarySample();
        ModelHistory history = new ModelHistory(config.initialModel());
        Topology topology = new Topology();
        topology.addSource(SOURCE, new ByteArrayDeserializer(), new ByteArrayDeserializer(), topics.events());
        topology.addProcessor(VALIDATE_PROCESSOR, () -> new ValidateProcessor(config, metrics), SOURCE);
        topology.addProcessor(SERIES_PROCESSOR, () -> new SeriesProcessor(config, metrics, sample),
                VALIDATE_PROCESSOR);
        topology.addSource(REQUESTS_SOURCE, new ByteArrayDeserializer(), new ByteArrayDeserializer(),
                topics.forecastRequests());
        topology.addProcessor(REQUEST_PROCESSOR, () -> new ForecastRequestProcessor(config, metrics),
                REQUESTS_SOURCE);
        topology.addStateStore(seriesStore(), SERIES_PROCESSOR, REQUEST_PROCESSOR);
        topology.addSink(DLQ_SINK, topics.deadLetters(), new ByteArraySerializer(), new ByteArraySerializer(),
                VALIDATE_PROCESSOR, SERIES_PROCESSOR, REQUEST_PROCESSOR);
        topology.addSink(RESPONSES_SINK, topics.forecastResponses(), new StringSerializer(),
                new ByteArraySerializer(), REQUEST_PROCESSOR);
        topology.addSink(LATE_SINK, topics.late(), new ByteArraySerializer(), new ByteArraySerializer(),
                SERIES_PROCESSOR);
        topology.addSink(FORECASTS_SINK, topics.forecasts(), new StringSerializer(),
                StreamSerdes.forecast().serializer(), SERIES_PROCESSOR);
        topology.addSink(INTENSITIES_SINK, topics.intensities(), new StringSerializer(),
                StreamSerdes.intensity().serializer(), SERIES_PROCESSOR);
        topology.addGlobalStore(modelsStore(), MODELS_SOURCE, new StringDeserializer(), new ByteArrayDeserializer(),
                topics.models(), MODELS_UPDATER,
                () -> new ModelStoreUpdater(config, metrics, history, new ModelCanary(config, sample)));
        return topology;
    }

    private static StoreBuilder<KeyValueStore<String, SeriesSnapshot>> seriesStore() {
        return Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(EngineConfig.SERIES_STORE),
                Serdes.String(), StreamSerdes.snapshot()).withCachingEnabled();
    }

    private static StoreBuilder<KeyValueStore<String, byte[]>> modelsStore() {
        return Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(EngineConfig.MODELS_STORE), Serdes.String(),
                Serdes.ByteArray()).withLoggingDisabled();
    }
}
