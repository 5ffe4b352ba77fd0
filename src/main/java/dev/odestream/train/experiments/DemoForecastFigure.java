package dev.odestream.train.experiments;

import dev.odestream.data.IrregularSeries;
import dev.odestream.data.IrregularSeriesConfig;
import dev.odestream.data.SeriesEvent;
import dev.odestream.data.SeriesSpec;
import dev.odestream.model.Forecast;
import dev.odestream.model.LatentOdeModel;
import dev.odestream.model.SeriesState;
import dev.odestream.plot.Figure;
import dev.odestream.plot.Panel;
import dev.odestream.plot.Style;

import java.util.List;
import java.util.Locale;

/**
 * One demo series as the engine sees it: the model observes its events up to {@code tau}, then forecasts the next
 * {@code span} time units. The top panel shows two of its value dimensions (observations before {@code tau}, the
 * forecast mean with a band of two standard deviations, and the observations that came after, which the model did
 * not see); the bottom panel shows the forecast intensity {@code lambda(t)} against the series' true event rate,
 * with every event marked.
 */
public final class DemoForecastFigure {

    private static final Style SEEN = Style.of("#2b6cb0").withRadius(2.5);
    private static final Style UNSEEN = Style.of("#4a5568").withRadius(2.5).withOpacity(0.6);
    private static final Style MEAN = Style.of("#c53030").withWidth(2.0);
    private static final Style BAND = Style.of("#c53030").withOpacity(0.18);
    private static final Style SECOND = Style.of("#2f855a").withRadius(2.5);
    private static final Style SECOND_MEAN = Style.of("#2f855a").withWidth(2.0);
    private static final Style SECOND_BAND = Style.of("#2f855a").withOpacity(0.18);
    private static final Style RATE = Style.of("#6b46c1").withWidth(2.0);
    private static final Style TRUE_RATE = Style.of("#4a5568").withWidth(1.0).withDash("4 3");
    private static final Style EVENTS = Style.of("#2b6cb0").withWidth(1.0);
    private static final int POINTS = 121;

    private DemoForecastFigure() {
    }

    /**
     * @param model the model to show. Its workspaces are used.
     * @param workload the demo workload
     * @param seed the workload's seed
     * @param index the series shown
     * @param seen events the model observes; the forecast starts at the last of them
     * @param shown events before {@code tau} drawn (the latest ones)
     * @param span forecast horizon
     */
    public static Figure of(LatentOdeModel model, IrregularSeriesConfig workload, long seed, int index, int seen,
                            int shown, double span) {
        List<SeriesEvent> events = IrregularSeries.events(workload, seed, index);
        if (events.size() <= seen) {
            throw new IllegalArgumentException("series " + index + " has only " + events.size() + " events");
        }
        SeriesState state = model.newState();
        for (SeriesEvent e : events.subList(0, seen)) {
            model.observe(state, e.time(), e.values(), e.observed(), 0);
        }
        double tau = state.lastTime();
        double[] times = grid(tau, span);
        Forecast f = model.newForecast(times.length);
        model.forecast(state, times, f);
        List<SeriesEvent> before = events.subList(Math.max(0, seen - shown), seen);
        List<SeriesEvent> after = events.stream().filter(e -> e.time() > tau && e.time() <= tau + span).toList();
        Figure figure = new Figure(2, 1, 720, 260).title(String.format(Locale.ROOT,
                "%s: %d events observed, forecast from tau = %.1f s", IrregularSeries.key(index), seen, tau));
        values(figure.panel(0, 0), before, after, times, f, tau, span);
        intensity(figure.panel(1, 0), before, after, times, f, IrregularSeries.spec(workload, seed, index));
        return figure;
    }

    private static void values(Panel p, List<SeriesEvent> before, List<SeriesEvent> after, double[] times,
                               Forecast f, double tau, double span) {
        p.title("values: observed, forecast mean +- 2 sd, and what came after").xLabel("time (s)").yLabel("value");
        dimension(p, 0, before, after, times, f, SEEN, MEAN, BAND);
        dimension(p, 1, before, after, times, f, SECOND, SECOND_MEAN, SECOND_BAND);
        p.xRange(before.getFirst().time(), tau + span);
    }

    private static void dimension(Panel p, int d, List<SeriesEvent> before, List<SeriesEvent> after,
                                  double[] times, Forecast f, Style seen, Style mean, Style band) {
        double[] m = new double[times.length];
        double[] spread = new double[times.length];
        for (int i = 0; i < times.length; i++) {
            m[i] = f.mean(i, d);
            spread[i] = 2 * f.std(i, d);
        }
        p.bandAround("x" + d + " +- 2 sd", times, m, spread, band);
        p.line("x" + d + " forecast mean", times, m, mean);
        p.scatter("x" + d + " observed", times(before), column(before, d), seen);
        p.scatter(d == 0 ? "after tau (not seen)" : "", times(after), column(after, d), UNSEEN);
    }

    private static void intensity(Panel p, List<SeriesEvent> before, List<SeriesEvent> after, double[] times,
                                  Forecast f, SeriesSpec spec) {
        p.title("event intensity: forecast lambda(t), true rate, events").xLabel("time (s)")
                .yLabel("events per s");
        double[] rate = new double[times.length];
        double[] truth = new double[times.length];
        for (int i = 0; i < times.length; i++) {
            rate[i] = f.intensity(i, 0);
            truth[i] = 1 / spec.meanInterArrival();
        }
        p.line("forecast lambda(t)", times, rate, RATE);
        p.line("true rate", times, truth, TRUE_RATE);
        p.events("events observed", times(before), EVENTS);
        p.events("events after tau", times(after), UNSEEN.withWidth(1.0));
        p.xRange(before.getFirst().time(), times[times.length - 1]);
        p.yRange(0, 1.3 * Math.max(max(rate), truth[0]));
    }

    private static double[] grid(double tau, double span) {
        double[] t = new double[POINTS];
        for (int i = 0; i < POINTS; i++) {
            t[i] = tau + span * i / (POINTS - 1);
        }
        return t;
    }

    private static double[] times(List<SeriesEvent> events) {
        return events.stream().mapToDouble(SeriesEvent::time).toArray();
    }

    private static double[] column(List<SeriesEvent> events, int d) {
        return events.stream().mapToDouble(e -> e.isObserved(d) ? e.value(d) : Double.NaN).toArray();
    }

    private static double max(double[] v) {
        double m = Double.NEGATIVE_INFINITY;
        for (double x : v) {
            m = Math.max(m, x);
        }
        return m;
    }
}
