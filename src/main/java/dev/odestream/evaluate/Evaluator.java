package dev.odestream.evaluate;

import dev.odestream.dataset.TimeSplit;
import dev.odestream.stream.Event;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/**
 * Scores forecasters one step ahead on the test tail of every series, all on the same events. Each series is split by
 * a {@link TimeSplit}; each forecaster observes the series' train and validation parts, then predicts each test event
 * from all events before it and observes it. Events at the same time are taken in the series' order.
 *
 * @param split how each series is split
 * @param intensityUnit the time unit of the intensities in the event-time log-likelihood, positive
 */
public record Evaluator(TimeSplit split, Duration intensityUnit) {

    /** Checks the unit. */
    public Evaluator {
        Objects.requireNonNull(split, "split");
        if (intensityUnit.isNegative() || intensityUnit.isZero()) {
            throw new IllegalArgumentException("the intensity unit must be positive, got " + intensityUnit);
        }
    }

    /**
     * Scores the {@link Baselines}, with their prior fitted on the training parts.
     *
     * @param data what the header calls the data, such as its file name
     * @param series the events of each series, each sorted by time
     * @param valueNames one name per value of an event with values; empty for point events only
     */
    public Scoreboard scoreBaselines(String data, Map<String, List<Event>> series, List<String> valueNames) {
        return score(data, series, valueNames,
                parts -> Baselines.all(Prior.fit(parts.values().stream().map(TimeSplit.Parts::train).toList(),
                        valueNames.size())));
    }

    /**
     * Scores forecasters.
     *
     * @param forecasters makes the forecasters from the split series; whatever they fit, they may fit only on the
     *     train parts (and choose among themselves on the validation parts)
     */
    public Scoreboard score(String data, Map<String, List<Event>> series, List<String> valueNames,
            Function<Map<String, TimeSplit.Parts<Event>>, List<Forecaster>> forecasters) {
        Map<String, TimeSplit.Parts<Event>> parts = split.splitAll(series, Event::timeMs);
        List<Scoreboard.Row> rows = new ArrayList<>();
        for (Forecaster forecaster : forecasters.apply(parts)) {
            Tally tally = new Tally(valueNames, intensityUnit.toMillis());
            parts.forEach((key, p) -> follow(forecaster.open(key), p, tally));
            rows.add(new Scoreboard.Row(forecaster.name(), tally.values(), tally.events()));
        }
        int testEvents = parts.values().stream().mapToInt(p -> p.test().size()).sum();
        return new Scoreboard(data, split, intensityUnit, series.size(), parts.size(), testEvents, valueNames, rows);
    }

    private static void follow(Forecaster.Series state, TimeSplit.Parts<Event> parts, Tally tally) {
        parts.train().forEach(state::observe);
        parts.validation().forEach(state::observe);
        for (Event event : parts.test()) {
            tally.add(state.at(event.timeMs()), event);
            state.observe(event);
        }
    }
}
