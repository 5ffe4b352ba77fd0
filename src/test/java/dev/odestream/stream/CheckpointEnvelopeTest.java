package dev.odestream.stream;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.odestream.model.checkpoint.Checkpoint;
import dev.odestream.model.checkpoint.CheckpointCodec;
import dev.odestream.model.checkpoint.CheckpointEnvelope;
import dev.odestream.model.checkpoint.DataRange;
import dev.odestream.model.checkpoint.LoadedModel;
import dev.odestream.model.checkpoint.ModelRejectedException;
import dev.odestream.model.checkpoint.TrainingMetadata;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.OptionalLong;

import static dev.odestream.stream.EngineFixture.T0;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The JSON envelope of checkpoints on the {@code models} topic, and the engine taking or refusing one. */
class CheckpointEnvelopeTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Instant TRAINED = Instant.parse("2025-11-22T18:30:15.250Z");

    @TempDir
    Path stateDir;

    private static Checkpoint checkpoint(long version, long seed) {
        LoadedModel initial = LoadedModel.initial(EngineFixture.smallModel(), seed);
        TrainingMetadata training = new TrainingMetadata(TRAINED, OptionalLong.of(version - 1),
                new DataRange(Instant.parse("2025-11-21T00:00:00Z"), Instant.parse("2025-11-22T00:00:00Z"), 5_000),
                Map.of("train.loss", 0.75, "heldout.nll", 1.25, "validation.rmse", 0.5), "test");
        return new LoadedModel(version, seed, initial.config(), initial.parameters()).toCheckpoint(training);
    }

    private static byte[] edited(byte[] envelope, String field, Object value) throws Exception {
        ObjectNode tree = (ObjectNode) JSON.readTree(envelope);
        tree.set(field, JSON.valueToTree(value));
        return JSON.writeValueAsBytes(tree);
    }

    @Test
    void shouldWriteAndReadAnEnvelopeWhoseFieldsComeFromTheCheckpoint() throws Exception {
        Checkpoint c = checkpoint(3, 99);
        byte[] json = CheckpointEnvelope.write("default", c);
        CheckpointEnvelope e = CheckpointEnvelope.parse(json);
        assertEquals("default", e.modelName());
        assertEquals(3, e.modelVersion());
        assertEquals(TRAINED, e.createdAt());
        assertEquals(OptionalLong.of(2), e.lineage().parentVersion());
        assertEquals(Map.of("train.loss", 0.75), e.lineage().trainingMetrics());
        assertEquals(Map.of("heldout.nll", 1.25, "validation.rmse", 0.5), e.lineage().heldOutMetrics());
        assertArrayEquals(CheckpointCodec.encode(c), e.checkpoint());
        assertEquals(c, e.verify());
        assertEquals(c, CheckpointEnvelope.open("default", json));
        assertEquals(c, CheckpointEnvelope.open("default", CheckpointCodec.encode(c)), "raw ODSC is still read");
    }

    @Test
    void shouldTakeAnEnvelopeFromTheModelsTopicAndReportWhenTheModelWasTrained() {
        try (EngineFixture engine = new EngineFixture(EngineFixture.smallConfig(), stateDir)) {
            assertEquals(0, engine.metrics.modelCreatedSeconds(), "the initial model is untrained");
            engine.publishModel(CheckpointEnvelope.write("default", checkpoint(4, 99)));
            engine.send("a", Event.of(T0, 1, 2));
            assertEquals(4, engine.forecasts().getFirst().modelVersion());
            assertEquals(TRAINED.getEpochSecond(), engine.metrics.modelCreatedSeconds());
            assertEquals(1, engine.metrics.modelSwaps());
        }
    }

    @Test
    void shouldRefuseAnEnvelopeThatDisagreesWithItsCheckpointAndKeepTheModel() throws Exception {
        byte[] good = CheckpointEnvelope.write("default", checkpoint(4, 99));
        byte[] wrongVersion = edited(good, "modelVersion", 5);
        ModelRejectedException e = assertThrows(ModelRejectedException.class,
                () -> CheckpointEnvelope.open("default", wrongVersion));
        assertTrue(e.getMessage().contains("modelVersion is 5 in the envelope, 4 in the checkpoint"), e.getMessage());
        byte[] wrongTime = edited(good, "createdAt", "2025-11-22T18:30:15Z");
        assertTrue(assertThrows(ModelRejectedException.class, () -> CheckpointEnvelope.open("default", wrongTime))
                .getMessage().contains("createdAt"));
        try (EngineFixture engine = new EngineFixture(EngineFixture.smallConfig(), stateDir)) {
            engine.publishModel(CheckpointEnvelope.write("default", checkpoint(2, 7)));
            engine.publishModel(wrongVersion);
            engine.publishModel(edited(good, "format", "onnx"));
            engine.publishModel(edited(good, "checkpoint", "not base64!"));
            engine.send("a", Event.of(T0, 1, 2));
            assertEquals(2, engine.forecasts().getFirst().modelVersion(), "the old model stays");
            assertEquals(3, engine.metrics.modelRejections());
        }
    }

    @Test
    void shouldRefuseAnEnvelopeKeyedUnderAnotherModelName() {
        byte[] json = CheckpointEnvelope.write("other", checkpoint(4, 99));
        ModelRejectedException e = assertThrows(ModelRejectedException.class,
                () -> CheckpointEnvelope.open("default", json));
        assertTrue(e.getMessage().contains("'other'"), e.getMessage());
    }

    @Test
    void shouldReadTheSchemaExampleAsTheCheckpointItDescribes() throws Exception {
        byte[] example = Files.readAllBytes(Path.of("schemas/examples/model-checkpoint.json"));
        assertTrue(CheckpointEnvelope.isEnvelope(example));
        Checkpoint c = CheckpointEnvelope.open("default", example);
        assertEquals(7, c.modelVersion());
        LoadedModel model = LoadedModel.read(example);
        assertEquals(7, model.version());
        assertEquals(Instant.parse("2025-11-23T12:00:00Z").getEpochSecond(), model.trainedAtEpochSeconds());
        assertFalse(CheckpointEnvelope.isEnvelope(CheckpointCodec.encode(c)));
    }
}
