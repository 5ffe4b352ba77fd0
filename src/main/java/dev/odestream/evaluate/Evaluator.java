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
 * <p>To choose among models (a level rule, a calibration) without looking at the test tail, {@link Part#VALIDATION}
 * scores the validation slice instead: each forecaster observes the train part, predicts each validation event from
 * the events before it, and never sees the test part.
 *
 * @param split how each series is split
 * @param intensityUnit the time unit of the intensities in the event-time log-likelihood, positive
 * @param part which part of each series is scored
 */
public record Evaluator(TimeSplit split, Duration intensityUnit, Part part) {

    /** The part of each series a scoreboard scores. */
    public enum Part {
        /** The test tail, after the train and validation parts: the score a model is reported with. */
        TEST,
        /** The validation slice, after the train part; the test tail is not read. For choices. */
        VALIDATION;

        /** @return the part's name in lower case, as the command line and the JSON spell it */
        public String word() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** An evaluator of the test tails. */
    public Evaluator(TimeSplit split, Duration intensityUnit) {
        this(split, intensityUnit, Part.TEST);
    }

    /** Checks the unit. */
    public Evaluator {
        Objects.requireNonNull(split, "split");
        Objects.requireNonNull(part, "part");
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
        int scored = parts.values().stream().mapToInt(p -> scored(p).size()).sum();
        return new Scoreboard(data, split, part, intensityUnit, series.size(), parts.size(), scored, valueNames,
                rows);
    }

    private List<Event> scored(TimeSplit.Parts<Event> parts) {
        return part == Part.TEST ? parts.test() : parts.validation();
    }

    private void follow(Forecaster.Series state, TimeSplit.Parts<Event> parts, Tally tally) {
        parts.train().forEach(state::observe);
        if (part == Part.TEST) {
            parts.validation().forEach(state::observe);
        }
        for (Event event : scored(parts)) {
            tally.add(state.at(event.timeMs()), event);
            state.observe(event);
        }
    }
}
