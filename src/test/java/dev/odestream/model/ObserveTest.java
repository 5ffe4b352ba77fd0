package dev.odestream.model;

import dev.odestream.nn.ParameterBlock;
import org.hipparchus.ode.ODEState;
import org.hipparchus.ode.OrdinaryDifferentialEquation;
import org.hipparchus.ode.nonstiff.DormandPrince853Integrator;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ObserveTest {

    private final ModelConfig config = Fixtures.small();
    private final LatentOdeModel model = new LatentOdeModel(config, 3L);

    /** A state after two ordinary events, so that {@code h} is non-zero and the next event has a gap to evolve. */
    private SeriesState warmState() {
        SeriesState s = model.newState();
        model.observe(s, 0.5, new double[] {0.3, -0.2, 0.9}, null, 0);
        model.observe(s, 1.1, new double[] {-0.4, 0.1, 0.2}, new boolean[] {true, false, true}, 1);
        return s;
    }

    private double[] after(double t, double[] values, boolean[] mask, int type) {
        SeriesState s = warmState();
        model.observe(s, t, values, mask, type);
        return s.hidden().clone();
    }

    @Test
    void shouldTreatAPointEventAsValuesAllMaskedOut() {
        double[] point = after(2.0, null, null, 1);
        double[] masked = after(2.0, new double[] {5.0, Double.NaN, -3.0}, new boolean[3], 1);
        assertArrayEquals(point, masked, 0.0);
    }

    @Test
    void shouldChangeTheStateThroughAPointEventsTypeAndMask() {
        SeriesState evolvedOnly = warmState();
        double[] before = evolvedOnly.hidden().clone();
        double[] typeZero = after(2.0, null, null, 0);
        double[] typeOne = after(2.0, null, null, 1);
        assertFalse(Arrays.equals(before, typeZero), "a point event must move h");
        assertFalse(Arrays.equals(typeZero, typeOne), "the event type must matter");
        double[] oneValue = after(2.0, new double[] {0.0, 0.0, 0.0}, new boolean[] {false, true, false}, 1);
        assertFalse(Arrays.equals(typeOne, oneValue), "a present value, even zero, must matter through its mask");
    }

    @Test
    void shouldIgnoreTheValueOfAMaskedDimension() {
        boolean[] mask = {true, false, true};
        double[] a = after(2.0, new double[] {0.7, 1.0, -0.1}, mask, 0);
        double[] b = after(2.0, new double[] {0.7, -250.0, -0.1}, mask, 0);
        double[] c = after(2.0, new double[] {0.7, Double.NaN, -0.1}, mask, 0);
        double[] d = after(2.0, new double[] {0.8, 1.0, -0.1}, mask, 0);
        assertArrayEquals(a, b, 0.0);
        assertArrayEquals(a, c, 0.0);
        assertFalse(Arrays.equals(a, d), "a present value must matter");
    }

    @Test
    void shouldEvolveTheHiddenStateOverTheGap() {
        double[] soon = after(1.2, null, null, 0);
        double[] late = after(3.0, null, null, 0);
        assertFalse(Arrays.equals(soon, late), "the gap must matter");
        Fixtures.stillDynamics(model.parameters(), "encoder.ode.");
        assertArrayEquals(after(1.2, null, null, 0), after(3.0, null, null, 0), 0.0);
        assertTrue(model.lastNfe() > 0, "zero dynamics are still integrated");
    }

    /**
     * With the GRU's update gate saturated at 1 the jump keeps {@code h}, so {@code observe} must return the encoder
     * ODE's solution over the gap, here checked against Hipparchus' DOPRI853 on the dynamics evaluated by hand.
     */
    @Test
    void shouldIntegrateTheEncoderOdeOverTheGap() {
        int hidden = config.encoderHidden();
        ParameterBlock bias = model.parameters().block("encoder.gru.input.bias");
        Arrays.fill(model.parameters().values(), bias.offset() + hidden, bias.offset() + 2 * hidden, 50.0);
        double[] h0 = Fixtures.normals(new SplittableRandom(4L), hidden);
        SeriesState s = model.newState();
        s.restore(h0, 1.0, 1);
        model.observe(s, 2.5, new double[] {0.2, 0.4, -0.6}, null, 1);
        OrdinaryDifferentialEquation f = new OrdinaryDifferentialEquation() {
            @Override
            public int getDimension() {
                return hidden;
            }

            @Override
            public double[] computeDerivatives(double t, double[] y) {
                return Fixtures.dynamics(model.parameters(), "encoder.ode", config, y);
            }
        };
        double[] reference = new DormandPrince853Integrator(1e-6, 10, 1e-13, 1e-13)
                .integrate(f, new ODEState(1.0, h0), 2.5).getPrimaryState();
        assertArrayEquals(reference, s.hidden(), 1e-6);
        assertFalse(Arrays.equals(h0, s.hidden()), "the gap must move h for this to test anything");
    }

    @Test
    void shouldCountEventsAndAcceptSimultaneousOnes() {
        SeriesState s = warmState();
        model.observe(s, 1.1, null, null, 0);
        assertEquals(0, model.lastNfe(), "no gap, no solve");
        assertEquals(3, s.eventCount());
        assertEquals(1.1, s.lastTime());
        model.observe(s, 1.6, null, null, 0);
        assertTrue(model.lastNfe() > 0);
    }

    @Test
    void shouldRejectAnOutOfOrderEventAndKeepTheState() {
        SeriesState s = warmState();
        double[] h = s.hidden().clone();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> model.observe(s, 1.0, new double[] {1, 2, 3}, null, 0));
        assertTrue(e.getMessage().contains("before the series' last event time 1.1"), e.getMessage());
        assertArrayEquals(h, s.hidden(), 0.0);
        assertEquals(2, s.eventCount());
        assertEquals(1.1, s.lastTime());
    }

    @Test
    void shouldRejectNonFiniteValuesAndTimes() {
        SeriesState s = warmState();
        IllegalArgumentException nan = assertThrows(IllegalArgumentException.class,
                () -> model.observe(s, 2.0, new double[] {1, Double.NaN, 3}, null, 0));
        assertTrue(nan.getMessage().contains("value 1 is NaN"), nan.getMessage());
        IllegalArgumentException inf = assertThrows(IllegalArgumentException.class,
                () -> model.observe(s, 2.0, new double[] {1, 2, Double.POSITIVE_INFINITY},
                        new boolean[] {false, true, true}, 0));
        assertTrue(inf.getMessage().contains("value 2 is Infinity"), inf.getMessage());
        IllegalArgumentException time = assertThrows(IllegalArgumentException.class,
                () -> model.observe(s, Double.NaN, null, null, 0));
        assertTrue(time.getMessage().contains("finite"), time.getMessage());
        assertEquals(2, s.eventCount());
    }

    @Test
    void shouldRejectWrongShapesAndTypes() {
        SeriesState s = warmState();
        assertThrows(IllegalArgumentException.class, () -> model.observe(s, 2.0, new double[2], null, 0));
        assertThrows(IllegalArgumentException.class, () -> model.observe(s, 2.0, new double[3], new boolean[2], 0));
        IllegalArgumentException type = assertThrows(IllegalArgumentException.class,
                () -> model.observe(s, 2.0, null, null, 2));
        assertTrue(type.getMessage().contains("event type 2 outside [0, 2)"), type.getMessage());
    }

    @Test
    void shouldStartTheFirstEventFromZeroWithoutEvolution() {
        SeriesState early = model.newState();
        SeriesState late = model.newState();
        model.observe(early, -10.0, new double[] {0.1, 0.2, 0.3}, null, 0);
        model.observe(late, 10.0, new double[] {0.1, 0.2, 0.3}, null, 0);
        assertEquals(0, model.lastNfe());
        assertArrayEquals(early.hidden(), late.hidden(), 0.0);
        assertFalse(Arrays.equals(new double[config.encoderHidden()], early.hidden()));
    }

    @Test
    void shouldRoundTripAStateThroughRestore() {
        SeriesState s = warmState();
        SeriesState copy = model.newState();
        copy.restore(s.hidden(), s.lastTime(), s.eventCount());
        model.observe(s, 2.0, null, null, 0);
        model.observe(copy, 2.0, null, null, 0);
        assertArrayEquals(s.hidden(), copy.hidden(), 0.0);
        assertThrows(IllegalArgumentException.class, () -> copy.restore(new double[3], 1.0, 1));
        assertThrows(IllegalArgumentException.class, () -> copy.restore(s.hidden(), Double.NaN, 4));
        copy.reset();
        assertFalse(copy.hasEvents());
    }
}
