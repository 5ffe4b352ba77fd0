package dev.odestream.nn;

import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class InitializersTest {

    @Test
    void shouldReproduceAModelFromItsSeed() {
        Parameters a = new Parameters();
        new Mlp(a, "f", new int[] {4, 20, 4}, Activation.TANH, 1);
        Parameters b = new Parameters();
        new Mlp(b, "f", new int[] {4, 20, 4}, Activation.TANH, 1);
        Initializers.glorotWeightsZeroBiases(a, 42);
        Initializers.glorotWeightsZeroBiases(b, 42);
        assertArrayEquals(a.values(), b.values(), 0.0);
        for (int i = a.block("f.layer0.bias").offset(); i < a.block("f.layer0.bias").end(); i++) {
            assertEquals(0.0, a.values()[i]);
        }
    }

    @Test
    void shouldDrawGlorotWeightsWithinTheLimitAndWithItsVariance() {
        Parameters p = new Parameters();
        ParameterBlock w = p.register("w", 200, 100);
        Initializers.glorotUniform(p.values(), w, new SplittableRandom(1));
        double limit = Math.sqrt(6.0 / 300);
        double sumSq = 0;
        for (double v : p.values()) {
            assertTrue(Math.abs(v) <= limit);
            sumSq += v * v;
        }
        // Var U(-l, l) = l^2 / 3 = 2 / (fanIn + fanOut); 20000 draws give about 1% relative spread.
        assertEquals(2.0 / 300, sumSq / w.size(), 0.05 * 2.0 / 300);
    }

    @Test
    void shouldDrawNormalEntriesWithTheGivenSpreadOnlyInsideTheBlock() {
        Parameters p = new Parameters();
        ParameterBlock before = p.register("before", 3);
        ParameterBlock w = p.register("w", 20000);
        p.register("after", 3);
        Initializers.normal(p.values(), w, 0.3, new SplittableRandom(2));
        double sum = 0;
        double sumSq = 0;
        for (int i = w.offset(); i < w.end(); i++) {
            sum += p.values()[i];
            sumSq += p.values()[i] * p.values()[i];
        }
        assertEquals(0.0, sum / w.size(), 0.01);
        assertEquals(0.09, sumSq / w.size(), 0.005);
        assertEquals(0.0, p.values()[before.end() - 1]);
        assertEquals(0.0, p.values()[w.end()]);
    }
}
