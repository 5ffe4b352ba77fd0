package dev.odestream.model.checkpoint;

import dev.odestream.model.DataSpec;
import dev.odestream.model.ModelConfig;
import dev.odestream.model.ValueTransform;
import dev.odestream.nn.Activation;
import dev.odestream.nn.DynamicsKind;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LoadedModelTest {

    private static final ModelConfig TWO_VALUES = new ModelConfig(2, 1, 3, 6, 8, 8, 8, Activation.TANH, 0.1, 4, 1e-6,
            1e-8);
    private static final DataSpec PBC = new DataSpec(List.of("bili", "albumin"), List.of("visit"), 86_400_000.0,
            List.of(new ValueTransform(0.3, 0.9, true), new ValueTransform(3.5, 0.4, false)));
    private static final TrainingMetadata TRAINED = new TrainingMetadata(Instant.parse("2026-12-01T00:00:00Z"),
            OptionalLong.empty(), new DataRange(Instant.EPOCH, Instant.EPOCH, 0), Map.of(), "");

    @Test
    void shouldKeepShapeUnitsAndTransformsThroughACheckpoint() throws Exception {
        LoadedModel model = LoadedModel.initial(TWO_VALUES, 5).withParameters(3,
                LoadedModel.initial(TWO_VALUES, 5).parameters()).withSpec(PBC);
        byte[] bytes = CheckpointCodec.encode(model.toCheckpoint(TRAINED));

        LoadedModel read = LoadedModel.read(bytes);
        assertEquals(PBC, read.spec());
        assertEquals(model, read);
        assertEquals(PBC, LoadedModel.fromCheckpoint(bytes, TWO_VALUES).spec(), "with the engine's architecture");
    }

    @Test
    void shouldRecordTheDynamicsAndTheGapRuleAndReadOldCheckpointsAsTheMlpWithoutALimit() throws Exception {
        Checkpoint bounded = LoadedModel.initial(TWO_VALUES, 5).toCheckpoint(TRAINED);
        assertEquals("bounded", bounded.hyperparameters().get(LoadedModel.DYNAMICS_KEY));
        assertEquals(Double.toString(ModelConfig.DEFAULT_MAX_GAP), bounded.hyperparameters().get(
                LoadedModel.MAX_GAP_KEY));
        assertEquals(TWO_VALUES, LoadedModel.read(CheckpointCodec.encode(bounded)).config());

        ModelConfig old = TWO_VALUES.withDynamics(DynamicsKind.MLP, ModelConfig.NO_GAP_LIMIT);
        Checkpoint written = LoadedModel.initial(old, 5).toCheckpoint(TRAINED);
        assertFalse(written.hyperparameters().containsKey(LoadedModel.DYNAMICS_KEY), "the old keys, as before");
        assertFalse(written.hyperparameters().containsKey(LoadedModel.MAX_GAP_KEY));
        assertEquals(old, LoadedModel.read(CheckpointCodec.encode(written)).config());
        assertEquals(old, LoadedModel.fromCheckpoint(written, old).config());

        ModelRejectedException e = assertThrows(ModelRejectedException.class,
                () -> LoadedModel.fromCheckpoint(written, TWO_VALUES));
        assertTrue(e.getMessage().contains("dynamics"), e.getMessage());
        ModelConfig otherGap = TWO_VALUES.withDynamics(DynamicsKind.BOUNDED, 2.0);
        assertEquals("2.0", LoadedModel.initial(otherGap, 5).toCheckpoint(TRAINED).hyperparameters()
                .get(LoadedModel.MAX_GAP_KEY));
        assertThrows(ModelRejectedException.class, () -> LoadedModel.fromCheckpoint(bounded, otherGap));
    }

    @Test
    void shouldWriteNoSpecForAModelWithoutData() throws Exception {
        Checkpoint plain = LoadedModel.initial(TWO_VALUES, 5).toCheckpoint(TRAINED);
        assertFalse(plain.hyperparameters().keySet().stream().anyMatch(k -> k.startsWith(DataSpec.PREFIX)),
                "checkpoints of models without data stay as they were");
        assertEquals(DataSpec.identity(2, 1), LoadedModel.fromCheckpoint(plain, TWO_VALUES).spec());
    }

    @Test
    void shouldRefuseACheckpointOfAnotherShapeNamingBoth() throws Exception {
        ModelConfig four = new ModelConfig(4, 1, 3, 6, 8, 8, 8, Activation.TANH, 0.1, 4, 1e-6, 1e-8);
        byte[] bytes = CheckpointCodec.encode(LoadedModel.initial(TWO_VALUES, 5).withSpec(PBC).toCheckpoint(TRAINED));

        ModelRejectedException e = assertThrows(ModelRejectedException.class,
                () -> LoadedModel.fromCheckpoint(bytes, four));
        assertTrue(e.getMessage().contains("2 values (bili, albumin), 1 event type (visit)"), e.getMessage());
        assertTrue(e.getMessage().contains("the model in use is for 4 values, 1 event type"), e.getMessage());
    }

    @Test
    void shouldServeACheckpointOfScaledValuesInTheDatasUnits() throws Exception {
        Checkpoint plain = LoadedModel.initial(TWO_VALUES, 5).toCheckpoint(TRAINED);
        Map<String, String> h = new TreeMap<>(plain.hyperparameters());
        h.put(LoadedModel.VALUE_SCALE, "2.5");
        Checkpoint scaled = new Checkpoint(plain.modelVersion(), h, plain.layout(), plain.parameters(),
                plain.training());

        DataSpec spec = LoadedModel.fromCheckpoint(scaled, TWO_VALUES).spec();
        assertEquals(List.of(new ValueTransform(0, 2.5, false), new ValueTransform(0, 2.5, false)),
                spec.transforms());
        assertEquals(spec, LoadedModel.read(CheckpointCodec.encode(scaled)).spec());
    }

    @Test
    void shouldRefuseASpecThatIsNotTheModelsShape() {
        assertThrows(IllegalArgumentException.class,
                () -> LoadedModel.initial(TWO_VALUES, 5).withSpec(DataSpec.identity(3, 1)));
    }
}
