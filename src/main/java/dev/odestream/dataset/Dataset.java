package dev.odestream.dataset;

import dev.odestream.stream.Event;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.TreeMap;
import java.util.stream.IntStream;

/**
 * A user's events grouped into series by key: keys in their natural order, each series sorted by time. The sort is
 * stable, so events at the same time keep the order of the file. Every event with values has {@link #dimension()}
 * values; point events may sit among them. Immutable.
 */
public final class Dataset {

    private final Map<String, List<Event>> series;
    private final List<String> valueNames;
    private final int events;

    private Dataset(Map<String, List<Event>> series, List<String> valueNames, int events) {
        this.series = series;
        this.valueNames = valueNames;
        this.events = events;
    }

    /**
     * Groups and sorts events.
     *
     * @param events the rows, in file order, at least one. Not modified.
     * @param valueNames one name per value; empty to name them {@code v0, v1, ...} from the first event with values
     * @throws IllegalArgumentException if there are no events, or an event's dimension differs
     */
    public static Dataset of(List<KeyedEvent> events, List<String> valueNames) {
        if (events.isEmpty()) {
            throw new IllegalArgumentException("a data set needs at least one event");
        }
        List<String> names = valueNames.isEmpty() ? generatedNames(events) : List.copyOf(valueNames);
        Map<String, List<Event>> series = new TreeMap<>();
        for (KeyedEvent row : events) {
            requireDimension(row, names.size());
            series.computeIfAbsent(row.key(), k -> new ArrayList<>()).add(row.event());
        }
        series.replaceAll((key, list) -> sortedCopy(list));
        return new Dataset(Collections.unmodifiableMap(series), names, events.size());
    }

    private static List<String> generatedNames(List<KeyedEvent> events) {
        int dimension = events.stream().mapToInt(e -> e.event().dimension()).filter(d -> d > 0).findFirst().orElse(0);
        return IntStream.range(0, dimension).mapToObj(d -> "v" + d).toList();
    }

    private static void requireDimension(KeyedEvent row, int dimension) {
        if (!row.event().isPoint() && row.event().dimension() != dimension) {
            throw new IllegalArgumentException("series '" + row.key() + "' has an event of dimension "
                    + row.event().dimension() + ", the data set " + dimension);
        }
    }

    private static List<Event> sortedCopy(List<Event> events) {
        List<Event> sorted = new ArrayList<>(events);
        sorted.sort(Comparator.comparingLong(Event::timeMs));
        return List.copyOf(sorted);
    }

    /** @return the series keys, in natural (lexicographic) order. */
    public List<String> keys() {
        return List.copyOf(series.keySet());
    }

    /**
     * @return the events of one series, in time order
     * @throws NoSuchElementException if there is no such series
     */
    public List<Event> series(String key) {
        List<Event> events = series.get(key);
        if (events == null) {
            throw new NoSuchElementException("no series '" + key + "'");
        }
        return events;
    }

    /** @return every series by key, keys in natural order; unmodifiable. */
    public Map<String, List<Event>> allSeries() {
        return series;
    }

    /** @return the number of series. */
    public int seriesCount() {
        return series.size();
    }

    /** @return the number of events in all series. */
    public int eventCount() {
        return events;
    }

    /** @return the number of values of an event with values; 0 if every event is a point event. */
    public int dimension() {
        return valueNames.size();
    }

    /** @return one name per value: the CSV columns, or {@code v0, v1, ...}. */
    public List<String> valueNames() {
        return valueNames;
    }

    /** @return the facts a user checks before training: sizes, time span and the gaps within series. */
    public DatasetSummary summary() {
        return DatasetSummary.of(this);
    }
}
