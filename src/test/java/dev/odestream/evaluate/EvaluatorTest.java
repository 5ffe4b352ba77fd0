package dev.odestream.evaluate;

import dev.odestream.dataset.TimeSplit;
import dev.odestream.stream.Event;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.IntStream;
import java.util.stream.LongStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class EvaluatorTest {

    private static final double EPS = 1e-9;
    private static final Evaluator EVALUATOR = new Evaluator(TimeSplit.DEFAULT, Duration.ofDays(1));

    /** Values 0, 1, ..., 9 one second apart: train 0..6, validation 7, test 8 and 9. */
    private static final List<Event> RAMP = IntStream.range(0, 10).mapToObj(i -> Event.of(i * 1000L, i)).toList();

    private static Scoreboard.Row row(Scoreboard board, String name) {
        return board.rows().stream().filter(r -> r.forecaster().equals(name)).findFirst().orElseThrow();
    }

    @Test
    void shouldScoreTheBaselinesOnAKnownSeries() {
        Scoreboard board = EVALUATOR.scoreBaselines("ramp", Map.of("r", RAMP, "short", RAMP.subList(0, 2)),
                List.of("x"));
        assertEquals(List.of("last-value", "ewma", "running-mean", "poisson-rate"),
                board.rows().stream().map(Scoreboard.Row::forecaster).toList());
        assertEquals(2, board.series());
        assertEquals(1, board.seriesScored(), "a series of 2 events is too short");
        assertEquals(2, board.testEvents());
        ValueMetrics last = row(board, "last-value").values();
        assertEquals(2, last.scored());
        assertEquals(1, last.rmse(), EPS, "each step is 1");
        assertEquals(0.5 * Math.log(2 * Math.PI) + 0.5, last.nll(), EPS, "every change 1, prior change variance 1");
        assertEquals(Math.sqrt((4.5 * 4.5 + 5 * 5) / 2), row(board, "running-mean").values().rmse(), EPS,
                "means 3.5 and 4");
        EventMetrics poisson = row(board, "poisson-rate").events();
        assertEquals(2, poisson.scored());
        assertEquals(0, row(board, "poisson-rate").values().scored());
        assertEquals(2, row(board, "poisson-rate").values().skipped());
        double perDay = 86_400.0;
        double rate8 = 8 / (7 + 1.0) * perDay;
        double rate9 = 9 / (8 + 1.0) * perDay;
        assertEquals((1 - Math.log(rate8) + 1 - Math.log(rate9)) / 2, poisson.nll(), EPS,
                "one event a second, a prior of one event a second, one second to the next");
    }

    @Test
    void shouldGiveEveryForecasterTheSameEvents() {
        Scoreboard board = EVALUATOR.scoreBaselines("ramp", Map.of("r", RAMP), List.of("x"));
        board.rows().forEach(r -> assertEquals(2, r.values().scored() + r.values().skipped()));
        board.rows().forEach(r -> assertEquals(2, r.events().scored() + r.events().skipped()));
    }

    @Test
    void shouldFindThePoissonBaselineCalibratedOnAPoissonProcess() {
        Random random = new Random(3);
        Map<String, List<Event>> series = new java.util.TreeMap<>();
        for (int s = 0; s < 50; s++) {
            List<Event> events = new ArrayList<>();
            double t = 0;
            double rate = 1e-6 * (1 + s % 5);
            for (int i = 0; i < 200; i++) {
                t += -Math.log(1 - random.nextDouble()) / rate;
                events.add(Event.point((long) t, 0));
            }
            series.put("s" + s, events);
        }
        EventMetrics e = row(EVALUATOR.scoreBaselines("poisson", series, List.of()), "poisson-rate").events();
        assertEquals(50 * 40, e.scored());
        assertTrue(e.pitChiSquare() < 27.88, e.toString());
        assertTrue(e.pitMaxDeviation() < 0.03, e.toString());
    }

    @Test
    void shouldNeverShowAForecasterAnEventBeforeItIsScored() {
        List<Long> seen = new ArrayList<>();
        Forecaster spy = new Forecaster() {
            @Override
            public String name() {
                return "spy";
            }

            @Override
            public Series open() {
                return new Series() {
                    private long last = Long.MIN_VALUE;

                    @Override
                    public Forecast at(long timeMs) {
                        assertTrue(last < timeMs, "the target " + timeMs + " was already observed");
                        return Forecast.ofEvents(1, 1, 1);
                    }

                    @Override
                    public void observe(Event event) {
                        last = event.timeMs();
                        seen.add(last);
                    }
                };
            }
        };
        Scoreboard board = EVALUATOR.score("ramp", Map.of("r", RAMP), List.of("x"), parts -> List.of(spy));
        assertEquals(RAMP.stream().map(Event::timeMs).toList(), seen);
        assertEquals(2, board.rows().getFirst().events().scored());
    }

    /** On the validation part the ramp's train part (0..6) is observed, 7 is scored, and the test part never read. */
    @Test
    void shouldScoreTheValidationSliceWithoutReadingTheTestTail() {
        List<Long> seen = new ArrayList<>();
        List<Long> targets = new ArrayList<>();
        Forecaster spy = new Forecaster() {
            @Override
            public String name() {
                return "spy";
            }

            @Override
            public Series open() {
                return new Series() {
                    @Override
                    public Forecast at(long timeMs) {
                        targets.add(timeMs);
                        return Forecast.ofValues(new double[] {timeMs / 1000.0 - 1}, new double[] {1});
                    }

                    @Override
                    public void observe(Event event) {
                        seen.add(event.timeMs());
                    }
                };
            }
        };
        Evaluator validation = new Evaluator(TimeSplit.DEFAULT, Duration.ofDays(1), Evaluator.Part.VALIDATION);
        Scoreboard board = validation.score("ramp", Map.of("r", RAMP), List.of("x"), parts -> List.of(spy));
        assertEquals(List.of(7000L), targets);
        assertEquals(LongStream.rangeClosed(0, 7).mapToObj(i -> i * 1000).toList(), seen);
        assertEquals(1, board.testEvents());
        assertEquals(1.0, board.rows().getFirst().values().rmse(), EPS, "forecast 6 for the value 7");
        assertTrue(board.format().contains("1 validation events"), board.format());
        assertTrue(board.toJson().contains("\"part\" : \"validation\""), board.toJson());
    }
}
