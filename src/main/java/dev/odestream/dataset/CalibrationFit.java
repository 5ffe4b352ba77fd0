package dev.odestream.dataset;

import dev.odestream.model.Calibration;
import dev.odestream.model.ForecastPoint;
import dev.odestream.model.LevelRule;
import dev.odestream.model.checkpoint.LoadedModel;
import dev.odestream.stream.Event;
import dev.odestream.stream.SeriesModel;
import dev.odestream.stream.SeriesSnapshot;
import dev.odestream.stream.TimeScale;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;

/**
 * Fits a model's post-hoc {@link Calibration} on the validation slices of a data set, through the engine's own
 * per-series code ({@link SeriesModel}): each series' train part is folded in, then each validation event is
 * forecast at its time from the events before it, and folded in. The test tails are never read.
 *
 * <ul>
 *   <li><b>Spread, per value dimension.</b> With {@code r = |y - m| / s} the standardised error on the model's scale
 *       (where the central intervals are {@code m +- z s} and map to value units exactly), the factor that makes the
 *       central 90% interval cover 90% of the validation values is {@code q90(r) / 1.645}, and for the 95% interval
 *       {@code q95(r) / 1.960}; the fitted factor is their geometric mean, so both levels land near nominal even when
 *       the errors' tails are heavier than Gaussian.</li>
 *   <li><b>Intensity.</b> Scaling every intensity by {@code c} gives an event-time log-likelihood
 *       {@code sum log(c lambda_i) - c Lambda_i}, maximal at {@code c = n / sum Lambda_i}: the factor that makes the
 *       expected number of events before each validation event match what happened.</li>
 * </ul>
 * A dimension with fewer than {@value #MIN_VALUES} validation values, or events fewer than that, keeps factor 1.
 */
public final class CalibrationFit {

    /** The fewest validation values (or events) a factor is fitted on. */
    public static final int MIN_VALUES = 10;

    private static final double Z90 = 1.6448536269514722;
    private static final double Z95 = 1.959963984540054;

    private CalibrationFit() {
    }

    /**
     * Fits the calibration of a model.
     *
     * @param model the model, with no calibration yet (its spec's is the identity)
     * @param parts the split series; only their train and validation parts are read
     * @param values whether the data have values (for point events only, the spread keeps factor 1)
     * @return the factors
     * @throws IllegalArgumentException if the model is already calibrated
     */
    public static Calibration fit(LoadedModel model, Collection<TimeSplit.Parts<Event>> parts, boolean values) {
        if (!model.spec().calibration().isIdentity()) {
            throw new IllegalArgumentException("fit a calibration on an uncalibrated model; this one has "
                    + model.spec().calibration());
        }
        int dim = model.config().observationDim();
        SeriesModel series = new SeriesModel(model, TimeScale.seconds(), LevelRule.MAX_WINDOW, 0, 1);
        List<List<Double>> errors = new ArrayList<>();
        for (int d = 0; d < dim; d++) {
            errors.add(new ArrayList<>());
        }
        double cumulative = 0;
        long events = 0;
        for (TimeSplit.Parts<Event> p : parts) {
            SeriesSnapshot state = null;
            for (Event e : p.train()) {
                state = fold(series, state, e);
            }
            for (Event e : p.validation()) {
                if (state != null && !state.ring().isEmpty()) {
                    long t = Math.max(e.timeMs(), state.lastTimeMs());
                    double[][] scale = values && !e.isPoint() ? series.modelScale(state, t) : null;
                    if (scale != null) {
                        addErrors(model, e, scale, errors);
                    }
                    ForecastPoint point = series.points(state, new long[] {t}).getFirst();
                    double expected = Arrays.stream(point.expectedCount()).sum();
                    if (Double.isFinite(expected)) {
                        cumulative += expected;
                        events++;
                    }
                }
                state = fold(series, state, e);
            }
        }
        double[] std = new double[dim];
        for (int d = 0; d < dim; d++) {
            std[d] = stdScale(errors.get(d));
        }
        double intensity = events >= MIN_VALUES && cumulative > 0 ? events / cumulative : 1.0;
        return new Calibration(std, intensity);
    }

    private static SeriesSnapshot fold(SeriesModel series, SeriesSnapshot state, Event e) {
        return series.update(state, e) instanceof SeriesModel.Updated u ? u.snapshot() : state;
    }

    private static void addErrors(LoadedModel model, Event e, double[][] scale, List<List<Double>> errors) {
        double[] x = model.spec().valuesToModel(e.values(), e.mask());
        for (int d = 0; d < x.length; d++) {
            if (e.isPresent(d)) {
                errors.get(d).add(Math.abs(x[d] - scale[0][d]) / scale[1][d]);
            }
        }
    }

    /** The geometric mean of the factors that make the 90% and the 95% intervals nominal; 1 with too few values. */
    static double stdScale(List<Double> errors) {
        if (errors.size() < MIN_VALUES) {
            return 1.0;
        }
        double[] r = errors.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        double s = Math.sqrt(quantile(r, 0.90) / Z90 * (quantile(r, 0.95) / Z95));
        return s > 0 && Double.isFinite(s) ? s : 1.0;
    }

    /** Linear interpolation between order statistics (R's type 7). */
    private static double quantile(double[] sorted, double p) {
        double h = (sorted.length - 1) * p;
        int lo = (int) Math.floor(h);
        int hi = Math.min(lo + 1, sorted.length - 1);
        return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
    }
}
