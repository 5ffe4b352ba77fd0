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

/** Model hot-swap through the global {@code models} store. */
class ModelSwapTest {

    @TempDir
    Path stateDir;

    private static final TrainingMetadata TRAINING = new TrainingMetadata(Instant.parse("2025-11-20T00:00:00Z"),
            OptionalLong.empty(), new DataRange(Instant.EPOCH, Instant.EPOCH, 0), Map.of(), "test");

    /** A version with other parameters: the same architecture, initialised from another seed. */
    private static LoadedModel version(long version, long seed) {
        LoadedModel initial = LoadedModel.initial(EngineFixture.smallModel(), seed);
        return new LoadedModel(version, seed, initial.config(), initial.parameters());
    }

    private static byte[] checkpoint(LoadedModel model) {
        return CheckpointCodec.encode(model.toCheckpoint(TRAINING));
    }

    @Test
    void shouldForecastWithANewVersionAndReencodeEachSeriesFromItsRingWhenTouched() {
        try (EngineFixture engine = new EngineFixture(EngineFixture.smallConfig().withRingCapacity(3), stateDir)) {
            for (int i = 0; i < 5; i++) {
                engine.send("a", Event.of(T0 - 10_000 + 1_000L * i, i, 1));
                engine.send("b", Event.of(T0 - 10_000 + 1_000L * i, 1, i));
            }
            LoadedModel v1 = version(1, 99);
            engine.publishModel(checkpoint(v1));
            engine.forecasts();
            Event next = Event.of(T0, 0.5, 0.5);
            engine.send("a", next);

            ForecastRecord forecast = engine.forecasts().getFirst();
            assertEquals(1, forecast.modelVersion());
            SeriesSnapshot a = engine.snapshot("a");
            assertEquals(1, a.modelVersion());
            assertEquals(6, a.events());
            // Direct: the new model over the old ring (three events) and the new event, nothing before; the oldest
            // of the four then leaves the ring for the base.
            LatentOdeModel model = v1.instantiate();
            SeriesState state = model.newState();
            List<Event> seen = List.of(Event.of(T0 - 8_000, 2, 1), Event.of(T0 - 7_000, 3, 1),
                    Event.of(T0 - 6_000, 4, 1), next);
            for (Event e : seen) {
                model.observe(state, e.timeMs() / 1000.0, e.values(), null, 0);
                if (e == seen.getFirst()) {
                    assertArrayEquals(state.hidden(), a.baseHidden(), 0.0);
                }
            }
            assertEquals(1, a.baseCount(), "the new model's base holds only what left the ring since the swap");
            assertEquals(seen.subList(1, 4), a.ring());
            assertArrayEquals(state.hidden(), a.hidden(), 0.0);
            assertEquals(0, engine.snapshot("b").modelVersion(), "an untouched series keeps its old state");
            assertEquals(1, engine.metrics.modelSwaps());
        }
    }

    @Test
    void shouldKeepTheModelInUseWhenACheckpointIsRefused() {
        try (EngineFixture engine = new EngineFixture(EngineFixture.smallConfig(), stateDir)) {
            engine.publishModel(checkpoint(version(1, 99)));
            byte[] corrupt = checkpoint(version(2, 5));
            corrupt[corrupt.length / 2] ^= 1;
            engine.publishModel(corrupt);
            ModelConfig wider = new ModelConfig(2, 2, 3, 7, 8, 8, 8, dev.odestream.nn.Activation.TANH, 0.1, 4, 1e-6,
                    1e-8);
            engine.publishModel(checkpoint(new LoadedModel(3, 1, wider, LoadedModel.initial(wider, 1).parameters())));
            engine.publishModel(checkpoint(version(1, 12345)));
            engine.send("a", Event.of(T0, 1, 2));

            assertEquals(1, engine.forecasts().getFirst().modelVersion());
            assertEquals(2, engine.metrics.modelRejections("invalid"), "corrupt and incompatible");
            assertEquals(1, engine.metrics.modelRejections("version-reused"), "version 1 again, other parameters");
            assertArrayEquals(checkpoint(version(1, 99)), engine.storedModel(), "the store keeps version 1");
        }
    }

    @Test
    void shouldRefuseAVersionNumberReusedForOtherParameters() {
        try (EngineFixture engine = new EngineFixture(EngineFixture.smallConfig(), stateDir)) {
            engine.publishModel(checkpoint(version(1, 99)));
            engine.send("a", Event.of(T0 - 1_000, 1, 2));
            engine.publishModel(checkpoint(version(1, 12345)));
            engine.send("a", Event.of(T0, 1, 2));
            List<ForecastRecord> forecasts = engine.forecasts();
            assertEquals(List.of(1L, 1L), forecasts.stream().map(ForecastRecord::modelVersion).toList());
            assertEquals(1, engine.metrics.modelRejections());
            assertEquals(1, engine.metrics.modelSwaps());
        }
    }

    @Test
    void shouldRoundTripAVersionThroughACheckpointAndNameWhatIsWrongWithABadOne() throws Exception {
        LoadedModel v = version(4, 77);
        assertEquals(v, LoadedModel.fromCheckpoint(checkpoint(v), EngineFixture.smallModel()));
        assertEquals(v.config(), LoadedModel.configOf(LoadedModel.hyperparameters(v.config(), 77)));
        ModelRejectedException wrongShape = assertThrows(ModelRejectedException.class,
                () -> LoadedModel.fromCheckpoint(checkpoint(v), EngineFixture.smallModel().withForecastSamples(6)));
        assertTrue(wrongShape.getMessage().contains("forecastSamples"), wrongShape.getMessage());
        byte[] truncated = java.util.Arrays.copyOf(checkpoint(v), 100);
        assertTrue(assertThrows(ModelRejectedException.class,
                () -> LoadedModel.fromCheckpoint(truncated, EngineFixture.smallModel())).getMessage()
                .startsWith("not a valid checkpoint"));
    }
}
