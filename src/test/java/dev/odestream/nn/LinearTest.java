package dev.odestream.nn;

import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The blocked forward and backward products against plain triple loops, over shapes that reach every kernel and
 * remainder.
 */
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

    @Test
    void shouldMatchPlainLoopsBackwardForEveryBlockShape() {
        SplittableRandom rng = new SplittableRandom(23);
        for (int in : new int[] {1, 3, 4, 5, 8, 9}) {
            for (int out : new int[] {1, 3, 4, 5, 8, 9, 20}) {
                Parameters p = new Parameters();
                p.register("unrelated", 5);
                Linear layer = new Linear(p, "lin", in, out, 9);
                TestData.fillUniform(p.values(), rng, 1.0);
                for (int rows = 1; rows <= 9; rows++) {
                    checkBackward(p, layer, rng, rows, in + "->" + out + " x" + rows);
                }
            }
        }
    }

    /** {@code backward} adds into a gradient that already holds values, at an offset, and overwrites {@code dIn}. */
    private static void checkBackward(Parameters p, Linear layer, SplittableRandom rng, int rows, String label) {
        int in = layer.inputSize();
        int out = layer.outputSize();
        double[] v = p.values();
        double[] x = TestData.uniform(rng, rows * in, 2.0);
        double[] dOut = TestData.uniform(rng, rows * out, 1.0);
        double[] dIn = TestData.uniform(rng, rows * in, 1.0);
        int base = 3;
        double[] grad = TestData.uniform(rng, p.size() - base, 1.0);
        double[] before = grad.clone();
        layer.forward(x, new double[rows * out], rows);
        layer.backward(dOut, dIn, rows, grad, base);
        for (int o = 0; o < out; o++) {
            double db = 0.0;
            for (int r = 0; r < rows; r++) {
                db += dOut[r * out + o];
            }
            int b = layer.bias().offset() - base + o;
            assertEquals(before[b] + db, grad[b], 1e-13, label + " db[" + o + "]");
            for (int i = 0; i < in; i++) {
                double dw = 0.0;
                for (int r = 0; r < rows; r++) {
                    dw += x[r * in + i] * dOut[r * out + o];
                }
                int w = layer.weight().offset() - base + i * out + o;
                assertEquals(before[w] + dw, grad[w], 1e-13 * (1 + rows), label + " dW[" + i + ", " + o + "]");
            }
        }
        for (int r = 0; r < rows; r++) {
            for (int i = 0; i < in; i++) {
                double expected = 0.0;
                for (int o = 0; o < out; o++) {
                    expected += dOut[r * out + o] * v[layer.weight().offset() + i * out + o];
                }
                assertEquals(expected, dIn[r * in + i], 1e-13 * (1 + out), label + " dIn[" + r + ", " + i + "]");
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
