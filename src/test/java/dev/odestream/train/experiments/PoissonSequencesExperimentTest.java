package dev.odestream.train.experiments;

import dev.odestream.data.Intensity;
import dev.odestream.model.LatentOdeModel;
import dev.odestream.model.Window;
import dev.odestream.model.checkpoint.CheckpointCodec;
import dev.odestream.model.checkpoint.LoadedModel;
import dev.odestream.train.experiments.PoissonSequencesExperiment.Family;
import dev.odestream.train.experiments.PoissonSequencesExperiment.Scores;
import dev.odestream.train.experiments.PoissonSequencesExperiment.Sequence;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PoissonSequencesExperimentTest {

    /** The committed model: {@code train --experiment poisson-sequences --seed 1} (docs/reproductions.md). */
    private static final String CHECKPOINT = "/models/poisson-sequences-seed1.odsc";

    /** What the committed model reaches, with a margin for the sample of 100 sequences: not the 10% target. */
    private static final double MEASURED_BOUND = 0.15;

    /**
     * Figure 8's claim on held-out sequences the model never saw (their seed is salted away from every training
     * seed): the intensity it infers for each sequence from that sequence's own events is close to the sequence's
     * true intensity, far closer than any shared curve, and no method beats the Bayes-optimal estimate.
     *
     * <p>The target is 10% relative L2 on average. The committed model does not reach it (about 12% on its
     * validation sequences, against the Bayes-optimal 5%; docs/reproductions.md has the figures over five seeds),
     * so this test holds the level it reaches, {@value #MEASURED_BOUND}, and fails if a change makes it worse.
     */
    @Test
    void shouldInferEachSequencesIntensityFromItsOwnEventsOnHeldOutSequences() throws IOException {
        LatentOdeModel model = committed();
        Family family = Family.reference();
        List<Sequence> heldOut = PoissonSequencesExperiment.sample(family, 100,
                7L ^ PoissonSequencesExperiment.HELD_OUT_SALT);
        Scores s = PoissonSequencesExperiment.score(model, family, heldOut);
        assertTrue(s.relativeL2() <= MEASURED_BOUND, "mean relative L2 " + s.relativeL2());
        assertTrue(s.relativeL2() >= s.oracleRelativeL2(), "nothing beats the posterior mean on average: " + s);
        assertTrue(s.relativeL2() < s.populationRelativeL2() / 4, "far from one shared curve: " + s);
        assertTrue(s.perEvent() > s.homogeneousPerEvent(), "beats each sequence's own observed rate: " + s);
    }

    /** With many events the phase is pinned down: the oracle's estimate approaches the truth. */
    @Test
    void shouldMakeTheOracleConvergeAsTheObservedEventsGrow() {
        Family few = new Family(10, 9, 4, 2, 6);
        Family many = new Family(10, 9, 4, 40, 44);
        double fewError = oracleError(few);
        double manyError = oracleError(many);
        assertTrue(manyError < 0.03, "oracle with ~400 events: " + manyError);
        assertTrue(manyError < fewError / 2, manyError + " vs " + fewError);
    }

    /** The oracle on a sequence with no events at all sees a flat posterior, so it answers the family's mean. */
    @Test
    void shouldAnswerTheFamilyMeanWhenNothingIsObserved() {
        Family family = Family.reference();
        double[] times = PoissonSequencesExperiment.grid(family);
        double[] estimate = PoissonSequencesExperiment.oracle(family, new double[0], times);
        for (double v : estimate) {
            assertEquals(family.base(), v, 1e-9);
        }
    }

    /** One window per sequence: the start marker and the observed events as context, the rest as targets. */
    @Test
    void shouldSplitEachSequenceAtTheEndOfObservation() {
        Family family = Family.reference();
        List<Sequence> seqs = PoissonSequencesExperiment.sample(family, 5, 3L);
        List<Window> windows = PoissonSequencesExperiment.windows(seqs, family);
        for (int i = 0; i < seqs.size(); i++) {
            Sequence s = seqs.get(i);
            Window w = windows.get(i);
            double[] observed = s.observed(family);
            double[] targets = s.targets(family);
            assertEquals(s.events().length, observed.length + targets.length);
            assertTrue(Arrays.stream(observed).allMatch(t -> t <= family.observed()));
            assertTrue(Arrays.stream(targets).allMatch(t -> t > family.observed()));
            assertEquals(observed.length + 1, w.contextCount());
            assertEquals(targets.length, w.eventCount());
            assertEquals(family.horizon(), w.end(), 0.0);
        }
        assertEquals(seqs.size(), seqs.stream().mapToDouble(Sequence::phase).distinct().count(),
                "every sequence has its own phase");
    }

    /** The relative L2 on the grid: zero for the truth, exactly 10% for 1.1 times it. */
    @Test
    void shouldMeasureTheRelativeL2OnTheForecastGrid() {
        Family family = Family.reference();
        Intensity truth = family.at(0.7);
        double[] t = PoissonSequencesExperiment.grid(family);
        double[] exact = Arrays.stream(t).map(truth::rate).toArray();
        double[] high = Arrays.stream(exact).map(v -> 1.1 * v).toArray();
        assertEquals(0.0, PoissonSequencesExperiment.relativeL2(exact, truth, family), 1e-15);
        assertEquals(0.1, PoissonSequencesExperiment.relativeL2(high, truth, family), 1e-12);
        assertEquals(family.observed(), t[0], 0.0);
        assertEquals(family.horizon(), t[t.length - 1], 1e-12);
    }

    private static double oracleError(Family family) {
        double[] times = PoissonSequencesExperiment.grid(family);
        double sum = 0;
        List<Sequence> seqs = PoissonSequencesExperiment.sample(family, 40, 11L);
        for (Sequence s : seqs) {
            double[] estimate = PoissonSequencesExperiment.oracle(family, s.observed(family), times);
            sum += PoissonSequencesExperiment.relativeL2(estimate, family.at(s.phase()), family);
        }
        return sum / seqs.size();
    }

    private static LatentOdeModel committed() throws IOException {
        try (InputStream in = PoissonSequencesExperimentTest.class.getResourceAsStream(CHECKPOINT)) {
            assertNotNull(in, CHECKPOINT);
            return LoadedModel.load(CheckpointCodec.decode(in.readAllBytes()));
        }
    }
}
