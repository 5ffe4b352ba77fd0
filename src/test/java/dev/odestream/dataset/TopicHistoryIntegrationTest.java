package dev.odestream.dataset;

import dev.odestream.cli.TrainCommand;
import dev.odestream.model.checkpoint.LoadedModel;
import dev.odestream.stream.TestCluster;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code train --topic}'s reading, on a real in-process broker. */
@Tag("integration")
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class TopicHistoryIntegrationTest {

    @Test
    void shouldReadTheRetainedHistoryAsTheEngineWouldAndSkipWhatItWouldDeadLetter() throws Exception {
        try (TestCluster cluster = TestCluster.start()) {
            cluster.createTopics(List.of(new NewTopic("events", 3, (short) 1)));
            Properties props = new Properties();
            props.put("bootstrap.servers", cluster.bootstrapServers());
            try (KafkaProducer<String, String> producer = new KafkaProducer<>(props, new StringSerializer(),
                    new StringSerializer())) {
                producer.send(new ProducerRecord<>("events", "b", "{\"time\": 3000, \"values\": [3, 30]}"));
                producer.send(new ProducerRecord<>("events", "a", "{\"time\": 1000, \"values\": [1, 10]}"));
                producer.send(new ProducerRecord<>("events", "a", "{\"time\": 2000, \"values\": [2, 20]}"));
                producer.send(new ProducerRecord<>("events", "a", "{\"time\": 2500, \"values\": null}"));
                producer.send(new ProducerRecord<>("events", "a", "{\"time\": 1500, \"values\": [1]}"));
                producer.send(new ProducerRecord<>("events", "c", "not json"));
                producer.send(new ProducerRecord<>("events", null, "{\"time\": 1, \"values\": [1, 1]}"));
                producer.flush();
            }
            TopicHistory.Result read = TopicHistory.read(props, "events", Duration.ofSeconds(60));

            assertEquals(7, read.records());
            assertEquals(Map.of("dimension-mismatch", 1, "malformed-json", 1, "bad-key", 1), read.skipped());
            Dataset data = read.dataset();
            assertEquals(List.of("a", "b"), data.keys());
            assertEquals(2, data.dimension());
            assertEquals(List.of(1000L, 2000L, 2500L), data.series("a").stream().map(e -> e.timeMs()).toList(),
                    "in time order whatever the partition order");
        }
    }

    @Test
    void shouldTrainOnTheTopicsHistory(@TempDir Path dir) throws Exception {
        try (TestCluster cluster = TestCluster.start()) {
            cluster.createTopics(List.of(new NewTopic("events", 2, (short) 1)));
            Properties props = new Properties();
            props.put("bootstrap.servers", cluster.bootstrapServers());
            try (KafkaProducer<String, String> producer = new KafkaProducer<>(props, new StringSerializer(),
                    new StringSerializer())) {
                for (int s = 0; s < 6; s++) {
                    for (int i = 0; i < 12; i++) {
                        producer.send(new ProducerRecord<>("events", "s" + s, String.format(Locale.ROOT,
                                "{\"time\": %d, \"values\": [%.2f]}", 60_000L * (7 * i + s), s + Math.sin(i))));
                    }
                }
            }
            ByteArrayOutputStream printed = new ByteArrayOutputStream();
            int status = TrainCommand.run(new String[] {"--topic", "events", "--bootstrap-servers",
                cluster.bootstrapServers(), "--out", dir.toString(), "--iterations", "10", "--evaluate-every", "5",
                "--threads", "1", "--hidden", "8"}, new PrintStream(printed, true, StandardCharsets.UTF_8));
            String text = printed.toString(StandardCharsets.UTF_8);
            assertEquals(0, status, text);
            assertTrue(text.contains("read 72 records of topic events"), text);
            assertEquals(List.of("x0"), LoadedModel.read(Files.readAllBytes(dir.resolve("model.odsc"))).spec()
                    .valueNames());
        }
    }
}
