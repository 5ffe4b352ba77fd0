package dev.odestream.worker;

import dev.odestream.model.checkpoint.Checkpoint;
import dev.odestream.model.checkpoint.CheckpointCodec;
import dev.odestream.model.checkpoint.LoadedModel;
import dev.odestream.stream.Event;
import dev.odestream.train.CpuBackend;
import dev.odestream.train.TrainingBackend;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Training rounds with real tiny models: the gate's accept and reject cases, and the published lineage. */
class TrainingRoundTest {

    private static final long T0 = 1_763_900_000_000L;
    private static final int SERIES = 16;

    private static CpuBackend backend;
    private static LoadedModel initial;
    private static TrainingBuffer levelBuffer;
    private static TrainingRound.Result accepted;

    @BeforeAll
    static void trainOnce() {
        backend = new CpuBackend(2);
        initial = Streams.initial();
        levelBuffer = new TrainingBuffer(Streams.config(initial).buffer());
        Streams.fill(levelBuffer, SERIES, 1.5, 12, T0);
        accepted = new TrainingRound(Streams.config(initial), backend).run(initial, 1,
                levelBuffer.split(initial.spec()), Trigger.DRIFT);
    }

    @AfterAll
    static void close() {
        backend.close();
    }

    @Test
    void shouldPublishACandidateThatBeatsTheUntrainedModelOnHeldOutWindows() {
        assertTrue(accepted.accepted(), accepted.verdict().reason());
        assertTrue(accepted.candidate().nll() < accepted.current().nll());
        assertTrue(accepted.candidate().rmse() < accepted.current().rmse(), accepted.verdict().reason());
        assertEquals(60, accepted.stats().steps());
        assertTrue(accepted.stats().forwardNfe() > 0 && accepted.stats().backwardNfe() > 0);
        assertTrue(accepted.stats().samplesPerSecond() > 0);
        assertEquals(1, accepted.promoted().version());
        assertEquals(initial.seed(), accepted.promoted().seed());
    }

    @Test
    void shouldWriteTheLineageIntoACheckpointTheEngineAccepts() throws Exception {
        byte[] bytes = CheckpointCodec.encode(accepted.published());
        Checkpoint c = CheckpointCodec.decode(bytes);
        assertEquals(1, c.modelVersion());
        assertEquals(0, c.training().parentVersion().orElseThrow());
        long first = Long.MAX_VALUE;
        long last = Long.MIN_VALUE;
        for (int s = 0; s < SERIES; s++) {
            List<Event> events = levelBuffer.events("s" + s);
            first = Math.min(first, events.getFirst().timeMs());
            last = Math.max(last, events.get(5).timeMs());
        }
        assertEquals(first, c.training().dataRange().start().toEpochMilli(), "the oldest trained event");
        assertEquals(last, c.training().dataRange().end().toEpochMilli(), "the newest trained event, not held out");
        assertEquals(SERIES * 6, c.training().dataRange().eventCount());
        assertEquals(accepted.candidate().nll(), c.training().metrics().get("heldout.nll"));
        assertEquals(accepted.current().nll(), c.training().metrics().get("heldout.parent.nll"));
        assertEquals(accepted.candidate().rmse(), c.training().metrics().get("heldout.rmse"));
        assertEquals(accepted.reference(), TrainingRound.reference(c));
        assertTrue(c.training().notes().contains("trigger=drift"), c.training().notes());
        assertEquals(accepted.promoted(), LoadedModel.fromCheckpoint(bytes, Streams.tinyModel()));
        assertTrue(c.metadataJson().replace(" ", "").contains("\"parentVersion\":0"), c.metadataJson());
    }

    @Test
    void shouldRejectACandidateTrainedAwayFromTheRegimeItIsJudgedOn() {
        TrainingBuffer buffer = new TrainingBuffer(Streams.config(initial).buffer());
        for (int s = 0; s < SERIES; s++) {
            List<Event> old = Streams.level(-1.5, 6, T0, s);
            List<Event> recent = Streams.level(1.5, 6, old.getLast().timeMs(), 100 + s);
            String id = "s" + s;
            old.forEach(e -> buffer.add(id, e));
            recent.forEach(e -> buffer.add(id, e));
        }
        LoadedModel current = accepted.promoted();
        TrainingRound.Result r = new TrainingRound(Streams.config(current), backend).run(current, 2,
                buffer.split(current.spec()), Trigger.SCHEDULE);
        assertFalse(r.accepted(), r.verdict().reason());
        assertNull(r.published());
        assertTrue(r.candidate().nll() > r.current().nll(), r.verdict().reason());
    }

    @Test
    void shouldJudgeByLikelihoodAndTheRmseMargin() {
        Gate gate = new Gate(0.05);
        var current = new TrainingBackend.HeldOutScore(1.0, 0.50);
        assertTrue(gate.judge(current, new TrainingBackend.HeldOutScore(0.9, 0.52)).accepted());
        assertFalse(gate.judge(current, new TrainingBackend.HeldOutScore(0.9, 0.53)).accepted(), "rmse beyond 5 %");
        assertFalse(gate.judge(current, new TrainingBackend.HeldOutScore(1.0, 0.40)).accepted(), "nll not lower");
        assertFalse(gate.judge(current, new TrainingBackend.HeldOutScore(Double.NaN, 0.40)).accepted());
        assertThrows(IllegalArgumentException.class, () -> new TrainingRound(Streams.config(initial), backend)
                .run(initial, 0, levelBuffer.split(initial.spec()), Trigger.DRIFT));
    }
}
