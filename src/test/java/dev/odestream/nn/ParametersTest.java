package dev.odestream.nn;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ParametersTest {

    private static Parameters model() {
        Parameters p = new Parameters();
        new Linear(p, "head", 3, 2, 4);
        new Mlp(p, "f", new int[] {4, 7, 5, 4}, Activation.TANH, 8);
        new GruCell(p, "gru", 3, 6, 2);
        return p;
    }

    @Test
    void shouldTileTheFlatArrayWithUniqueNonOverlappingBlocks() {
        Parameters p = model();
        List<ParameterBlock> blocks = p.layout().blocks();
        Set<String> names = new HashSet<>();
        int next = 0;
        for (ParameterBlock b : blocks) {
            assertTrue(names.add(b.name()), "duplicate " + b.name());
            assertEquals(next, b.offset(), "gap or overlap before " + b);
            next = b.end();
        }
        assertEquals(p.size(), next);
        assertEquals(p.size(), p.values().length);
        assertEquals(p.size(), p.gradients().length);
        assertEquals(p.size(), p.layout().size());
    }

    @Test
    void shouldRejectDuplicateNames() {
        Parameters p = new Parameters();
        p.register("w", 2, 3);
        assertThrows(IllegalArgumentException.class, () -> p.register("w", 1));
    }

    @Test
    void shouldKeepValuesWhenLaterBlocksAreRegistered() {
        Parameters p = new Parameters();
        ParameterBlock a = p.register("a", 2);
        p.values()[a.offset() + 1] = 3.5;
        p.register("b", 5);
        assertEquals(3.5, p.values()[a.offset() + 1]);
    }

    @Test
    void shouldGiveAModuleItsContiguousRange() {
        Parameters p = new Parameters();
        new Linear(p, "before", 2, 2, 1);
        MlpDynamics f = new MlpDynamics(p, "f", 3, new int[] {5}, Activation.TANH, 2);
        new Linear(p, "after", 2, 2, 1);
        ParameterRange r = f.parameterRange();
        assertEquals(p.block("f.layer0.weight").offset(), r.offset());
        assertEquals(p.block("f.layer1.bias").end(), r.end());
        assertEquals(3 * 5 + 5 + 5 * 3 + 3, r.count());
        assertEquals(r.count(), f.parameterCount());
    }

    @Test
    void shouldAddAndCopyThroughARange() {
        ParameterRange r = new ParameterRange(2, 3);
        double[] flat = {1, 1, 1, 1, 1, 1};
        r.addInto(new double[] {1, 2, 3}, flat);
        assertArrayEquals(new double[] {1, 1, 2, 3, 4, 1}, flat);
        double[] local = new double[3];
        r.copyOut(flat, local);
        assertArrayEquals(new double[] {2, 3, 4}, local);
    }

    @Test
    void shouldZeroGradients() {
        Parameters p = model();
        Arrays.fill(p.gradients(), 2.0);
        p.zeroGradients();
        for (double g : p.gradients()) {
            assertEquals(0.0, g);
        }
    }

    @Test
    void shouldCompareLayoutsByContent() {
        assertEquals(model().layout(), model().layout());
        Parameters a = new Parameters();
        a.register("head.weight", 2, 3);
        Parameters b = new Parameters();
        b.register("head.weight", 3, 2);
        assertNotEquals(a.layout(), b.layout());
    }

    @Test
    void shouldNotExposeTheShapeArray() {
        ParameterBlock b = new ParameterBlock("w", 0, new int[] {2, 3});
        b.shape()[0] = 9;
        assertEquals(2, b.dimension(0));
        assertEquals(6, b.size());
    }
}
