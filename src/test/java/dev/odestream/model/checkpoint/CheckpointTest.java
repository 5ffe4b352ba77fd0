package dev.odestream.model.checkpoint;

import dev.odestream.nn.ParameterBlock;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class CheckpointTest {

    private static final Checkpoint SAMPLE = Checkpoints.sample();

    @Test
    void shouldAcceptTheArchitectureItWasBuiltFor() {
        assertDoesNotThrow(() -> SAMPLE.requireCompatible(new HashMap<>(Checkpoints.ARCHITECTURE)));
    }

    @Test
    void shouldNameEveryHyperparameterThatDiffers() {
        Map<String, String> expected = new HashMap<>(Checkpoints.ARCHITECTURE);
        expected.put("latentDim", "6");
        expected.remove("activation");
        expected.put("encoderHidden", "25");
        String message = assertThrows(IncompatibleCheckpointException.class,
                () -> SAMPLE.requireCompatible(expected)).getMessage();
        assertTrue(message.contains("latentDim = 4 (expected 6)"), message);
        assertTrue(message.contains("encoderHidden missing (expected 25)"), message);
        assertTrue(message.contains("activation = tanh not expected"), message);
        assertTrue(message.contains("version 7"), message);
    }

    @Test
    void shouldRequireBlocksThatTileTheParametersExactly() {
        double[] six = new double[6];
        assertInvalid(List.of(block("w", 0, 2, 2), block("b", 5, 1)), six, "gap");
        assertInvalid(List.of(block("w", 0, 2, 2), block("b", 3, 3)), six, "overlaps");
        assertInvalid(List.of(block("w", 0, 2, 2)), six, "covers 4 values but there are 6");
        assertInvalid(List.of(block("w", 0, 2, 2), block("w", 4, 2)), six, "duplicate block name 'w'");
        assertEquals(6, checkpoint(List.of(block("b", 4, 2), block("w", 0, 2, 2)), six).parameterCount());
    }

    @Test
    void shouldRefuseNonFiniteValuesAndBadVersions() {
        List<ParameterBlock> layout = List.of(block("v", 0, 2));
        assertInvalid(layout, new double[] {1, Double.NaN}, "parameter 1 is not finite");
        assertInvalid(layout, new double[] {Double.POSITIVE_INFINITY, 0}, "not finite");
        assertThrows(IllegalArgumentException.class, () -> Checkpoints.sample(5, OptionalLong.of(5)));
        assertThrows(IllegalArgumentException.class, () -> Checkpoints.sample(-1, OptionalLong.empty()));
        assertThrows(IllegalArgumentException.class, () -> new ParameterBlock("x", 0, new int[] {2, 0}));
    }

    @Test
    void shouldNotLeakItsParameterArray() {
        double[] copy = SAMPLE.parameters();
        copy[0] = 99;
        assertEquals(0.0, SAMPLE.parameter(0));
        double[] out = new double[SAMPLE.parameterCount()];
        SAMPLE.copyParameters(out);
        assertEquals(Double.MAX_VALUE, out[7]);
        assertEquals(new ParameterBlock("enc.b", 11, new int[] {5}), SAMPLE.block("enc.b").orElseThrow());
    }

    private static ParameterBlock block(String name, int offset, int... shape) {
        return new ParameterBlock(name, offset, shape);
    }

    private static Checkpoint checkpoint(List<ParameterBlock> layout, double[] values) {
        return new Checkpoint(1, Map.of(), layout, values, SAMPLE.training().parentVersion().isPresent()
                ? new TrainingMetadata(SAMPLE.training().createdAt(), OptionalLong.empty(),
                        SAMPLE.training().dataRange(), Map.of(), "") : SAMPLE.training());
    }

    private static void assertInvalid(List<ParameterBlock> layout, double[] values, String expected) {
        String message = assertThrows(IllegalArgumentException.class, () -> checkpoint(layout, values))
                .getMessage();
        assertTrue(message.contains(expected), "'" + message + "' should mention '" + expected + "'");
    }
}
