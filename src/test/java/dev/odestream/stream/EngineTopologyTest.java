package dev.odestream.stream;

import dev.odestream.model.Forecast;
import dev.odestream.model.LatentOdeModel;
import dev.odestream.model.SeriesState;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static dev.odestream.stream.EngineFixture.T0;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The engine's processors, one behaviour per test, on a TopologyTestDriver. */
class EngineTopologyTest {

    @TempDir
    Path stateDir;

    private EngineFixture engine(EngineConfig config) {
        return new EngineFixture(config, stateDir);
    }

    private static String header(TestRecord<?, ?> record, String name) {
        Header h = record.headers().lastHeader(name);
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }

    @Test
    void shouldPublishTheModelsForecastAndIntensityForAValidEvent() {
        EngineConfig config = EngineFixture.smallConfig();
        try (EngineFixture engine = engine(config)) {
            Event first = new Event(T0 - 2_500, new double[] {0.4, -0.3}, null, 1);
            Event second = new Event(T0, new double[] {0.9, 0.2}, new boolean[] {true, false}, 0);
            engine.send("s-1", first);
            engine.send("s-1", second);

            List<ForecastRecord> forecasts = engine.forecasts();
            List<IntensityRecord> intensities = engine.intensities();
            assertEquals(2, forecasts.size());
            assertEquals(2, intensities.size());
            ForecastRecord f = forecasts.get(1);
            assertEquals("s-1", f.series());
            assertEquals(0, f.modelVersion());
            assertEquals(T0, f.tauMs());
            assertEquals(2, f.eventCount());
            assertEquals(List.of(T0 + 1_000, T0 + 5_000, T0 + 15_000),
                    f.horizons().stream().map(p -> (long) p.time()).toList());

            // The same events through the model directly, at the same model times.
            LatentOdeModel model = config.initialModel().instantiate();
            SeriesState state = model.newState();
            TimeScale scale = config.timeScale();
            model.observe(state, scale.toModel(first.timeMs()), first.values(), null, 1);
            model.observe(state, scale.toModel(second.timeMs()), second.values(), second.mask(), 0);
            Forecast expected = model.newForecast(4);
            model.forecast(state, new double[] {scale.toModel(T0), scale.toModel(T0 + 1_000),
                scale.toModel(T0 + 5_000), scale.toModel(T0 + 15_000)}, expected);
            SeriesModel series = config.seriesModel(config.initialModel());
            for (int i = 0; i < 3; i++) {
                assertEquals(series.horizon(expected, i + 1, T0 + 1_000L * new int[] {1, 5, 15}[i]),
                        f.horizons().get(i));
            }
            IntensityRecord now = intensities.get(1);
            assertEquals(T0, now.timeMs());
            assertArrayEquals(new double[] {expected.intensity(0, 0), expected.intensity(0, 1)}, now.lambda(), 0.0);
            assertArrayEquals(new double[] {0, 0}, now.expectedCount(), 0.0);
            assertEquals(1.0, now.pNoEvent(), 0.0);
            assertArrayEquals(state.hidden(), engine.snapshot("s-1").hidden(), 0.0);
        }
    }

    @Test
    void shouldCountTheEncoderAndTheForecastEvaluationsOfAnEventOnceEach() {
        EngineConfig config = EngineFixture.smallConfig();
        List<Event> events = List.of(Event.of(T0 - 3_000, 0.4, -0.3), Event.of(T0 - 1_000, 0.1, 0.2));
        SeriesModel direct = config.seriesModel(config.initialModel());
        SeriesSnapshot s = null;
        long expected = 0;
        long encoder = 0;
        for (Event e : events) {
            s = ((SeriesModel.Updated) direct.update(s, e)).snapshot();
            encoder = direct.lastNfe();
            direct.issue("s-1", s, config.horizonsMs(), T0);
            expected += encoder + direct.lastNfe();
        }
        assertTrue(encoder > 0, "the second event integrates the encoder ODE over the gap");
        try (EngineFixture engine = engine(config)) {
            events.forEach(e -> engine.send("s-1", e));
            var nfe = engine.metrics.registry().find("odestream.update.nfe").summary();
            assertEquals(expected, (long) nfe.totalAmount());
        }
    }

    static Stream<Arguments> badRecords() {
        byte[] key = "s-1".getBytes(StandardCharsets.UTF_8);
        return Stream.of(
                Arguments.of(key, "{\"time\": 1, \"values\": [1, 2]", RejectReason.MALFORMED_JSON),
                Arguments.of(key, "{\"time\": 1, \"values\": [1, 2], \"extra\": 3}", RejectReason.SCHEMA_VIOLATION),
                Arguments.of(key, "{\"time\": 1, \"values\": [1, NaN]}", RejectReason.NON_FINITE),
                Arguments.of(key, "{\"time\": 1, \"values\": [1, 2, 3]}", RejectReason.DIMENSION_MISMATCH),
                Arguments.of(key, "{\"time\": 1, \"values\": null, \"type\": 2}", RejectReason.UNKNOWN_EVENT_TYPE),
                Arguments.of(key, "{\"time\": " + (T0 + 3_600_001) + ", \"values\": null}", RejectReason.FUTURE_TIME),
                Arguments.of(null, "{\"time\": 1, \"values\": null}", RejectReason.BAD_KEY),
                Arguments.of(new byte[] {(byte) 0xC3, 0x28}, "{\"time\": 1, \"values\": null}", RejectReason.BAD_KEY),
                Arguments.of("é".repeat(513).getBytes(StandardCharsets.UTF_8), "{\"time\": " + T0
                        + ", \"values\": [1, 2]}", RejectReason.SERIES_ID_TOO_LONG),
                Arguments.of(key, "{\"time\": -1, \"values\": [1, 2]}", RejectReason.TOO_EARLY),
                Arguments.of(key, "{\"time\": 0, \"values\": [1, 2]}", RejectReason.TOO_EARLY),
                Arguments.of(key, "{\"time\": 1763900000, \"values\": [1, 2]}", RejectReason.TOO_EARLY),
                Arguments.of(key, "{\"time\": \"0001-01-01T00:00:00Z\", \"values\": [1, 2]}",
                        RejectReason.TOO_EARLY),
                Arguments.of(key, "{\"time\": -1000000000000000000, \"values\": [1, 2]}", RejectReason.TOO_EARLY),
                Arguments.of(key, "{\"time\": " + Long.MIN_VALUE + ", \"values\": [1, 2]}", RejectReason.TOO_EARLY),
                Arguments.of(key, "{\"time\": " + Long.MAX_VALUE + ", \"values\": [1, 2]}", RejectReason.FUTURE_TIME));
    }

    @ParameterizedTest
    @MethodSource("badRecords")
    void shouldSendABadRecordToTheDeadLetterTopicWithItsReasonAndGoOn(byte[] key, String json, RejectReason reason) {
        try (EngineFixture engine = engine(EngineFixture.smallConfig())) {
            byte[] value = json.getBytes(StandardCharsets.UTF_8);
            engine.send(key, value);
            engine.send("s-2", Event.of(T0, 1.0, 2.0));

            List<TestRecord<byte[], byte[]>> dlq = engine.deadLetters();
            assertEquals(1, dlq.size());
            TestRecord<byte[], byte[]> letter = dlq.getFirst();
            assertArrayEquals(key, letter.key());
            assertArrayEquals(value, letter.value());
            DeadLetter parsed = DeadLetter.from(letter.headers());
            assertEquals(reason, parsed.reason(), parsed.detail());
            assertEquals("events", parsed.sourceTopic());
            assertEquals(0, parsed.sourceOffset());
            assertEquals(T0, parsed.sourceTimestamp());
            assertEquals("t-1", header(letter, "trace"));
            assertEquals(1, engine.forecasts().size(), "the next valid event must still be forecast");
            assertEquals(1, engine.metrics.eventsRejected(reason.code()));
        }
    }

    @Test
    void shouldTakeTheLimitsFromTheConfiguration() {
        EngineConfig config = EngineFixture.smallConfig().withLimits(Limits.defaults().withMaxSeriesIdBytes(4)
                .withEarliestEventTime(Instant.ofEpochMilli(T0 - 1_000))).withMaxFuture(
                java.time.Duration.ofSeconds(5));
        try (EngineFixture engine = engine(config)) {
            engine.send("abcd", Event.of(T0 - 1_000, 1, 2));
            engine.send("abcde", Event.of(T0, 1, 2));
            engine.send("abcd", Event.of(T0 - 1_001, 1, 2));
            engine.send("abcd", Event.of(T0 + 5_001, 1, 2));
            engine.send("abcd", Event.of(T0 + 5_000, 1, 2));
            assertEquals(2, engine.forecasts().size());
            assertEquals(List.of(RejectReason.SERIES_ID_TOO_LONG, RejectReason.TOO_EARLY, RejectReason.FUTURE_TIME),
                    engine.deadLetters().stream().map(r -> DeadLetter.from(r.headers()).reason()).toList());
        }
    }

    @Test
    void shouldAnswerAnEventTheModelCannotFoldInFromTheBaselineAndKeepIt() {
        try (EngineFixture engine = engine(EngineConfig.defaults(SeriesRecoveryTest.stiffModel()))) {
            engine.send("s-1", Event.of(T0 - 600_000, 0.1, 0.2));
            Event unreachable = Event.of(T0, 0.3, 0.4);
            engine.send("s-1", unreachable);

            assertTrue(engine.deadLetters().isEmpty(), "a failed solve is recovered from, not dead-lettered");
            assertEquals(List.of(Source.MODEL, Source.BASELINE),
                    engine.forecasts().stream().map(ForecastRecord::source).toList());
            assertEquals(Source.BASELINE, engine.intensities().getLast().source());
            assertEquals(unreachable, engine.snapshot("s-1").ring().getLast());
            assertEquals(1, engine.metrics.recoveredCount("baseline"));
            assertEquals(2, engine.metrics.eventsAccepted());
        }
    }

    @Test
    void shouldSendAnEventBeyondTheGraceToTheLateTopicAndKeepTheSeries() {
        try (EngineFixture engine = engine(EngineFixture.smallConfig().withGrace(Duration.ofSeconds(10)))) {
            engine.send("s-1", Event.of(T0 - 60_000, 0.1, 0.2));
            engine.send("s-1", Event.of(T0, 0.3, 0.4));
            SeriesSnapshot before = engine.snapshot("s-1");
            Event tooOld = Event.of(T0 - 10_001, 0.5, 0.6);
            engine.send("s-1", tooOld);

            List<TestRecord<byte[], byte[]>> late = engine.late();
            assertEquals(1, late.size());
            assertEquals(RejectReason.LATE, DeadLetter.from(late.getFirst().headers()).reason());
            assertArrayEquals(EventJson.write(tooOld), late.getFirst().value());
            assertEquals(before, engine.snapshot("s-1"));
            assertEquals(2, engine.forecasts().size());
            assertEquals(1, engine.metrics.eventsLate());
        }
    }

    @Test
    void shouldSendAnEventOlderThanTheRingToTheLateTopicEvenWithinTheGrace() {
        EngineConfig config = EngineFixture.smallConfig().withRingCapacity(2).withGrace(Duration.ofHours(1));
        try (EngineFixture engine = engine(config)) {
            for (int i = 0; i < 5; i++) {
                engine.send("s-1", Event.of(T0 - 10_000 + 1_000L * i, i, -i));
            }
            assertEquals(T0 - 8_000, engine.snapshot("s-1").baseBoundMs());
            engine.send("s-1", Event.of(T0 - 8_500, 7, 7));
            engine.send("s-1", Event.of(T0 - 7_500, 7, 7));
            assertEquals(1, engine.late().size());
            assertEquals(6, engine.snapshot("s-1").events());
        }
    }

    /** Arrival order: in time order except for a few events delayed by one to three places, all within the grace. */
    private static List<Event> arrivalOrder(List<Event> inOrder) {
        List<Event> arrival = new ArrayList<>(inOrder);
        arrival.add(4, arrival.remove(2));
        arrival.add(8, arrival.remove(5));
        arrival.add(11, arrival.remove(10));
        return arrival;
    }

    @Test
    void shouldEndInTheInOrderStateWhenEventsArriveOutOfOrderWithinTheGrace() {
        EngineConfig config = EngineFixture.smallConfig().withRingCapacity(4).withGrace(Duration.ofSeconds(30));
        List<Event> inOrder = new ArrayList<>();
        long t = T0 - 60_000;
        for (int i = 0; i < 12; i++) {
            t += 700 + 450L * (i % 5);
            inOrder.add(i % 4 == 3 ? Event.point(t, 1) : new Event(t, new double[] {Math.sin(i), Math.cos(i)},
                    i % 3 == 1 ? new boolean[] {false, true} : null, 0));
        }
        List<Event> arrival = arrivalOrder(inOrder);
        SeriesSnapshot expected;
        ForecastRecord expectedLast;
        try (EngineFixture engine = engine(config)) {
            inOrder.forEach(e -> engine.send("s-1", e));
            expected = engine.snapshot("s-1");
            expectedLast = engine.forecasts().getLast();
        }
        try (EngineFixture engine = new EngineFixture(config, stateDir.resolve("second"))) {
            arrival.forEach(e -> engine.send("s-1", e));
            assertEquals(expected, engine.snapshot("s-1"));
            assertEquals(expectedLast, engine.forecasts().getLast());
            assertEquals(3, engine.metrics.eventsReordered());
            assertTrue(engine.late().isEmpty());
        }
        assertEquals(8, expected.baseCount(), "the ring must have overflowed into the base");
    }

    @Test
    void shouldAccountForEveryInputRecord() {
        try (EngineFixture engine = engine(EngineFixture.smallConfig().withGrace(Duration.ofSeconds(5)))) {
            int sent = 0;
            for (int i = 0; i < 30; i++) {
                String series = "s-" + (i % 3);
                long time = T0 - 100_000 + 1_000L * i;
                switch (i % 6) {
                    case 1 -> engine.send(series, "{\"time\": " + time + ", \"values\": [1]}");
                    case 3 -> engine.send(series, Event.of(time - 20_000, 1, 2));
                    case 4 -> engine.send(series, "{not json");
                    default -> engine.send(series, Event.of(time, i, -i));
                }
                sent++;
            }
            int out = engine.forecasts().size();
            int dlq = engine.deadLetters().size();
            int late = engine.late().size();
            assertEquals(sent, out + dlq + late);
            assertEquals(15, out);
            assertEquals(10, dlq);
            assertEquals(5, late);
            assertEquals(sent, engine.metrics.eventsIn());
            assertEquals(engine.metrics.eventsIn(), engine.metrics.eventsAccepted() + engine.metrics.eventsRejected()
                    + engine.metrics.eventsLate());
            assertNotNull(engine.snapshot("s-0"));
            assertEquals(2, engine.metrics.seriesCreatedCount(), "s-1 only ever gets rejected records");
        }
    }
}
