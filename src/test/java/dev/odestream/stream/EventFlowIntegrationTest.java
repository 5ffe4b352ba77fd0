package dev.odestream.stream;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static dev.odestream.stream.ClusterIo.readCommitted;
import static dev.odestream.stream.ClusterIo.sample;
import static dev.odestream.stream.ClusterIo.text;
import static dev.odestream.stream.ClusterIo.utf8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Input records on a real broker: each one is accounted for in the output topics and in {@code /metrics}, and events
 * that arrive out of order within the grace leave every series as in-order arrival does.
 */
@Tag("integration")
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class EventFlowIntegrationTest {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final String ACCEPTED = "accepted";
    private static final String LATE = "late";
    private static TestCluster cluster;

    @TempDir
    Path stateDir;

    @BeforeAll
    static void startCluster() throws Exception {
        cluster = TestCluster.start();
    }

    @AfterAll
    static void stopCluster() {
        if (cluster != null) {
            cluster.close();
        }
    }

    /** One input record and where it must end: {@link #ACCEPTED}, {@link #LATE} or a reject reason's code. */
    private record Input(String key, byte[] value, String outcome) {
    }

    @Test
    void shouldAccountForEveryInputRecordInTheCommittedTopicsAndInTheMetrics() throws Exception {
        EngineConfig config = EngineFixture.smallConfig().withTopics(ClusterIo.prefixed("acct."));
        cluster.createTopics(config.topics(), 2);
        List<Input> inputs = mixedInput(System.currentTimeMillis());
        Map<String, Long> expected = inputs.stream().collect(Collectors.groupingBy(Input::outcome,
                Collectors.counting()));
        long accepted = expected.get(ACCEPTED);
        long late = expected.get(LATE);
        long rejected = inputs.size() - accepted - late;
        try (EngineInstance engine = EngineInstance.start(cluster.bootstrapServers(), config, "acct-it",
                stateDir)) {
            send(config.topics().events(), inputs);
            Topics t = config.topics();
            List<ConsumerRecord<byte[], byte[]>> forecasts = readCommitted(cluster.bootstrapServers(), t.forecasts(),
                    r -> r.size() >= accepted, WAIT);
            List<ConsumerRecord<byte[], byte[]>> dlq = readCommitted(cluster.bootstrapServers(), t.deadLetters(),
                    r -> r.size() >= rejected, WAIT);
            List<ConsumerRecord<byte[], byte[]>> lateRecords = readCommitted(cluster.bootstrapServers(), t.late(),
                    r -> r.size() >= late, WAIT);
            assertEquals(inputs.size(), forecasts.size() + dlq.size() + lateRecords.size(),
                    "in = accepted + dead letters + late");
            assertEquals(accepted, forecasts.size());
            assertEquals(late, lateRecords.size());
            lateRecords.forEach(r -> assertEquals(RejectReason.LATE, DeadLetter.from(r.headers()).reason()));
            Map<String, Long> byReason = dlq.stream().collect(Collectors.groupingBy(
                    r -> DeadLetter.from(r.headers()).reason().code(), Collectors.counting()));
            Map<String, Long> expectedReasons = new HashMap<>(expected);
            expectedReasons.remove(ACCEPTED);
            expectedReasons.remove(LATE);
            assertEquals(expectedReasons, byReason, "each dead letter with its reason");
            assertEquals(inputs.stream().filter(i -> !i.outcome().equals(ACCEPTED) && !i.outcome().equals(LATE))
                    .map(i -> text(i.value())).sorted().toList(), dlq.stream().map(r -> text(r.value())).sorted()
                    .toList(), "dead letters keep the original bytes");
            checkMetrics(ClusterIo.scrape(engine.port()), inputs.size(), accepted, late, expectedReasons);
        }
    }

    private static void checkMetrics(Map<String, Double> m, long in, long accepted, long late,
                                     Map<String, Long> reasons) {
        assertEquals(in, sample(m, "odestream_events_in_total"));
        assertEquals(accepted, sample(m, "odestream_events_accepted_total"));
        assertEquals(late, sample(m, "odestream_events_late_total"));
        assertEquals(accepted, sample(m, "odestream_forecasts_out_total"));
        double rejected = 0;
        for (RejectReason reason : RejectReason.values()) {
            double count = sample(m, "odestream_events_rejected_total{reason=\"" + reason.code() + "\"}");
            assertEquals((double) reasons.getOrDefault(reason.code(), 0L), count, reason.code());
            rejected += count;
        }
        assertEquals(in, accepted + rejected + late, "in = accepted + rejected + late, from /metrics");
    }

    /** Valid events for a few series, one in order within the grace per series, and one of each bad kind. */
    private static List<Input> mixedInput(long now) {
        List<Input> inputs = new ArrayList<>();
        long t0 = now - 120_000;
        for (int s = 0; s < 4; s++) {
            String key = "acct-" + s;
            for (int i = 0; i < 6; i++) {
                inputs.add(event(key, t0 + 2_000L * i, ACCEPTED));
            }
            inputs.add(event(key, t0 + 2_000L * 5 - 3_000, ACCEPTED));
            inputs.add(event(key, t0 + 2_000L * 5 - 60_000, LATE));
        }
        String schema = RejectReason.SCHEMA_VIOLATION.code();
        inputs.add(new Input("acct-0", utf8("{oops"), RejectReason.MALFORMED_JSON.code()));
        inputs.add(new Input("acct-1", utf8("[1, 2"), RejectReason.MALFORMED_JSON.code()));
        inputs.add(new Input("acct-1", utf8("{\"time\": " + t0 + ", \"values\": [1, 2], \"colour\": 1}"), schema));
        inputs.add(new Input("acct-2", utf8("{\"values\": [1, 2]}"), schema));
        inputs.add(new Input("acct-2", utf8("{\"time\": " + t0 + ", \"values\": [1, NaN]}"),
                RejectReason.NON_FINITE.code()));
        inputs.add(new Input("acct-3", utf8("{\"time\": " + t0 + ", \"values\": [1, 2, 3]}"),
                RejectReason.DIMENSION_MISMATCH.code()));
        inputs.add(new Input("acct-3", utf8("{\"time\": " + t0 + ", \"values\": [1, 2], \"type\": 7}"),
                RejectReason.UNKNOWN_EVENT_TYPE.code()));
        inputs.add(new Input("acct-0", utf8("{\"time\": " + (now + 7_200_000) + ", \"values\": [1, 2]}"),
                RejectReason.FUTURE_TIME.code()));
        inputs.add(new Input(null, EventJson.write(Event.of(t0, 1, 2)), RejectReason.BAD_KEY.code()));
        return inputs;
    }

    private static Input event(String key, long timeMs, String outcome) {
        return new Input(key, EventJson.write(Event.of(timeMs, Math.sin(timeMs / 1e4), Math.cos(timeMs / 3e4))),
                outcome);
    }

    private static void send(String topic, List<Input> inputs) {
        try (KafkaProducer<byte[], byte[]> producer = ClusterIo.producer(cluster.bootstrapServers())) {
            for (Input i : inputs) {
                // A record without a key goes to any partition; every keyed record keeps its series' order.
                producer.send(new ProducerRecord<>(topic, utf8(i.key()), i.value()));
            }
            producer.flush();
        }
    }

    @Test
    void shouldEndInTheInOrderStateWhenEventsArriveOutOfOrderWithinTheGrace() throws Exception {
        int series = 10;
        int perSeries = 30;
        EngineConfig base = EngineFixture.smallConfig().withRingCapacity(8);
        EngineConfig inOrder = base.withTopics(ClusterIo.prefixed("ordered."));
        EngineConfig shuffled = base.withTopics(ClusterIo.prefixed("shuffled."));
        cluster.createTopics(inOrder.topics(), 2);
        cluster.createTopics(shuffled.topics(), 2);
        Map<String, List<Event>> events = new HashMap<>();
        long t0 = System.currentTimeMillis() - 600_000;
        Random random = new Random(7);
        for (int s = 0; s < series; s++) {
            List<Event> list = new ArrayList<>();
            for (int i = 0; i < perSeries; i++) {
                list.add(Event.of(t0 + 1_000L * i + 3L * s, random.nextGaussian(), random.nextGaussian()));
            }
            events.put("order-" + s, list);
        }
        try (EngineInstance ordered = EngineInstance.start(cluster.bootstrapServers(), inOrder, "ordered-it",
                stateDir.resolve("ordered"));
             EngineInstance reordered = EngineInstance.start(cluster.bootstrapServers(), shuffled, "shuffled-it",
                     stateDir.resolve("shuffled"))) {
            send(inOrder.topics().events(), events, list -> list);
            send(shuffled.topics().events(), events, list -> shuffleInBlocks(list, 6, random));
            Map<String, Long> counts = events.keySet().stream().collect(Collectors.toMap(k -> k,
                    k -> (long) perSeries));
            Map<String, SeriesSnapshot> expected = ClusterIo.finalStates(cluster.bootstrapServers(), "ordered-it",
                    counts, WAIT);
            Map<String, SeriesSnapshot> actual = ClusterIo.finalStates(cluster.bootstrapServers(), "shuffled-it",
                    counts, WAIT);
            assertEquals(series, expected.size());
            assertEquals(expected, actual, "out of order within the grace ends in the in-order states");
            assertTrue(reordered.engine.metrics().eventsReordered() > 0, "some events came out of order");
            assertEquals(0, reordered.engine.metrics().eventsLate());
            assertEquals(0, ordered.engine.metrics().eventsReordered());
            for (String id : List.of("order-0", "order-7")) {
                assertEquals(withoutSeenAt(ClusterIo.get(ordered.port(), "/v1/series/" + id).body()),
                        withoutSeenAt(ClusterIo.get(reordered.port(), "/v1/series/" + id).body()),
                        "the HTTP summary of " + id);
            }
        }
    }

    /**
     * Shuffles each block of {@code block} consecutive events: an event arrives at most {@code block - 1} seconds
     * behind the newest one, inside the 10 s grace and the ring of 8.
     */
    private static List<Event> shuffleInBlocks(List<Event> list, int block, Random random) {
        List<Event> out = new ArrayList<>(list.size());
        for (int i = 0; i < list.size(); i += block) {
            List<Event> part = new ArrayList<>(list.subList(i, Math.min(list.size(), i + block)));
            Collections.shuffle(part, random);
            out.addAll(part);
        }
        return out;
    }

    private static void send(String topic, Map<String, List<Event>> events,
                             java.util.function.UnaryOperator<List<Event>> order) {
        List<Input> inputs = new ArrayList<>();
        events.forEach((key, list) -> order.apply(list).forEach(e -> inputs.add(new Input(key, EventJson.write(e),
                ACCEPTED))));
        send(topic, inputs);
    }

    /** @return a state summary without its wall-clock arrival time, which differs between any two runs. */
    private static String withoutSeenAt(String summary) {
        String stripped = summary.replaceFirst("\"seenAt\":\\d+,", "");
        assertNotEquals(summary, stripped, "the summary names seenAt");
        return stripped;
    }
}
