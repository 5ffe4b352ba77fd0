package dev.odestream.stream;

import dev.odestream.model.checkpoint.CheckpointCodec;
import dev.odestream.model.checkpoint.DataRange;
import dev.odestream.model.checkpoint.LoadedModel;
import dev.odestream.model.checkpoint.TrainingMetadata;
import org.apache.kafka.streams.test.TestRecord;
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
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Checkpoints are judged once, where the {@code models} topic is read: a reused version number, a model that cannot
 * run, and a tombstone mean the same on the series thread and the request thread, and a refusal counts once.
 */
class ModelGateTest {

    @TempDir
    Path stateDir;

    private static final TrainingMetadata TRAINING = new TrainingMetadata(Instant.parse("2025-11-20T00:00:00Z"),
            OptionalLong.empty(), new DataRange(Instant.EPOCH, Instant.EPOCH, 0), Map.of(), "test");

    static LoadedModel version(long version, long seed) {
        LoadedModel initial = LoadedModel.initial(EngineFixture.smallModel(), seed);
        return new LoadedModel(version, seed, initial.config(), initial.parameters());
    }

    /** @return the model with every parameter multiplied: finite, well formed, and unusable for a large factor */
    static LoadedModel scaled(LoadedModel model, long version, double factor) {
        double[] p = model.parameters();
        for (int i = 0; i < p.length; i++) {
            p[i] *= factor;
        }
        return model.withParameters(version, p);
    }

    static byte[] checkpoint(LoadedModel model) {
        return CheckpointCodec.encode(model.toCheckpoint(TRAINING));
    }

    private static void feed(EngineFixture engine, String series, int events, long from) {
        for (int i = 0; i < events; i++) {
            engine.send(series, Event.of(from + 1_000L * i, Math.sin(i), Math.cos(i)));
        }
    }

    /** @return the model version of the answer to a forecast request on the request topic */
    private static long requestedVersion(EngineFixture engine, String series) {
        engine.request(series, "{\"correlationId\": \"q\", \"at\": [" + (T0 + 60_000) + "]}");
        List<TestRecord<String, byte[]>> responses = engine.responses();
        String json = new String(responses.getLast().value(), StandardCharsets.UTF_8);
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("\"modelVersion\":(\\d+)").matcher(json);
        assertTrue(m.find(), json);
        return Long.parseLong(m.group(1));
    }

    @Test
    void shouldRefuseAReusedVersionNumberEvenWithAnotherVersionBetweenAndCountItOnce() {
        try (EngineFixture engine = new EngineFixture(EngineFixture.smallConfig(), stateDir)) {
            byte[] v1 = checkpoint(version(1, 99));
            engine.publishModel(v1);
            feed(engine, "a", 3, T0 - 10_000);
            engine.publishModel(checkpoint(version(2, 7)));
            feed(engine, "a", 1, T0 - 5_000);
            engine.publishModel(checkpoint(version(1, 12345)));
            feed(engine, "a", 1, T0 - 4_000);
            assertEquals(2, requestedVersion(engine, "a"));
            assertEquals(List.of(1L, 1L, 1L, 2L, 2L), engine.forecasts().stream().map(ForecastRecord::modelVersion)
                    .toList(), "the series thread stays on version 2");
            assertEquals(1, engine.metrics.modelRejections(), "once, whichever threads look");
            assertEquals(1, engine.metrics.modelRejections("version-reused"));
            assertArrayEquals(checkpoint(version(2, 7)), engine.storedModel());
            engine.publishModel(v1);
            feed(engine, "a", 1, T0 - 3_000);
            assertEquals(1, engine.forecasts().getFirst().modelVersion(), "version 1 as it was is welcome back");
        }
    }

    @Test
    void shouldRefuseAFiniteCheckpointTheModelCannotRunAndKeepTheOldModel() {
        try (EngineFixture engine = new EngineFixture(EngineFixture.smallConfig(), stateDir)) {
            engine.publishModel(checkpoint(version(1, 99)));
            feed(engine, "a", 4, T0 - 10_000);
            engine.publishModel(checkpoint(scaled(version(1, 99), 2, 1e150)));
            feed(engine, "a", 2, T0 - 5_000);
            assertEquals(1, requestedVersion(engine, "a"));
            List<ForecastRecord> forecasts = engine.forecasts();
            assertEquals(6, forecasts.size());
            forecasts.forEach(f -> assertEquals(1, f.modelVersion()));
            assertEquals(Source.MODEL, forecasts.getLast().source());
            assertEquals(1, engine.metrics.modelRejections("canary"));
            assertEquals(1, engine.metrics.modelRejections());
            assertEquals(0, engine.metrics.eventsRejected(), "no event paid for the refused model");
            assertArrayEquals(checkpoint(version(1, 99)), engine.storedModel());
        }
    }

    @Test
    void shouldAcceptAModelThatRunsOnTheProbeAndTheLiveSample() {
        try (EngineFixture engine = new EngineFixture(EngineFixture.smallConfig(), stateDir)) {
            feed(engine, "a", 4, T0 - 10_000);
            feed(engine, "b", 4, T0 - 10_000);
            engine.publishModel(checkpoint(scaled(version(1, 99), 1, 1.5)));
            feed(engine, "a", 1, T0 - 5_000);
            assertEquals(1, engine.forecasts().getLast().modelVersion());
            assertEquals(0, engine.metrics.modelRejections());
        }
    }

    @Test
    void shouldServeTheInitialModelOnEveryThreadAfterATombstone() {
        try (EngineFixture engine = new EngineFixture(EngineFixture.smallConfig(), stateDir)) {
            engine.publishModel(checkpoint(version(1, 99)));
            feed(engine, "a", 3, T0 - 10_000);
            assertEquals(1, requestedVersion(engine, "a"));
            engine.publishModel(null);
            assertNull(engine.storedModel());
            feed(engine, "a", 1, T0 - 5_000);
            assertEquals(0, requestedVersion(engine, "a"), "the request thread");
            assertEquals(0, engine.forecasts().getLast().modelVersion(), "the series thread");
            assertEquals(0, engine.snapshot("a").modelVersion(), "the series was re-encoded with version 0");
            engine.publishModel(checkpoint(version(1, 12345)));
            feed(engine, "a", 1, T0 - 4_000);
            assertEquals(0, engine.forecasts().getLast().modelVersion(), "a withdrawn version's number stays taken");
            assertEquals(1, engine.metrics.modelRejections("version-reused"));
        }
    }
}
