package dev.odestream.train;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class ScheduleTest {

    @Test
    void shouldHoldThenRampLinearlyThenHold() {
        Schedule ramp = Schedule.linearRamp(0.1, 1.0, 100, 300);
        assertEquals(0.1, ramp.at(1), 0.0);
        assertEquals(0.1, ramp.at(100), 0.0);
        assertEquals(0.1 + 0.9 / 3, ramp.at(200), 1e-15);
        assertEquals(1.0, ramp.at(400), 0.0);
        assertEquals(1.0, ramp.at(10_000), 0.0);
    }

    @Test
    void shouldDecayGeometricallyDownToTheFloor() {
        Schedule decay = Schedule.exponentialDecay(0.01, 0.5, 0.001);
        assertEquals(0.01, decay.at(1), 0.0);
        assertEquals(0.005, decay.at(2), 0.0);
        assertEquals(0.0025, decay.at(3), 0.0);
        assertEquals(0.001, decay.at(5), 0.0);
        assertEquals(0.001, decay.at(1_000_000), 0.0);
    }

    @Test
    void shouldBeConstantAndRejectNonsense() {
        assertEquals(0.3, Schedule.constant(0.3).at(77), 0.0);
        assertThrows(IllegalArgumentException.class, () -> Schedule.constant(Double.NaN));
        assertThrows(IllegalArgumentException.class, () -> Schedule.linearRamp(0, 1, 0, 0));
        assertThrows(IllegalArgumentException.class, () -> Schedule.exponentialDecay(0.01, 1.5, 0.0));
        assertThrows(IllegalArgumentException.class, () -> Schedule.exponentialDecay(0.01, 0.9, 0.1));
    }
}
