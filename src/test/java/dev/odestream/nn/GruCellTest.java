package dev.odestream.nn;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class GruCellTest {

    private static final int ROWS = 3;
    private static final int IN = 4;
    private static final int H = 5;
    private static final double TOLERANCE = 1e-7;

    private final Parameters params = new Parameters();
    private final GruCell gru;
    private final double[] x;
    private final double[] h;
    private final double[] w;

    GruCellTest() {
        params.register("unrelated", 2);
        gru = new GruCell(params, "gru", IN, H, ROWS + 2);
        SplittableRandom rng = new SplittableRandom(21);
        TestData.fillUniform(params.values(), rng, 1.0);
        x = TestData.uniform(rng, ROWS * IN, 1.5);
        h = TestData.uniform(rng, ROWS * H, 1.0);
        w = TestData.uniform(rng, ROWS * H, 1.0);
    }

    private double loss(double[] xs, double[] hs) {
        double[] out = new double[ROWS * H];
        gru.forward(xs, hs, out, ROWS);
        return TestData.dot(w, out, out.length);
    }

    /** Forward, then backward of w; returns {dL/dx, dL/dh} and leaves dL/dtheta in the model's gradients. */
    private double[][] backprop() {
        double[] out = new double[ROWS * H];
        double[] dx = new double[ROWS * IN];
        double[] dh = new double[ROWS * H];
        gru.forward(x, h, out, ROWS);
        params.zeroGradients();
        gru.backward(w, dx, dh, ROWS);
        return new double[][] {dx, dh};
    }

    @Test
    void shouldMatchCentralDifferencesForInputGradient() {
        double[] dx = backprop()[0];
        GradientCheck.Result res = GradientCheck.DEFAULT.check(xs -> loss(xs, h), x, dx);
        assertTrue(res.maxRelativeError() <= TOLERANCE, "dL/dx " + res);
    }

    @Test
    void shouldMatchCentralDifferencesForPreviousStateGradient() {
        double[] dh = backprop()[1];
        GradientCheck.Result res = GradientCheck.DEFAULT.check(hs -> loss(x, hs), h, dh);
        assertTrue(res.maxRelativeError() <= TOLERANCE, "dL/dh " + res);
    }

    @Test
    void shouldMatchCentralDifferencesForParameterGradient() {
        backprop();
        double[] analytic = params.gradients().clone();
        GradientCheck.Result res = GradientCheck.DEFAULT.check(theta -> loss(x, h), params.values(), analytic);
        assertTrue(res.maxRelativeError() <= TOLERANCE, "dL/dtheta " + res);
    }

    @Test
    void shouldRouteParameterGradientsIntoACallerArray() {
        backprop();
        ParameterRange range = gru.parameterRange();
        double[] local = new double[range.count()];
        gru.backward(w, null, null, ROWS, local, range.offset());
        double[] expected = new double[range.count()];
        range.copyOut(params.gradients(), expected);
        assertArrayEquals(expected, local, 0.0);
        assertEquals(2, range.offset());
        assertEquals(params.size(), range.end());
    }

    @Test
    void shouldAllowInPlaceStateUpdateAndInPlaceBackward() {
        double[][] separate = backprop();
        double[] expected = new double[ROWS * H];
        gru.forward(x, h, expected, ROWS);
        double[] state = h.clone();
        gru.forward(x, state, state, ROWS);
        assertArrayEquals(expected, state, 0.0);
        double[] grad = w.clone();
        gru.backward(grad, null, grad, ROWS);
        assertArrayEquals(separate[1], grad, 0.0);
    }

    /** Two steps kept on tapes, then gone back through in reverse: each backward must see its own step's gates. */
    @Test
    void shouldBackpropagateAKeptStepAfterOtherSteps() {
        double[][] expected = backprop();
        double[] expectedTheta = params.gradients().clone();
        GruCell.Tape first = new GruCell.Tape(gru, ROWS);
        GruCell.Tape second = new GruCell.Tape(gru, ROWS + 2);
        double[] input = x.clone();
        double[] state = h.clone();
        gru.forward(input, state, state, ROWS, first);
        Arrays.fill(input, 0.25);
        gru.forward(input, state, state, ROWS, second);
        Arrays.fill(input, Double.NaN);
        double[] dx = new double[ROWS * IN];
        double[] dh = new double[ROWS * H];
        params.zeroGradients();
        gru.backward(w, null, null, ROWS, params.gradients(), 0, second);
        params.zeroGradients();
        gru.backward(w, dx, dh, ROWS, params.gradients(), 0, first);
        assertArrayEquals(expected[0], dx, 0.0);
        assertArrayEquals(expected[1], dh, 0.0);
        assertArrayEquals(expectedTheta, params.gradients(), 0.0);
        assertArrayEquals(h, first.inputState(), 0.0);
    }

    @Test
    void shouldRejectATapeOfTooFewRows() {
        GruCell.Tape small = new GruCell.Tape(gru, ROWS - 1);
        double[] out = new double[ROWS * H];
        assertThrows(IllegalArgumentException.class, () -> gru.forward(x, h, out, ROWS, small));
    }

    /** With zero weights only the biases act, which pins the gate convention: r multiplies the hidden bias too. */
    @Test
    void shouldFollowTheDocumentedGateConvention() {
        Arrays.fill(params.values(), 0.0);
        double[] v = params.values();
        int bx = gru.inputLinear().bias().offset();
        int bh = gru.hiddenLinear().bias().offset();
        double bxr = 0.3, bhr = -0.1, bxz = -0.4, bhz = 0.2, bxn = 0.5, bhn = -0.7;
        v[bx] = bxr;
        v[bh] = bhr;
        v[bx + H] = bxz;
        v[bh + H] = bhz;
        v[bx + 2 * H] = bxn;
        v[bh + 2 * H] = bhn;
        double[] out = new double[ROWS * H];
        gru.forward(x, h, out, ROWS);
        double r = 1 / (1 + Math.exp(-(bxr + bhr)));
        double z = 1 / (1 + Math.exp(-(bxz + bhz)));
        double n = Math.tanh(bxn + r * bhn);
        assertEquals((1 - z) * n + z * h[0], out[0], 1e-15);
        assertEquals((1 - 0.5) * 0.0 + 0.5 * h[1], out[1], 1e-15);
    }
}
