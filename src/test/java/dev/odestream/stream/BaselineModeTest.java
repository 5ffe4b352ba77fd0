package dev.odestream.stream;

import dev.odestream.model.LatentOdeModel;
import dev.odestream.model.ModelConfig;
import dev.odestream.model.SeriesState;
import dev.odestream.model.checkpoint.CheckpointCodec;
import dev.odestream.model.checkpoint.DataRange;
import dev.odestream.model.checkpoint.LoadedModel;
import dev.odestream.model.checkpoint.ModelRejectedException;
import dev.odestream.model.checkpoint.TrainingMetadata;
import dev.odestream.nn.Activation;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

import static dev.odestream.stream.EngineFixture.T0;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** An engine started with no model: baseline answers, labelled, until the first model of the same shape arrives. */
class BaselineModeTest {

    @TempDir
    Path stateDir;

    private static final TrainingMetadata TRAINING = new TrainingMetadata(Instant.parse("2025-11-20T00:00:00Z"),
            OptionalLong.empty(), new DataRange(Instant.EPOCH, Instant.EPOCH, 0), Map.of(), "test");

    private static EngineConfig baselineConfig() {
        return EngineConfig.defaults(LoadedModel.baseline(EngineFixture.smallModel())).withRingCapacity(3);
    }

    private static byte[] checkpoint(long version, ModelConfig config) {
        LoadedModel initial = LoadedModel.initial(config, 99);
        return CheckpointCodec.encode(new LoadedModel(version, 99, config, initial.parameters())
                .toCheckpoint(TRAINING));
    }

    @Test
    void shouldAnswerFromTheBaselineInUserUnitsAndSaySo() {
        try (EngineFixture engine = new EngineFixture(baselineConfig(), stateDir)) {
            engine.send("a", Event.of(T0 - 4_000, 1000, -5));
            engine.send("a", Event.of(T0 - 2_000, 1002, -5));
            engine.send("a", new Event(T0, new double[] {1001, 0}, new boolean[] {true, false}, 1));

            List<ForecastRecord> forecasts = engine.forecasts();
            assertEquals(3, forecasts.size());
            ForecastRecord last = forecasts.getLast();
            assertEquals(Source.BASELINE, last.source());
            assertEquals(0, last.modelVersion());
            for (var h : last.horizons()) {
                assertTrue(h.isFinite(), h.toString());
                assertEquals(1000.6 + 0.3 * 0.4, h.mean()[0], 1e-9, "the EWMA, in the user's units");
                assertEquals(-5, h.mean()[1], 1e-12);
            }
            // One event of each type after the first over 4 s, plus half an event spread over the two types, per second.
            List<IntensityRecord> intensities = engine.intensities();
            IntensityRecord now = intensities.getLast();
            assertEquals(Source.BASELINE, now.source());
            assertArrayEquals(new double[] {1.25 / 4, 1.25 / 4}, now.lambda(), 1e-12);
            String json = new String(RecordJson.write(last), StandardCharsets.UTF_8);
            assertTrue(json.contains("\"source\":\"baseline\""), json);
            assertEquals(last, RecordJson.readForecast(RecordJson.write(last)));
            SeriesSnapshot a = engine.snapshot("a");
            assertEquals(0, a.hiddenSize(), "no encoder state without a model");
            assertEquals(a, SnapshotCodec.decode(SnapshotCodec.encode(a)));
        }
    }

    @Test
    void shouldSwapInTheFirstModelOfTheSameShapeAndReencodeEachSeriesFromItsRing() {
        ModelConfig other = new ModelConfig(2, 2, 4, 5, 6, 7, 8, Activation.TANH, 0.1, 4, 1e-6, 1e-8);
        try (EngineFixture engine = new EngineFixture(baselineConfig(), stateDir)) {
            for (int i = 0; i < 5; i++) {
                engine.send("a", Event.of(T0 - 10_000 + 1_000L * i, i, 1));
            }
            engine.publishModel(checkpoint(1, other));
            engine.forecasts();
            Event next = Event.of(T0, 0.5, 0.5);
            engine.send("a", next);

            ForecastRecord forecast = engine.forecasts().getFirst();
            assertEquals(1, forecast.modelVersion());
            assertEquals(Source.MODEL, forecast.source());
            SeriesSnapshot a = engine.snapshot("a");
            assertEquals(6, a.events());
            LatentOdeModel model = LoadedModel.initial(other, 99).instantiate();
            SeriesState state = model.newState();
            List<Event> seen = List.of(Event.of(T0 - 8_000, 2, 1), Event.of(T0 - 7_000, 3, 1),
                    Event.of(T0 - 6_000, 4, 1), next);
            for (Event e : seen) {
                model.observe(state, e.timeMs() / 1000.0, e.values(), null, 0);
            }
            assertArrayEquals(state.hidden(), a.hidden(), 0.0, "re-encoded from the ring the baseline kept");
            assertEquals(1, engine.metrics.modelSwaps());
        }
    }

    @Test
    void shouldRefuseAFirstModelForDataOfAnotherShapeNamingBoth() {
        ModelConfig wider = EngineFixture.smallModel().withShape(3, 2);
        ModelRejectedException e = assertThrows(ModelRejectedException.class, () -> LoadedModel.fromRecord(
                "default", checkpoint(1, wider), LoadedModel.baseline(EngineFixture.smallModel())));
        assertTrue(e.getMessage().contains("3 values") && e.getMessage().contains("2 values"), e.getMessage());
        try (EngineFixture engine = new EngineFixture(baselineConfig(), stateDir)) {
            engine.publishModel(checkpoint(1, wider));
            engine.send("a", Event.of(T0, 1, 2));
            assertEquals(Source.BASELINE, engine.forecasts().getFirst().source());
            assertEquals(1, engine.metrics.modelRejections());
        }
    }
}
