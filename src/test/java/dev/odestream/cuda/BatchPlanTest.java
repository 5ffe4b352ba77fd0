package dev.odestream.cuda;

import dev.odestream.model.ModelConfig;
import dev.odestream.model.Window;
import dev.odestream.nn.Activation;
import dev.odestream.nn.DynamicsKind;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BatchPlanTest {

    /** Observation dim 2, two event types: GRU inputs {@code [x * mask (2), mask (2), one-hot (2)]}. */
    private final ModelConfig config = new ModelConfig(2, 2, 3, 5, 4, 6, 5, Activation.TANH, 0.3, 2, 1e-8, 1e-8)
            .withDynamics(DynamicsKind.MLP, ModelConfig.NO_GAP_LIMIT);

    private final Window early = Window.builder()
            .context(0.3, new double[] {0.2, -0.1}, null, 0)
            .context(0.3, null, null, 1)
            .context(0.8, new double[] {0.5, 0.7}, new boolean[] {false, true}, 1)
            .target(1.3, new double[] {-0.2, 0.1}, new boolean[] {true, false})
            .target(1.3, new double[] {0.4, 0.6}, null)
            .event(1.3, 0).event(1.3, 1).event(1.7, 1)
            .end(2.0).build();
    private final Window late = Window.builder()
            .context(0.5, new double[] {0.4, -0.2}, null, 0)
            .context(1.0, new double[] {0.1, 0.9}, null, 1)
            .target(1.3, new double[] {0.3, -0.3}, null)
            .event(1.2, 1)
            .end(1.5).build();

    private BatchPlan plan() {
        return new BatchPlan(List.of(Series.of(early), Series.of(late)), config);
    }

    @Test
    void shouldRunOneMaskedGruPassPerEventOfTheBusiestSeriesAtEachUnionTime() {
        BatchPlan p = plan();
        assertArrayEquals(new double[] {0.3, 0.5, 0.8, 1.0}, p.contextGrid);
        // Two events of the first window at 0.3 make two passes there; one pass at each other time.
        assertArrayEquals(new int[] {0, 0, 1, 2, 3}, p.stepUnion);
        assertArrayEquals(new int[] {1, 0, 1, 0, 0, 1, 1, 0, 0, 1}, p.stepMask);
        int inputs = config.encoderInputSize();
        assertArrayEquals(new double[] {0.2, -0.1, 1, 1, 1, 0}, row(p.stepInput, 0, inputs));
        assertArrayEquals(new double[] {0, 0, 0, 0, 0, 1}, row(p.stepInput, 2, inputs), "an event without values");
        assertArrayEquals(new double[] {0, 0.7, 0, 1, 0, 1}, row(p.stepInput, 6, inputs), "a masked value is 0");
        assertArrayEquals(new double[] {0, 0, 0, 0, 0, 0}, row(p.stepInput, 1, inputs), "no event, no input");
    }

    @Test
    void shouldMoveTheEncoderOfASeriesOnlyBetweenItsFirstAndLastEvent() {
        BatchPlan p = plan();
        // Intervals [0.3, 0.5], [0.5, 0.8], [0.8, 1.0]: the late window starts at 0.5, the early one stops at 0.8.
        assertArrayEquals(new int[] {1, 0, 1, 1, 0, 1}, java.util.Arrays.copyOfRange(p.encoderFlags, 2, 8));
        assertTrue(p.encoderAny[1] && !p.encoderAll[1]);
        assertTrue(p.encoderAll[2]);
    }

    @Test
    void shouldStartEachLatentPathAtItsOwnTauAndStopItAtItsEnd() {
        BatchPlan p = plan();
        assertArrayEquals(new double[] {0.8, 1.0, 1.2, 1.3, 1.5, 1.7, 2.0}, p.latentGrid);
        // Interval [0.8, 1.0]: only the early window (tau 0.8) moves; [1.5, 1.7]: the late one has ended.
        assertArrayEquals(new int[] {1, 0}, java.util.Arrays.copyOfRange(p.latentFlags, 2, 4));
        assertArrayEquals(new int[] {1, 1}, java.util.Arrays.copyOfRange(p.latentFlags, 6, 8));
        assertArrayEquals(new int[] {1, 0}, java.util.Arrays.copyOfRange(p.latentFlags, 10, 12));
        assertFalse(p.latentAll[1]);
    }

    @Test
    void shouldEndALatentStretchWhereARowStartsOrStopsMoving() {
        BatchPlan p = plan();
        // The late window moves over [1.0, 1.5] only: stretches [0.8, 1.0], [1.0, 1.5] and [1.5, 2.0].
        assertEquals(2, p.latentStretchEnd(1));
        assertEquals(5, p.latentStretchEnd(2));
        assertEquals(5, p.latentStretchEnd(3));
        assertEquals(7, p.latentStretchEnd(5));
    }

    @Test
    void shouldSplitTargetsAndEventsAtOneTimeIntoPassesWithEachRowOnce() {
        BatchPlan p = plan();
        int at = 3;
        assertEquals(1.3, p.latentGrid[at]);
        BatchPlan.Entries t = p.targets;
        assertEquals(3, t.count());
        assertEquals(2, t.passStart()[at + 1] - t.passStart()[at], "two passes: the early window has two targets");
        assertArrayEquals(new int[] {0, 1, 0}, t.row());
        assertArrayEquals(new double[] {-0.2, 0.1, 0.3, -0.3, 0.4, 0.6}, p.targetValues);
        assertArrayEquals(new int[] {1, 0, 1, 1, 1, 1}, p.targetMask);
        BatchPlan.Entries e = p.events;
        assertArrayEquals(new int[] {1, 0, 0, 0}, e.row());
        assertArrayEquals(new int[] {1, 0, 1, 1}, e.type());
        assertTrue(e.any(2) && e.any(3) && e.any(5) && !e.any(4));
    }

    @Test
    void shouldRefuseAnEventTypeTheModelDoesNotHave() {
        Window bad = Window.builder().context(0.1, null, null, 2).target(0.5, new double[] {0, 0}, null).build();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new BatchPlan(List.of(Series.of(bad)), config));
        assertTrue(e.getMessage().contains("event type 2"), e.getMessage());
    }

    @Test
    void shouldRefuseAPresentValueThatIsNotFiniteAsTheJvmPathDoes() {
        Window bad = Window.builder().context(0.1, new double[] {Double.NaN, 0}, new boolean[] {true, false}, 0)
                .target(0.5, new double[] {0, 0}, null).build();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new BatchPlan(List.of(Series.of(bad)), config));
        assertTrue(e.getMessage().contains("value 0 is NaN"), e.getMessage());
        Window masked = Window.builder().context(0.1, new double[] {0, Double.NaN}, new boolean[] {true, false}, 0)
                .target(0.5, new double[] {0, 0}, null).build();
        assertEquals(1, new BatchPlan(List.of(Series.of(masked)), config).rows, "a missing value may be anything");
    }

    @Test
    void shouldPlanRandomBatchesConsistently() {
        List<Window> windows = TestWindows.random(config, 40, 3L);
        BatchPlan p = new BatchPlan(windows.stream().map(Series::of).toList(), config);
        int contexts = windows.stream().mapToInt(Window::contextCount).sum();
        int masked = java.util.Arrays.stream(p.stepMask).sum();
        assertEquals(contexts, masked, "every context event folds in exactly once");
        assertEquals(windows.stream().mapToInt(Window::targetCount).sum(), p.targets.count());
        assertEquals(windows.stream().mapToInt(Window::eventCount).sum(), p.events.count());
        for (int i = 1; i < p.latentGrid.length; i++) {
            assertTrue(p.latentGrid[i] > p.latentGrid[i - 1]);
        }
    }

    private static double[] row(double[] all, int row, int width) {
        return java.util.Arrays.copyOfRange(all, row * width, (row + 1) * width);
    }
}
