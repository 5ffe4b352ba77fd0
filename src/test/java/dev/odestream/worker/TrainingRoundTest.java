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
        assertEquals(Gate.Refusal.PARENT, gate.judge(current, new TrainingBackend.HeldOutScore(1.1, 0.4)).refusal());
        assertThrows(IllegalArgumentException.class, () -> new TrainingRound(Streams.config(initial), backend)
                .run(initial, 0, levelBuffer.split(initial.spec()), Trigger.DRIFT));
    }

    /** Parent nll 1.0 / rmse 0.5 on windows; baseline one-step nll 2.0 / rmse 0.5 on events. */
    private static Gate.Verdict judge(double loss, double windowNll, double stepNll, double stepRmse) {
        return new Gate(0.05).judge(new Gate.Evidence(loss, 1.0, new TrainingBackend.HeldOutScore(1.0, 0.5),
                new TrainingBackend.HeldOutScore(windowNll, 0.45), new TrainingBackend.HeldOutScore(2.0, 0.5),
                new TrainingBackend.HeldOutScore(stepNll, stepRmse)));
    }

    @Test
    void shouldAcceptOnlyACandidateThatBeatsBothTheParentAndTheBaseline() {
        Gate.Verdict v = judge(1.2, 0.9, 1.9, 0.5);
        assertTrue(v.accepted(), v.reason());
        assertNull(v.refusal());
        assertTrue(v.reason().contains("baseline") && v.reason().contains("1.90000 vs 2.00000"), v.reason());
    }

    @Test
    void shouldRefuseACandidateWhoseTrainingLossIsNotFinite() {
        for (double loss : new double[] {Double.NaN, Double.POSITIVE_INFINITY}) {
            Gate.Verdict v = judge(loss, 0.9, 1.9, 0.5);
            assertEquals(Gate.Refusal.NON_FINITE, v.refusal(), v.reason());
            assertTrue(v.reason().contains(String.valueOf(loss)), v.reason());
        }
        assertEquals(Gate.Refusal.NON_FINITE, judge(1.2, Double.NaN, 1.9, 0.5).refusal(), "held-out nll NaN");
        assertEquals(Gate.Refusal.NON_FINITE, judge(1.2, 0.9, Double.NaN, 0.5).refusal(), "one-step nll NaN");
    }

    @Test
    void shouldRefuseACandidateWhoseTrainingLossExploded() {
        // It started from a held-out nll of 1.0: 10 x max(1, 1) above it is the bound.
        assertTrue(judge(10.9, 0.9, 1.9, 0.5).accepted());
        Gate.Verdict v = judge(1e6, 0.9, 1.9, 0.5);
        assertEquals(Gate.Refusal.EXPLODING, v.refusal(), v.reason());
        assertTrue(v.reason().contains("exploding") && v.reason().contains("1.0000e+06"), v.reason());
    }

    @Test
    void shouldRefuseACandidateThatLosesToTheBaselineEvenWhenItBeatsTheParent() {
        Gate.Verdict worse = judge(1.2, 0.9, 2.1, 0.4);
        assertEquals(Gate.Refusal.BASELINE, worse.refusal(), worse.reason());
        assertTrue(worse.reason().contains("2.10000 vs 2.00000"), worse.reason());
        Gate.Verdict wilder = judge(1.2, 0.9, 1.9, 0.6);
        assertEquals(Gate.Refusal.BASELINE, wilder.refusal(), "rmse beyond the margin of the baseline's");
        assertEquals(Gate.Refusal.PARENT, judge(1.2, 1.1, 1.9, 0.4).refusal(), "the parent is checked first");
    }

    @Test
    void shouldScoreTheBaselineEveryRoundAndCountRefusalsByReason() {
        assertTrue(Double.isFinite(accepted.baseline().nll()), accepted.verdict().reason());
        assertTrue(accepted.reference().nll() < accepted.baseline().nll(), accepted.verdict().reason());
        assertEquals(accepted.baseline().nll(), accepted.published().training().metrics().get("heldout.baseline.nll"));
        WorkerMetrics metrics = WorkerMetrics.inMemory();
        metrics.round(accepted);
        var nan = new TrainingBackend.RoundStats(60, 60, Double.NaN, 0.1, 1, 1, 1);
        Gate.Verdict refused = judge(Double.NaN, 0.9, 1.9, 0.5);
        metrics.round(new TrainingRound.Result(Trigger.DRIFT, refused, accepted.current(), accepted.candidate(), nan,
                null, null, null, accepted.baseline()));
        assertEquals(1, metrics.promotions());
        assertEquals(1, metrics.rejections());
        assertEquals(1, metrics.rejections(Gate.Refusal.NON_FINITE));
        assertEquals(1.0, metrics.registry().get("odestream.worker.rejections").tag("reason", "non_finite").counter()
                .count());
        assertEquals(0, metrics.rejections(Gate.Refusal.BASELINE));
    }
}
