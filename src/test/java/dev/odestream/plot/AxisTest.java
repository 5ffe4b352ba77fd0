package dev.odestream.plot;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class AxisTest {

    @Test
    void shouldSnapOutwardsToNiceTicks() {
        Axis axis = Axis.around(0.13, 9.7);
        assertEquals(2.0, axis.step());
        assertEquals(0.0, axis.min());
        assertEquals(10.0, axis.max());
        assertArrayEquals(new double[] {0, 2, 4, 6, 8, 10}, axis.ticks());
        assertEquals("4", axis.label(4));
    }

    @Test
    void shouldLabelSmallStepsWithEnoughDecimals() {
        Axis axis = Axis.around(-0.0031, 0.0047);
        assertEquals(0.002, axis.step(), 1e-18);
        assertEquals("-0.004", axis.label(axis.ticks()[0]));
        assertEquals("0.000", axis.label(-0.0));
        assertEquals(6, axis.ticks().length);
    }

    @Test
    void shouldChooseOneTwoOrFiveTimesAPowerOfTen() {
        double[] raw = {0.7, 1.0, 1.3, 2.0, 2.1, 4.9, 5.1, 73, 0.00042};
        double[] nice = {1, 1, 2, 2, 5, 5, 10, 100, 0.0005};
        for (int i = 0; i < raw.length; i++) {
            assertEquals(nice[i], Axis.niceStep(raw[i]), 1e-15 * nice[i], "for " + raw[i]);
        }
    }

    @Test
    void shouldPadADegenerateRangeAndDefaultAnEmptyOne() {
        Axis constant = Axis.around(3, 3);
        assertEquals(true, constant.min() < 3 && constant.max() > 3);
        Axis empty = Axis.around(Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY);
        assertEquals(0.0, empty.min());
        assertEquals(1.0, empty.max());
        Axis exact = Axis.exactly(-1, 1.5);
        assertEquals("[-1.0, -0.5, 0.0, 0.5, 1.0, 1.5]", Arrays.toString(exact.ticks()));
    }
}
