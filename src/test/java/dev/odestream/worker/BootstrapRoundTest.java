package dev.odestream.worker;

import dev.odestream.model.DataSpec;
import dev.odestream.model.checkpoint.Checkpoint;
import dev.odestream.model.checkpoint.CheckpointCodec;
import dev.odestream.model.checkpoint.LoadedModel;
import dev.odestream.stream.Event;
import dev.odestream.train.CpuBackend;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A first model fitted, trained and gated against the baseline when none exists. */
class BootstrapRoundTest {

    private static final long T0 = 1_763_900_000_000L;

    private static CpuBackend backend;
    private static LoadedModel baseline;

    @BeforeAll
    static void open() {
        backend = new CpuBackend(2);
        baseline = LoadedModel.baseline(Streams.tinyModel().withObservationStd(0.5));
    }

    @AfterAll
    static void close() {
        backend.close();
    }

    /** Values in the thousands that swing by hundreds every few seconds, with gaps of minutes: nothing like N(0, 1). */
    static List<Event> swinging(int count, long seed) {
        return swinging(count, seed, T0);
    }

    /** As {@link #swinging(int, long)}, after {@code fromMs}. */
    static List<Event> swinging(int count, long seed, long fromMs) {
        SplittableRandom rng = new SplittableRandom(seed);
        List<Event> events = new ArrayList<>(count);
        long t = fromMs;
        for (int i = 0; i < count; i++) {
            t += 60_000 + rng.nextInt(60_000);
            events.add(Event.of(t, 2000 + 400 * Math.sin(2 * Math.PI * t / 600_000.0) + 5 * rng.nextGaussian()));
        }
        return events;
    }

    private static TrainingBuffer buffer(int series, int count) {
        TrainingBuffer buffer = new TrainingBuffer(Streams.config(baseline).buffer());
        for (int s = 0; s < series; s++) {
            for (Event e : swinging(count, s)) {
                buffer.add("s" + s, e);
            }
        }
        return buffer;
    }

    @Test
    void shouldPublishAFirstModelThatBeatsTheBaselineOnTheHeldOutEventsInTheUnitsItFitted() throws Exception {
        TrainingRound.Result r = new TrainingRound(Streams.config(baseline), backend).bootstrap(baseline, 1,
                buffer(16, 12), Trigger.BOOTSTRAP);
        assertTrue(Double.isFinite(r.current().nll()) && Double.isFinite(r.current().rmse()),
                "the baseline is scored on the held-out events: " + r.verdict().reason());
        // The EWMA lags the swings; a model that learnt them beats it.
        assertTrue(r.accepted(), r.verdict().reason());
        assertTrue(r.candidate().nll() < r.current().nll(), r.verdict().reason());
        Checkpoint c = CheckpointCodec.decode(CheckpointCodec.encode(r.published()));
        assertEquals(1, c.modelVersion());
        assertTrue(c.training().parentVersion().isEmpty(), "a first model has no parent");
        assertEquals(r.current().nll(), c.training().metrics().get("heldout.baseline.nll"));
        LoadedModel first = LoadedModel.fromRecord("default", CheckpointCodec.encode(r.published()), baseline);
        assertEquals(r.promoted(), first, "the engine takes it over the baseline, with its spec");
        assertEquals(60_000.0, first.spec().timeUnitMs());
    }

    @Test
    void shouldRefuseAFirstModelThatDoesNotBeatTheBaseline() {
        // Trained (and scaled) on one regime, judged on another: the EWMA, started afresh in each held-out window,
        // follows the new level at once; the model does not.
        TrainingBuffer buffer = new TrainingBuffer(Streams.config(baseline).buffer());
        for (int s = 0; s < 16; s++) {
            List<Event> old = Streams.level(-1.5, 6, T0, s);
            List<Event> recent = Streams.level(1.5, 6, old.getLast().timeMs(), 100 + s);
            String id = "s" + s;
            old.forEach(e -> buffer.add(id, e));
            recent.forEach(e -> buffer.add(id, e));
        }
        TrainingRound.Result r = new TrainingRound(Streams.config(baseline), backend).bootstrap(baseline, 1, buffer,
                Trigger.BOOTSTRAP);
        assertFalse(r.accepted(), r.verdict().reason());
        assertNull(r.published());
        assertTrue(r.candidate().nll() > r.current().nll(), r.verdict().reason());
    }

    @Test
    void shouldChooseATimeUnitFromTheGapsAndScaleEachValue() {
        DataSpec spec = TrainingRound.fitSpec(baseline.spec(), List.of(swinging(40, 1), swinging(40, 2)));
        assertEquals(60_000.0, spec.timeUnitMs(), "a typical gap of a minute or two is a model unit of a minute");
        double[] x = {2000};
        spec.valuesToModel(x, null);
        assertTrue(Math.abs(x[0]) < 1, "values around 2000 map near 0: " + x[0]);
    }

    @Test
    void shouldWaitForEnoughWindows() {
        assertNull(new TrainingRound(Streams.config(baseline), backend).bootstrap(baseline, 1, buffer(2, 12),
                Trigger.BOOTSTRAP));
    }
}
