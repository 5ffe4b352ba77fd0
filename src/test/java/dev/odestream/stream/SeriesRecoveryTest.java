package dev.odestream.stream;

import dev.odestream.model.ForecastPoint;
import dev.odestream.model.LatentOdeModel;
import dev.odestream.model.ModelConfig;
import dev.odestream.model.checkpoint.LoadedModel;
import dev.odestream.nn.DynamicsKind;
import dev.odestream.ode.Finite;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import static dev.odestream.stream.EngineFixture.T0;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A series whose state went non-finite, or whose solve fails, is re-encoded from its ring or answered by the baseline. */
class SeriesRecoveryTest {

    @TempDir
    Path stateDir;

    private static final long[] HORIZONS = {1_000, 5_000};

    private static SeriesModel model(LoadedModel loaded, int ring) {
        return new SeriesModel(loaded, TimeScale.seconds(), ring, 60_000, 8);
    }

    private static SeriesSnapshot feed(SeriesModel m, SeriesSnapshot s, Event... events) {
        for (Event e : events) {
            s = assertInstanceOf(SeriesModel.Updated.class, m.update(s, e)).snapshot();
        }
        return s;
    }

    /** The snapshot with NaN in its live hidden state, as a broken solve could have stored it. */
    private static SeriesSnapshot poisoned(SeriesSnapshot s) {
        double[] nan = new double[s.hiddenSize()];
        Arrays.fill(nan, Double.NaN);
        return new SeriesSnapshot(s.modelVersion(), s.events(), s.baseBoundMs(), s.baseCount(), s.baseHidden(), nan,
                s.ring(), s.seenAtMs(), null);
    }

    private static boolean finite(List<ForecastPoint> points) {
        return points.stream().allMatch(p -> Finite.all(p.mean()) && Finite.all(p.std())
                && Finite.all(p.intensity()) && Double.isFinite(p.probabilityNoEvent()));
    }

    /**
     * An encoder ODE so stiff that the solver gives up over a long gap: the old unbounded MLP dynamics without a gap
     * limit, weights scaled by 1e6. (The bounded dynamics with such weights saturate and stay easy to solve.)
     */
    static LoadedModel stiffModel() {
        LoadedModel small = EngineFixture.smallConfig().initialModel();
        LatentOdeModel model = new LatentOdeModel(small.config().withDynamics(DynamicsKind.MLP,
                ModelConfig.NO_GAP_LIMIT), small.seed());
        double[] p = model.parameters().values();
        model.parameters().layout().blocks().stream().filter(b -> b.name().startsWith("encoder.ode"))
                .forEach(b -> {
                    for (int i = b.offset(); i < b.end(); i++) {
                        p[i] = p[i] == 0 ? 1e6 : p[i] * 1e6;
                    }
                });
        return LoadedModel.of(0, model);
    }

    @Test
    void shouldReencodeANonFiniteSeriesFromItsRingOnItsNextEvent() {
        SeriesModel m = model(EngineFixture.smallConfig().initialModel(), 8);
        SeriesSnapshot s = poisoned(feed(m, null, Event.of(T0, 0.1, 0.2), Event.of(T0 + 1_000, 0.3, 0.1)));

        SeriesModel.Updated next = assertInstanceOf(SeriesModel.Updated.class,
                m.update(s, Event.of(T0 + 2_000, 0.2, 0.2)));
        assertEquals(SeriesModel.Recovery.REENCODED, next.recovery());
        assertTrue(Finite.all(next.snapshot().hidden()), Arrays.toString(next.snapshot().hidden()));
        assertEquals(3, next.snapshot().events());
        assertEquals(3, next.snapshot().ring().size());
        SeriesModel.Issue issue = m.issue("s", next.snapshot(), HORIZONS, T0);
        assertEquals(SeriesModel.Recovery.NONE, issue.recovery());
        assertEquals(Source.MODEL, issue.forecast().source());
        assertTrue(finite(issue.forecast().horizons()) && issue.intensity().isFinite(), issue.toString());
        // The same state as a series that was never broken.
        SeriesSnapshot clean = feed(m, null, Event.of(T0, 0.1, 0.2), Event.of(T0 + 1_000, 0.3, 0.1),
                Event.of(T0 + 2_000, 0.2, 0.2));
        assertTrue(Arrays.equals(clean.hidden(), next.snapshot().hidden()));
    }

    @Test
    void shouldReencodeANonFiniteSeriesToAnswerAForecast() {
        SeriesModel m = model(EngineFixture.smallConfig().initialModel(), 8);
        SeriesSnapshot s = poisoned(feed(m, null, Event.of(T0, 0.1, 0.2), Event.of(T0 + 1_000, 0.3, 0.1)));
        SeriesModel.Answer answer = m.answer(s, new long[] {T0 + 3_000});
        assertEquals(SeriesModel.Recovery.REENCODED, answer.recovery());
        assertEquals(Source.MODEL, answer.source());
        assertTrue(finite(answer.points()), answer.toString());
    }

    @Test
    void shouldAnswerFromTheBaselineWhenTheRingFailsTooAndRecoverOnceItNoLongerDoes() {
        SeriesModel m = model(stiffModel(), 2);
        SeriesSnapshot s = feed(m, null, Event.of(T0 - 600_000, 0.1, 0.2));

        SeriesModel.Updated unreachable = assertInstanceOf(SeriesModel.Updated.class,
                m.update(s, Event.of(T0, 0.3, 0.4)));
        assertEquals(SeriesModel.Recovery.BASELINE, unreachable.recovery());
        assertEquals(2, unreachable.snapshot().ring().size(), "the event is kept for later events to recover from");
        assertEquals(0, unreachable.snapshot().hiddenSize());
        SeriesModel.Issue issue = m.issue("s", unreachable.snapshot(), HORIZONS, T0);
        assertEquals(SeriesModel.Recovery.BASELINE, issue.recovery());
        assertEquals(Source.BASELINE, issue.forecast().source());
        assertEquals(Source.BASELINE, issue.intensity().source());
        assertTrue(finite(issue.forecast().horizons()) && issue.intensity().isFinite(), issue.toString());

        // The long gap leaves the ring of two; what is left (no gap to solve over) encodes.
        SeriesModel.Updated back = assertInstanceOf(SeriesModel.Updated.class,
                m.update(unreachable.snapshot(), Event.of(T0, 0.2, 0.3)));
        assertEquals(SeriesModel.Recovery.REENCODED, back.recovery(), back.toString());
        assertEquals(3, back.snapshot().events());
        assertEquals(Source.MODEL, m.issue("s", back.snapshot(), HORIZONS, T0).forecast().source());
    }

    @Test
    void shouldRecoverAPoisonedSeriesInTheEngineAndCountIt() {
        try (EngineFixture engine = new EngineFixture(EngineFixture.smallConfig(), stateDir)) {
            engine.send("s-1", Event.of(T0, 0.1, 0.2));
            engine.send("s-1", Event.of(T0 + 1_000, 0.3, 0.1));
            engine.store().put("s-1", poisoned(engine.snapshot("s-1")));
            engine.send("s-1", Event.of(T0 + 2_000, 0.2, 0.2));
            engine.send("s-1", Event.of(T0 + 3_000, 0.1, 0.1));

            List<ForecastRecord> forecasts = engine.forecasts();
            assertEquals(4, forecasts.size());
            for (ForecastRecord f : forecasts) {
                assertEquals(Source.MODEL, f.source());
                assertTrue(finite(f.horizons()), f.toString());
            }
            assertTrue(Finite.all(engine.snapshot("s-1").hidden()));
            assertEquals(1, engine.metrics.recoveredCount("reencoded"));
            assertEquals(0, engine.metrics.recoveredCount("baseline"));
            assertEquals(4, engine.metrics.eventsAccepted());
        }
    }
}
