package dev.odestream.model;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class WindowTest {

    private static void rejects(String fragment, Executable build) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, build);
        assertTrue(e.getMessage().contains(fragment), e.getMessage());
    }

    @Test
    void shouldBuildWithTheLatestTimeAsDefaultEnd() {
        Window w = Window.builder().context(0.0, new double[] {1}, null, 0).context(0.5, null, null, 0)
                .target(1.0, new double[] {2}, null).event(1.5, 0).build();
        assertEquals(0.5, w.tau());
        assertEquals(1.5, w.end());
        assertEquals(2, w.contextCount());
        assertNull(w.contextValues()[1]);
    }

    @Test
    void shouldCopyItsArraysInAndOut() {
        double[] values = {1.0, 2.0};
        Window w = Window.builder().context(0.0, values, null, 0).target(1.0, new double[] {3, 4}, null).build();
        values[0] = 9;
        w.contextValues()[0][1] = 9;
        assertEquals(1.0, w.contextValues()[0][0]);
        assertEquals(2.0, w.contextValues()[0][1]);
        assertEquals(w, Window.builder().context(0.0, new double[] {1, 2}, null, 0)
                .target(1.0, new double[] {3, 4}, null).build());
    }

    @Test
    void shouldRejectDisorderedOrOutOfSpanTimes() {
        rejects("at least one context event", () -> Window.builder().build());
        rejects("context times", () -> Window.builder().context(1.0, null, null, 0).context(0.5, null, null, 0)
                .build());
        rejects("target times", () -> Window.builder().context(1.0, null, null, 0)
                .target(0.5, new double[] {1}, null).build());
        rejects("event times", () -> Window.builder().context(1.0, null, null, 0).event(1.0, 0).build());
        rejects("event times", () -> Window.builder().context(1.0, null, null, 0).event(3.0, 0).end(2.0).build());
        rejects("end", () -> Window.builder().context(1.0, null, null, 0).end(0.5).build());
        rejects("needs values", () -> Window.builder().context(1.0, null, null, 0).target(2.0, null, null).build());
    }

    @Test
    void shouldBeCheckedAgainstTheModelWhenEvaluated() {
        ModelConfig c = Fixtures.small();
        BatchedElbo elbo = Fixtures.elbo(new LatentOdeModel(c, 1L));
        double[] eps = new double[c.latentDim()];
        Window badType = Window.builder().context(0, null, null, 0).event(1, 5).build();
        rejects("event type 5", () -> elbo.run(List.of(badType), 0, 1, eps, 1, null));
        Window badValue = Window.builder().context(0, null, null, 0).target(1, new double[] {1, Double.NaN, 0}, null)
                .build();
        rejects("value 1 is NaN", () -> elbo.run(List.of(badValue), 0, 1, eps, 1, null));
        List<Window> ok = List.of(Window.builder().context(0, null, null, 0).target(1, new double[] {1, 2, 0}, null)
                .build());
        rejects("epsilon", () -> elbo.run(ok, 0, 1, new double[c.latentDim() - 1], 1, null));
        rejects("beta", () -> elbo.run(ok, 0, 1, eps, -1, null));
        rejects("gradient", () -> elbo.run(ok, 0, 1, eps, 1, new double[3]));
    }
}
