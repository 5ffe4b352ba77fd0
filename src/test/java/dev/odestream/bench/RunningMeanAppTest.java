package dev.odestream.bench;

import dev.odestream.stream.Engine;
import dev.odestream.stream.Event;
import dev.odestream.stream.EventJson;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

class RunningMeanAppTest {

    @TempDir
    Path stateDir;

    @Test
    void shouldPublishTheRunningMeanOfObservedValuesPerSeriesAndSkipInvalidRecords() {
        LongAdder invalid = new LongAdder();
        try (TopologyTestDriver driver = new TopologyTestDriver(RunningMeanApp.topology("in", "out", invalid),
                Engine.streamsProperties("mean-test", "unused:9092", stateDir))) {
            TestInputTopic<byte[], byte[]> in = driver.createInputTopic("in", new ByteArraySerializer(),
                    new ByteArraySerializer());
            TestOutputTopic<String, byte[]> out = driver.createOutputTopic("out", new StringDeserializer(),
                    new ByteArrayDeserializer());
            in.pipeInput(key("a"), EventJson.write(Event.of(1_000, 1.0, 2.0)));
            in.pipeInput(key("b"), EventJson.write(Event.of(1_000, 10.0, 10.0)));
            in.pipeInput(key("a"), EventJson.write(new Event(2_000, new double[] {4.0, 99.0},
                    new boolean[] {true, false}, 0)));
            in.pipeInput(key("a"), "{\"time\": 3000}".getBytes(StandardCharsets.UTF_8));
            in.pipeInput(key("a"), EventJson.write(Event.point(4_000, 0)));

            List<String> values = out.readValuesToList().stream().map(v -> new String(v, StandardCharsets.UTF_8))
                    .toList();
            assertEquals(List.of("{\"events\":1,\"mean\":[1.0,2.0]}", "{\"events\":1,\"mean\":[10.0,10.0]}",
                    "{\"events\":2,\"mean\":[2.5,2.0]}", "{\"events\":3,\"mean\":[2.5,2.0]}"), values);
            assertEquals(1, invalid.sum(), "the record without values is not an event");
            KeyValueStore<String, RunningMeanApp.Mean> store = driver.getKeyValueStore(RunningMeanApp.STORE);
            RunningMeanApp.Mean a = store.get("a");
            assertEquals(3, a.events());
            assertArrayEquals(new long[] {2, 1}, a.observed());
            assertEquals(a, RunningMeanApp.Mean.decode(a.encode()));
        }
    }

    private static byte[] key(String series) {
        return series.getBytes(StandardCharsets.UTF_8);
    }
}
