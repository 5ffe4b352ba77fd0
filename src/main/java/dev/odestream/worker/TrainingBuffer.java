package dev.odestream.worker;

import dev.odestream.model.Window;
import dev.odestream.model.checkpoint.DataRange;
import dev.odestream.stream.Event;
import dev.odestream.dataset.EventWindows;
import dev.odestream.model.DataSpec;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The recent events of each series, bounded in memory by {@link WorkerConfig.BufferSettings}: at most
 * {@code maxSeries} series (the least recently updated leaves first) of at most {@code maxEventsPerSeries} events
 * each (the oldest leaves first), kept in event-time order.
 *
 * <p>{@link #split} cuts the buffer into windows: per series, its newest events form one held-out window, and the
 * events before them form non-overlapping training windows. A held-out window's events are in no training window, and
 * it is the most recent data of its series, which is what the gate should judge on.
 *
 * <p>Not thread-safe: the worker's loop owns it.
 */
public final class TrainingBuffer {

    private final WorkerConfig.BufferSettings settings;
    private final LinkedHashMap<String, List<Event>> series;

    /** @param settings the bounds and the window shape */
    public TrainingBuffer(WorkerConfig.BufferSettings settings) {
        this.settings = settings;
        this.series = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, List<Event>> eldest) {
                return size() > settings.maxSeries();
            }
        };
    }

    /**
     * Adds an event; an event older than its series' newest is inserted in time order (after equal times).
     *
     * @param id the series id
     * @param event a valid event
     */
    public void add(String id, Event event) {
        List<Event> events = series.computeIfAbsent(id, k -> new ArrayList<>());
        int at = events.size();
        while (at > 0 && events.get(at - 1).timeMs() > event.timeMs()) {
            at--;
        }
        events.add(at, event);
        if (events.size() > settings.maxEventsPerSeries()) {
            events.removeFirst();
        }
    }

    /** @return the buffered events of a series, oldest first; empty if none. A copy. */
    public List<Event> events(String id) {
        List<Event> events = series.get(id);
        return events == null ? List.of() : List.copyOf(events);
    }

    /**
     * @return each series' events before its newest window (the held-out one of {@link #split}), for series that
     *     have a full window; copies, oldest first
     */
    public List<List<Event>> trainingEvents() {
        int w = settings.windowEvents();
        List<List<Event>> out = new ArrayList<>();
        for (List<Event> events : series.values()) {
            if (events.size() > w) {
                out.add(List.copyOf(events.subList(0, events.size() - w)));
            }
        }
        return out;
    }

    /** @return series held. */
    public int seriesCount() {
        return series.size();
    }

    /** @return events held, over every series. */
    public long eventCount() {
        return series.values().stream().mapToLong(List::size).sum();
    }

    /** @return complete windows the buffer holds now, held-out ones included. */
    public long windowCount() {
        int w = settings.windowEvents();
        return series.values().stream().mapToLong(e -> e.size() / w).sum();
    }

    /**
     * The buffer cut into windows ({@link EventWindows}): model time since each window's first event, values on the
     * model's scale.
     *
     * @param spec the units of the model being trained
     * @return training and held-out windows; held-out ones share no event with training ones
     */
    public Split split(DataSpec spec) {
        int w = settings.windowEvents();
        List<Window> training = new ArrayList<>();
        List<Window> heldOut = new ArrayList<>();
        List<List<Event>> heldOutEvents = new ArrayList<>();
        long first = Long.MAX_VALUE;
        long last = Long.MIN_VALUE;
        long used = 0;
        for (List<Event> events : series.values()) {
            int n = events.size();
            if (n < w) {
                continue;
            }
            heldOut.add(window(events, n - w, spec));
            heldOutEvents.add(List.copyOf(events.subList(n - w, n)));
            for (int start = n - 2 * w; start >= 0; start -= w) {
                List<Event> chunk = events.subList(start, start + w);
                training.add(window(events, start, spec));
                first = Math.min(first, chunk.getFirst().timeMs());
                last = Math.max(last, chunk.getLast().timeMs());
                used += w;
            }
        }
        DataRange range = training.isEmpty() ? null
                : new DataRange(Instant.ofEpochMilli(first), Instant.ofEpochMilli(last), used);
        return new Split(training, heldOut, heldOutEvents, range);
    }

    /** The window of {@code windowEvents} events from {@code from}; its level reads the buffered events before it. */
    private Window window(List<Event> events, int from, DataSpec spec) {
        return EventWindows.window(events, from, from + settings.windowEvents(), settings.contextEvents(), spec);
    }

    /**
     * Windows for one training round.
     *
     * @param training windows to train on
     * @param heldOut the newest window of each series, never trained on
     * @param heldOutEvents the events of each held-out window, in the same order
     * @param dataRange event-time span and event count of the training windows; {@code null} when there are none
     */
    public record Split(List<Window> training, List<Window> heldOut, List<List<Event>> heldOutEvents,
                        DataRange dataRange) {

        /** Copies the lists. */
        public Split {
            training = List.copyOf(training);
            heldOut = List.copyOf(heldOut);
            heldOutEvents = List.copyOf(heldOutEvents);
        }
    }
}
