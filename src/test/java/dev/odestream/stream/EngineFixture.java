package dev.odestream.stream;

import dev.odestream.metrics.EngineMetrics;
import dev.odestream.model.ModelConfig;
import dev.odestream.model.checkpoint.LoadedModel;
import dev.odestream.nn.Activation;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.test.TestRecord;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Properties;

/** A TopologyTestDriver around the engine's topology with a small model, and typed access to every topic. */
public final class EngineFixture implements AutoCloseable {

    /** Event times in the tests sit around here; the driver's wall clock starts here too. */
    public static final long T0 = Instant.parse("2025-11-23T12:00:00Z").toEpochMilli();

    public final EngineConfig config;
    public final EngineMetrics metrics;
    public final TopologyTestDriver driver;
    private final TestInputTopic<byte[], byte[]> events;
    private final TestInputTopic<String, byte[]> models;
    private final TestOutputTopic<String, ForecastRecord> forecasts;
    private final TestOutputTopic<String, IntensityRecord> intensities;
    private final TestOutputTopic<byte[], byte[]> deadLetters;
    private final TestOutputTopic<byte[], byte[]> late;
    private final TestInputTopic<byte[], byte[]> requests;
    private final TestOutputTopic<String, byte[]> responses;

    /** Two dimensions, two event types, latent 3, hidden 6, four forecast samples. */
    public static ModelConfig smallModel() {
        return new ModelConfig(2, 2, 3, 6, 8, 8, 8, Activation.TANH, 0.1, 4, 1e-6, 1e-8);
    }

    public static EngineConfig smallConfig() {
        return EngineConfig.defaults(LoadedModel.initial(smallModel(), 11L));
    }

    EngineFixture(EngineConfig config, Path stateDir) {
        this(config, stateDir, EngineMetrics.inMemory());
    }

    public EngineFixture(EngineConfig config, Path stateDir, EngineMetrics metrics) {
        this.config = config;
        this.metrics = metrics;
        Properties props = Engine.streamsProperties("engine-test", "unused:9092", stateDir);
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        this.driver = new TopologyTestDriver(EngineTopology.build(config, metrics), props, Instant.ofEpochMilli(T0));
        Topics t = config.topics();
        this.events = driver.createInputTopic(t.events(), new ByteArraySerializer(), new ByteArraySerializer());
        this.models = driver.createInputTopic(t.models(), new StringSerializer(), new ByteArraySerializer());
        this.forecasts = driver.createOutputTopic(t.forecasts(), new StringDeserializer(),
                StreamSerdes.forecast().deserializer());
        this.intensities = driver.createOutputTopic(t.intensities(), new StringDeserializer(),
                StreamSerdes.intensity().deserializer());
        this.deadLetters = driver.createOutputTopic(t.deadLetters(), new ByteArrayDeserializer(),
                new ByteArrayDeserializer());
        this.late = driver.createOutputTopic(t.late(), new ByteArrayDeserializer(), new ByteArrayDeserializer());
        this.requests = driver.createInputTopic(t.forecastRequests(), new ByteArraySerializer(),
                new ByteArraySerializer());
        this.responses = driver.createOutputTopic(t.forecastResponses(), new StringDeserializer(),
                new ByteArrayDeserializer());
    }

    public void send(String series, Event event) {
        send(series == null ? null : series.getBytes(StandardCharsets.UTF_8), EventJson.write(event));
    }

    public void send(String series, String json) {
        send(series.getBytes(StandardCharsets.UTF_8), json.getBytes(StandardCharsets.UTF_8));
    }

    void send(byte[] key, byte[] value) {
        Headers headers = new RecordHeaders().add("trace", "t-1".getBytes(StandardCharsets.UTF_8));
        events.pipeInput(new TestRecord<>(key, value, headers, Instant.ofEpochMilli(T0)));
    }

    public void publishModel(byte[] checkpoint) {
        models.pipeInput(config.modelName(), checkpoint);
    }

    /** @return the engine's checkpoint record in the global {@code models} store, or {@code null} */
    public byte[] storedModel() {
        KeyValueStore<String, byte[]> models = driver.getKeyValueStore(EngineConfig.MODELS_STORE);
        return models.get(config.modelName());
    }

    /** Sends a forecast request for a series (key bytes as given) at the driver's wall clock. */
    public void request(byte[] key, String json) {
        requests.pipeInput(new TestRecord<>(key, json.getBytes(StandardCharsets.UTF_8), new RecordHeaders(),
                Instant.ofEpochMilli(T0)));
    }

    public void request(String series, String json) {
        request(series.getBytes(StandardCharsets.UTF_8), json);
    }

    /** @return the responses published since the last call, keys and raw JSON values. */
    public List<TestRecord<String, byte[]>> responses() {
        return responses.readRecordsToList();
    }

    public List<ForecastRecord> forecasts() {
        return forecasts.readValuesToList();
    }

    public List<IntensityRecord> intensities() {
        return intensities.readValuesToList();
    }

    List<TestRecord<byte[], byte[]>> deadLetters() {
        return deadLetters.readRecordsToList();
    }

    List<TestRecord<byte[], byte[]>> late() {
        return late.readRecordsToList();
    }

    public KeyValueStore<String, SeriesSnapshot> store() {
        return driver.getKeyValueStore(EngineConfig.SERIES_STORE);
    }

    public SeriesSnapshot snapshot(String series) {
        return store().get(series);
    }

    @Override
    public void close() {
        driver.close();
    }
}
