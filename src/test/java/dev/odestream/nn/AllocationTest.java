package dev.odestream.nn;

import dev.odestream.testing.Allocations;
import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The hot paths allocate nothing once warmed up: measured with the per-thread allocation counter around many calls,
 * after enough calls for the JIT to have compiled them.
 */
class AllocationTest {

    private static final int WARMUP = 20_000;
    private static final int MEASURED = 2_000;

    private static long allocatedBy(Runnable body) {
        return Allocations.fewestBytes(body, WARMUP, MEASURED);
    }

    @Test
    void shouldNotAllocateInMlpForwardAndBackward() {
        Parameters p = new Parameters();
        Mlp mlp = new Mlp(p, "mlp", new int[] {4, 16, 16, 4}, Activation.SOFTPLUS, 8);
        Linear lin = new Linear(p, "lin", 4, 3, 8);
        TestData.fillUniform(p.values(), new SplittableRandom(1), 0.5);
        double[] x = TestData.uniform(new SplittableRandom(2), 32, 1.0);
        double[] y = new double[32];
        double[] dx = new double[32];
        double[] local = new double[mlp.parameterRange().count()];
        int base = mlp.parameterRange().offset();
        assertEquals(0, allocatedBy(() -> {
            mlp.forward(x, y, 8);
            mlp.backward(y, dx, 8);
            mlp.backward(y, dx, 8, local, base);
            lin.forward(x, y, 8);
            lin.backward(y, dx, 8);
        }));
    }

    @Test
    void shouldNotAllocateInMlpDynamics() {
        Parameters p = new Parameters();
        MlpDynamics f = new MlpDynamics(p, "f", 4, new int[] {20}, Activation.TANH, 16);
        TestData.fillUniform(p.values(), new SplittableRandom(3), 0.5);
        f.setBatch(10);
        double[] y = TestData.uniform(new SplittableRandom(4), f.dimension(), 1.0);
        double[] a = TestData.uniform(new SplittableRandom(5), f.dimension(), 1.0);
        double[] yDot = new double[f.dimension()];
        double[] dy = new double[f.dimension()];
        double[] dt = new double[f.parameterCount()];
        assertEquals(0, allocatedBy(() -> {
            f.derivatives(0.0, y, yDot);
            f.vjp(0.0, y, a, dy, dt);
            f.derivativesAndVjp(0.0, y, a, yDot, dy, dt);
        }));
    }

    @Test
    void shouldNotAllocateInGruCell() {
        Parameters p = new Parameters();
        GruCell gru = new GruCell(p, "gru", 6, 12, 8);
        TestData.fillUniform(p.values(), new SplittableRandom(6), 0.5);
        double[] x = TestData.uniform(new SplittableRandom(7), 8 * 6, 1.0);
        double[] h = TestData.uniform(new SplittableRandom(8), 8 * 12, 1.0);
        double[] dx = new double[8 * 6];
        double[] dh = new double[8 * 12];
        assertEquals(0, allocatedBy(() -> {
            gru.forward(x, h, h, 8);
            gru.backward(h, dx, dh, 8);
        }));
    }

    @Test
    void shouldNotAllocateInOptimizersOrClipping() {
        int n = 500;
        double[] theta = TestData.uniform(new SplittableRandom(9), n, 1.0);
        double[] g = TestData.uniform(new SplittableRandom(10), n, 1.0);
        Adam adam = new Adam(n, AdamSettings.of(1e-4).withWeightDecay(1e-4));
        Adamax adamax = new Adamax(n, AdamSettings.of(1e-4));
        assertEquals(0, allocatedBy(() -> {
            adam.step(theta, g);
            adamax.step(theta, g);
            GradientClipping.clipByGlobalNorm(g, 5.0);
        }));
    }
}
