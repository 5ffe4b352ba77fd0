package dev.odestream.evaluate;

import dev.odestream.stream.Event;

/**
 * Something that forecasts a series one step ahead, as the scoreboard scores it. It follows each series as the engine
 * does, causally: {@link #open()} starts a series, {@link Series#observe} folds in one event, and
 * {@link Series#at} predicts the next event at a given time from the events observed so far. So a forecast at
 * {@code t} from a series that has observed the events {@code e_1..e_k} is the forecast "given the history
 * {@code e_1..e_k}", and one new event costs one update rather than a pass over the history.
 *
 * <p>A latent ODE implements it with its encoder state: {@code observe} is the ODE-RNN update, and {@code at}
 * integrates {@code [z, Lambda]} from the last event to {@code t}, giving the mean and std of the values, {@code
 * lambda(t)} and {@code Lambda(t)}.
 */
public interface Forecaster {

    /** @return a short name for tables, such as {@code last-value}. */
    String name();

    /** @return a fresh state for one series, which has observed nothing. */
    Series open();

    /**
     * @param key the series id, for a forecaster whose answers depend on which series it follows (recorded ones)
     * @return a fresh state for that series; by default {@link #open()}
     */
    default Series open(String key) {
        return open();
    }

    /** One series being followed. Not thread-safe: a series is followed by one thread. */
    interface Series {

        /**
         * Predicts the next event, without changing the state.
         *
         * @param timeMs the target time, not earlier than the last observed event; at least one event has been
         *     observed
         * @return the prediction of the event at {@code timeMs}: values of the data's dimension, and the intensity
         *     at {@code timeMs} with the cumulative intensity since the last observed event
         */
        Forecast at(long timeMs);

        /**
         * Folds in the next event of the series.
         *
         * @param event not earlier than the last observed event; masked values are missing
         */
        void observe(Event event);
    }
}
