package dev.odestream.model;

import dev.odestream.nn.GradientCheck;
import dev.odestream.nn.Parameters;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LatentSystemTest {

    private static final double TOLERANCE = 1e-7;
    private static final int ROWS = 3;

    private final ModelConfig config = Fixtures.small();
    private final Parameters params = new Parameters();
    private final LatentSystem system;
    private final double[] y;
    private final double[] a;

    LatentSystemTest() {
        new OdeRnnEncoder(params, config); // so that the system's range starts past index 0
        system = new LatentSystem(params, config);
        SplittableRandom rng = new SplittableRandom(17L);
        for (int i = 0; i < params.size(); i++) {
            params.values()[i] = rng.nextDouble(-0.8, 0.8);
        }
        system.setRows(ROWS);
        y = Fixtures.normals(rng, system.dimension());
        a = Fixtures.normals(rng, system.dimension());
    }

    private double projected(double[] state) {
        double[] yDot = new double[system.dimension()];
        system.derivatives(0.0, state, yDot);
        double s = 0.0;
        for (int i = 0; i < yDot.length; i++) {
            s += a[i] * yDot[i];
        }
        return s;
    }

    @Test
    void shouldLayOutZThenLambdaWithTheIntensityAsLambdasDerivative() {
        double[] yDot = new double[system.dimension()];
        system.derivatives(0.0, y, yDot);
        int l = config.latentDim();
        for (int r = 0; r < ROWS; r++) {
            double[] z = Arrays.copyOfRange(y, r * l, (r + 1) * l);
            double[] dz = Fixtures.dynamics(params, "dynamics", config, z);
            double[] rate = Fixtures.intensity(params, z);
            assertArrayEquals(dz, Arrays.copyOfRange(yDot, r * l, (r + 1) * l), 1e-12);
            int base = system.cumulativeOffset(r);
            assertArrayEquals(rate, Arrays.copyOfRange(yDot, base, base + config.eventTypes()), 1e-12);
        }
        assertEquals(ROWS * l, system.cumulativeOffset(0));
    }

    @Test
    void shouldGiveStateVjpMatchingCentralDifferences() {
        double[] aDfDy = new double[system.dimension()];
        double[] aDfDTheta = new double[system.parameterCount()];
        assertEquals(0.0, system.vjp(0.0, y, a, aDfDy, aDfDTheta));
        GradientCheck.Result res = GradientCheck.DEFAULT.check(this::projected, y.clone(), aDfDy);
        assertTrue(res.maxRelativeError() <= TOLERANCE, res.toString());
    }

    @Test
    void shouldGiveParameterVjpMatchingCentralDifferences() {
        double[] aDfDy = new double[system.dimension()];
        double[] aDfDTheta = new double[system.parameterCount()];
        double[] yDot = new double[system.dimension()];
        system.derivativesAndVjp(0.0, y, a, yDot, aDfDy, aDfDTheta);
        double[] flat = params.values();
        int offset = system.parameterRange().offset();
        double[] theta = Arrays.copyOfRange(flat, offset, offset + system.parameterCount());
        GradientCheck.Result res = GradientCheck.DEFAULT.check(t -> {
            System.arraycopy(t, 0, flat, offset, t.length);
            return projected(y);
        }, theta, aDfDTheta);
        System.arraycopy(theta, 0, flat, offset, theta.length);
        assertTrue(res.maxRelativeError() <= TOLERANCE, res.toString());
        assertTrue(offset > 0);
        assertEquals(params.block("dynamics.layer0.weight").offset(), offset);
        assertEquals(params.block("intensity.bias").end(), system.parameterRange().end());
    }
}
