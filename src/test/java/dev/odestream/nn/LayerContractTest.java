package dev.odestream.nn;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Function;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * One suite run against every {@link Layer}: the vector-Jacobian products of a random projection
 * {@code L = sum r . out} against central differences, batched, with seeded random weights and inputs. Each layer is
 * registered after an unrelated block so that its parameters do not start at flat index 0.
 */
class LayerContractTest {

    private static final int ROWS = 3;
    private static final double TOLERANCE = 1e-7;

    static Stream<Arguments> layers() {
        List<Arguments> cases = new ArrayList<>();
        cases.add(Arguments.of("Linear 4->3", (Function<Parameters, Layer>) p -> new Linear(p, "lin", 4, 3, 5)));
        cases.add(Arguments.of("Linear 1->1", (Function<Parameters, Layer>) p -> new Linear(p, "lin", 1, 1, 5)));
        // Wide enough for every forward kernel: 2x8 blocks for row pairs, 1x16 or 1x8 for the last row, then 1x4
        // and single columns for the narrow rest.
        cases.add(Arguments.of("Linear 7->17", (Function<Parameters, Layer>) p -> new Linear(p, "lin", 7, 17, 5)));
        cases.add(Arguments.of("Linear 5->13", (Function<Parameters, Layer>) p -> new Linear(p, "lin", 5, 13, 5)));
        cases.add(Arguments.of("Mlp 8->24->8 tanh", (Function<Parameters, Layer>)
                p -> new Mlp(p, "mlp", new int[] {8, 24, 8}, Activation.TANH, 5)));
        for (Activation act : Activation.values()) {
            cases.add(Arguments.of("Mlp " + act, (Function<Parameters, Layer>)
                    p -> new Mlp(p, "mlp", new int[] {4, 6, 5, 3}, act, 5)));
        }
        cases.add(Arguments.of("Mlp sigmoid output", (Function<Parameters, Layer>)
                p -> new Mlp(p, "mlp", new int[] {3, 4, 2}, Activation.TANH, Activation.SIGMOID, 5)));
        cases.add(Arguments.of("Mlp single layer", (Function<Parameters, Layer>)
                p -> new Mlp(p, "mlp", new int[] {5, 2}, Activation.TANH, 5)));
        return cases.stream();
    }

    private record Fixture(Parameters params, Layer layer, double[] x, double[] r) {
        static Fixture of(Function<Parameters, Layer> factory, long seed) {
            Parameters p = new Parameters();
            p.register("unrelated", 3);
            Layer layer = factory.apply(p);
            SplittableRandom rng = new SplittableRandom(seed);
            TestData.fillUniform(p.values(), rng, 1.0);
            double[] x = TestData.uniform(rng, ROWS * layer.inputSize(), 1.5);
            double[] r = TestData.uniform(rng, ROWS * layer.outputSize(), 1.0);
            return new Fixture(p, layer, x, r);
        }

        double loss(double[] input) {
            double[] out = new double[ROWS * layer.outputSize()];
            layer.forward(input, out, ROWS);
            return TestData.dot(r, out, out.length);
        }

        /** Forward then backward of r into the model's gradients; returns dL/dx. */
        double[] backprop() {
            double[] out = new double[ROWS * layer.outputSize()];
            double[] dx = new double[ROWS * layer.inputSize()];
            layer.forward(x, out, ROWS);
            params.zeroGradients();
            layer.backward(r, dx, ROWS);
            return dx;
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("layers")
    void shouldMatchCentralDifferencesForInputGradient(String label, Function<Parameters, Layer> factory) {
        Fixture f = Fixture.of(factory, 101);
        double[] dx = f.backprop();
        GradientCheck.Result res = GradientCheck.DEFAULT.check(f::loss, f.x(), dx);
        assertTrue(res.maxRelativeError() <= TOLERANCE, label + " dL/dx " + res);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("layers")
    void shouldMatchCentralDifferencesForParameterGradient(String label, Function<Parameters, Layer> factory) {
        Fixture f = Fixture.of(factory, 202);
        f.backprop();
        double[] analytic = f.params().gradients().clone();
        GradientCheck.Result res = GradientCheck.DEFAULT.check(theta -> f.loss(f.x()), f.params().values(), analytic);
        assertTrue(res.maxRelativeError() <= TOLERANCE, label + " dL/dtheta " + res);
        assertEquals(0.0, analytic[0] + analytic[1] + analytic[2], 0.0, "touched a block it does not own");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("layers")
    void shouldAccumulateParameterGradients(String label, Function<Parameters, Layer> factory) {
        Fixture f = Fixture.of(factory, 303);
        f.backprop();
        double[] once = f.params().gradients().clone();
        f.layer().backward(f.r(), null, ROWS);
        double[] twice = f.params().gradients();
        for (int i = 0; i < once.length; i++) {
            assertEquals(2 * once[i], twice[i], 1e-12, label + " index " + i);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("layers")
    void shouldRouteParameterGradientsIntoACallerArray(String label, Function<Parameters, Layer> factory) {
        Fixture f = Fixture.of(factory, 404);
        f.backprop();
        ParameterRange range = f.layer().parameterRange();
        double[] local = new double[range.count()];
        double[] dx = new double[ROWS * f.layer().inputSize()];
        f.layer().backward(f.r(), dx, ROWS, local, range.offset());
        double[] expected = new double[range.count()];
        range.copyOut(f.params().gradients(), expected);
        assertArrayEquals(expected, local, 0.0, label);
        assertEquals(f.params().size(), range.end(), label + " range should end the layout");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("layers")
    void shouldTreatRowsIndependently(String label, Function<Parameters, Layer> factory) {
        Fixture f = Fixture.of(factory, 505);
        int in = f.layer().inputSize();
        int out = f.layer().outputSize();
        double[] batch = new double[ROWS * out];
        f.layer().forward(f.x(), batch, ROWS);
        double[] row = new double[out];
        for (int r = 0; r < ROWS; r++) {
            f.layer().forward(Arrays.copyOfRange(f.x(), r * in, (r + 1) * in), row, 1);
            assertArrayEquals(row, Arrays.copyOfRange(batch, r * out, (r + 1) * out), 0.0, label);
        }
    }
}
