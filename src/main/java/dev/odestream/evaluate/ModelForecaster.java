package dev.odestream.evaluate;

import dev.odestream.model.ForecastPoint;
import dev.odestream.model.checkpoint.LoadedModel;
import dev.odestream.stream.Event;
import dev.odestream.stream.SeriesModel;
import dev.odestream.stream.SeriesSnapshot;
import dev.odestream.stream.TimeScale;

import java.util.Arrays;

/**
 * A model version as a {@link Forecaster}, through the engine's own per-series code ({@link SeriesModel}): each event
 * is folded in as the engine folds it, and the forecast at a target time is the one the engine would answer to a
 * query at that time, in the user's units. So the offline score of a checkpoint is the score of what the engine would
 * serve. A forecast the model fails to make (a solver failure) leaves that target unscored and is counted in
 * {@link #failures()}.
 *
 * <p>The intensity of the scoreboard counts events of any type: the sum of the model's intensities and expected
 * counts over the types.
 */
public final class ModelForecaster implements Forecaster {

    private static final int RING = 32;

    private final LoadedModel model;
    private final SeriesModel series;
    private final boolean values;
    private long failures;

    /**
     * @param model the version to score
     * @param values whether the data have values to forecast; for point events only (no values) the model's value
     *     forecast is left out and only its intensity scored
     */
    public ModelForecaster(LoadedModel model, boolean values) {
        this.model = model;
        this.series = new SeriesModel(model, TimeScale.seconds(), RING, 0, 1);
        this.values = values;
    }

    @Override
    public String name() {
        return "latent-ode v" + model.version();
    }

    /** @return forecasts and updates the model failed to make, over every series opened */
    public long failures() {
        return failures;
    }

    @Override
    public Series open() {
        return new Series() {
            private SeriesSnapshot state;

            @Override
            public Forecast at(long timeMs) {
                int dim = values ? model.config().observationDim() : 0;
                if (state == null) {
                    return Forecast.ofEvents(dim, Double.NaN, Double.NaN);
                }
                try {
                    return forecast(series.points(state, new long[] {Math.max(timeMs, state.lastTimeMs())})
                            .getFirst());
                } catch (RuntimeException e) {
                    failures++;
                    return Forecast.ofEvents(dim, Double.NaN, Double.NaN);
                }
            }

            @Override
            public void observe(Event event) {
                try {
                    if (series.update(state, event) instanceof SeriesModel.Updated u) {
                        state = u.snapshot();
                    }
                } catch (RuntimeException e) {
                    failures++;
                }
            }
        };
    }

    private Forecast forecast(ForecastPoint h) {
        double perMs = Arrays.stream(h.intensity()).sum() / 1000.0;
        double expected = Arrays.stream(h.expectedCount()).sum();
        return values ? new Forecast(h.mean(), h.std(), perMs, expected) : Forecast.ofEvents(0, perMs, expected);
    }
}
