package dev.odestream.nn;

import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The blocked forward product against a plain triple loop, over shapes that reach every kernel and remainder. */
class LinearTest {

    @Test
    void shouldMatchAPlainLoopForEveryBlockShape() {
        SplittableRandom rng = new SplittableRandom(21);
        for (int in : new int[] {1, 3, 9}) {
            for (int out : new int[] {1, 3, 4, 5, 7, 8, 9, 12, 15, 16, 17, 24, 31, 40}) {
                Parameters p = new Parameters();
                p.register("unrelated", 5);
                Linear layer = new Linear(p, "lin", in, out, 5);
                TestData.fillUniform(p.values(), rng, 1.0);
                for (int rows = 1; rows <= 5; rows++) {
                    double[] x = TestData.uniform(rng, rows * in, 2.0);
                    double[] y = new double[rows * out];
                    layer.forward(x, y, rows);
                    check(p.values(), layer, x, y, rows, in + "->" + out + " x" + rows);
                }
            }
        }
    }

    private static void check(double[] v, Linear layer, double[] x, double[] y, int rows, String label) {
        int in = layer.inputSize();
        int out = layer.outputSize();
        for (int r = 0; r < rows; r++) {
            for (int o = 0; o < out; o++) {
                double sum = v[layer.bias().offset() + o];
                double magnitude = Math.abs(sum);
                for (int i = 0; i < in; i++) {
                    double term = x[r * in + i] * v[layer.weight().offset() + i * out + o];
                    sum += term;
                    magnitude += Math.abs(term);
                }
                assertEquals(sum, y[r * out + o], 1e-14 * magnitude, label + " [" + r + ", " + o + "]");
            }
        }
    }
}
