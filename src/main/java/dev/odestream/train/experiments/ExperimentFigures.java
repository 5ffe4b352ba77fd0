package dev.odestream.train.experiments;

import dev.odestream.data.Spiral;
import dev.odestream.model.Window;
import dev.odestream.plot.Figure;
import dev.odestream.plot.Panel;
import dev.odestream.plot.Style;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The figures of the reproductions, as SVG {@link Figure}s: spiral reconstructions and extrapolations after Chen et
 * al. 2018, Figure 9, and learned against true intensities after their Figure 8.
 */
public final class ExperimentFigures {

    private static final Style TRUTH = Style.of("#4a5568").withWidth(1.0).withDash("4 3");
    private static final Style OBSERVED = Style.of("#2b6cb0").withRadius(2.5);
    private static final Style RECONSTRUCTION = Style.of("#c53030").withWidth(1.5).withDash("6 3");
    private static final Style EXTRAPOLATION = Style.of("#c53030").withWidth(2.0);
    private static final Style BASELINE = Style.of("#2f855a").withWidth(1.5);
    private static final Style LEARNED = Style.of("#c53030").withWidth(2.0);
    private static final Style FORECAST = Style.of("#6b46c1").withWidth(1.5).withDash("6 3");
    private static final Style EMPIRICAL = Style.of("#b7791f").withRadius(2.0);
    private static final Style EVENTS = Style.of("#2b6cb0").withWidth(1.0);
    private static final int PATH_POINTS = 200;
    private static final int HISTOGRAM_BINS = 40;

    private ExperimentFigures() {
    }

    /**
     * Test spirals, one per panel in the plane: the clean curve over the window and the extrapolation span, the
     * noisy observations, the latent ODE's path integrated backward from {@code tau} over the window
     * (reconstruction) and forward over the extrapolation span, and the baseline's extrapolation if given.
     *
     * @param report the latent ODE run
     * @param baseline the GRU baseline's predictions for {@code report.test()}, in order, if it was run
     * @param rows panel rows; {@code rows x columns} spirals are drawn, the first of the test set
     * @param columns panel columns
     */
    public static Figure spirals(LatentSpiralExperiment.Report report, Optional<List<double[]>> baseline, int rows,
                                 int columns) {
        Figure figure = new Figure(rows, columns, 340, 320).title(String.format(Locale.ROOT,
                "Latent ODE on bidirectional spirals, n = %d observed points (test RMSE %.4f)",
                report.test().get(0).observedCount(), report.testRmse()));
        for (int i = 0; i < rows * columns && i < report.test().size(); i++) {
            Spiral s = report.test().get(i);
            Panel panel = figure.panel(i / columns, i % columns).equalAspect()
                    .title("test spiral " + s.index() + (s.clockwise() ? ", clockwise" : ", counter-clockwise"));
            int index = i;
            drawSpiral(panel, s, report, baseline.map(b -> b.get(index)), i == 0);
        }
        return figure;
    }

    /** @param legend whether to label the layers; one legend per figure keeps the other panels clear */
    private static void drawSpiral(Panel panel, Spiral s, LatentSpiralExperiment.Report report,
                                   Optional<double[]> baseline, boolean legend) {
        double start = 0.0;
        double tau = s.observedTime(s.observedCount() - 1);
        double end = s.targetTime(s.targetCount() - 1);
        double[] truth = new double[2 * PATH_POINTS];
        for (int k = 0; k < PATH_POINTS; k++) {
            s.curve().position(start + (end - start) * k / (PATH_POINTS - 1), truth, 2 * k);
        }
        panel.line(legend ? "truth" : "", coordinate(truth, 0), coordinate(truth, 1), TRUTH);
        panel.scatter(legend ? "observations" : "", coordinate(s.observedValues(), 0), coordinate(s.observedValues(), 1),
                OBSERVED);
        double scale = report.valueScale();
        Window context = LatentSpiralExperiment.window(s, scale, false);
        if (tau > start) {
            PosteriorMeanPath back = PosteriorMeanPath.of(report.model(), context, span(start, tau, PATH_POINTS / 2));
            panel.line(legend ? "latent ODE, backward from tau" : "", back.coordinate(0, scale), back.coordinate(1, scale),
                    RECONSTRUCTION);
        }
        PosteriorMeanPath ahead = PosteriorMeanPath.of(report.model(), context, span(tau, end, PATH_POINTS));
        panel.line(legend ? "latent ODE extrapolation" : "", ahead.coordinate(0, scale), ahead.coordinate(1, scale),
                EXTRAPOLATION);
        baseline.ifPresent(b -> panel.line(legend ? "GRU baseline extrapolation" : "", coordinate(b, 0), coordinate(b, 1),
                BASELINE));
    }

    /**
     * One panel per process: the true intensity, the latent ODE's posterior-mean intensity and the forecast's mean
     * intensity over its samples, the empirical rate of the pooled training events (a histogram, as points), and
     * the events of one held-out sequence as ticks.
     */
    public static Figure intensities(List<PoissonExperiment.Report> reports) {
        Figure figure = new Figure(1, reports.size(), 520, 340).title("Latent ODE with a Poisson likelihood:"
                + " learned against true intensity");
        for (int i = 0; i < reports.size(); i++) {
            PoissonExperiment.Report r = reports.get(i);
            double[] truth = new double[r.times().length];
            for (int k = 0; k < truth.length; k++) {
                truth[k] = r.process().intensity().rate(r.times()[k]);
            }
            double[] histogram = histogram(r.trainEvents(), r.trainCount(), r.process().horizon());
            figure.panel(0, i).title(String.format(Locale.ROOT, "%s: relative L2 %.1f%%", r.process().name(),
                            100 * r.relativeL2())).xLabel("t").yLabel("lambda(t)")
                    .scatter("training events, binned rate", span(binWidth(r) / 2, r.process().horizon()
                            - binWidth(r) / 2, HISTOGRAM_BINS), histogram, EMPIRICAL)
                    .line("true lambda", r.times(), truth, TRUTH.withWidth(2.0))
                    .line("learned lambda (posterior mean)", r.times(), r.learned(), LEARNED)
                    .line("forecast mean lambda", r.times(), r.forecast(), FORECAST)
                    .events("events of one held-out sequence", r.heldOut().get(0), EVENTS);
        }
        return figure;
    }

    private static double binWidth(PoissonExperiment.Report r) {
        return r.process().horizon() / HISTOGRAM_BINS;
    }

    /** Events per unit time per sequence in equal bins over {@code [0, T]}. */
    private static double[] histogram(double[] events, int sequences, double horizon) {
        double[] rate = new double[HISTOGRAM_BINS];
        double width = horizon / HISTOGRAM_BINS;
        for (double t : events) {
            rate[Math.min(HISTOGRAM_BINS - 1, (int) (t / width))] += 1.0 / (sequences * width);
        }
        return rate;
    }

    /** @return {@code count >= 2} equally spaced times from {@code from} to {@code to}. */
    static double[] span(double from, double to, int count) {
        double[] t = new double[count];
        for (int i = 0; i < count; i++) {
            t[i] = from + (to - from) * i / (count - 1);
        }
        return t;
    }

    /** @return coordinate {@code d} of 2-d points stored row-major. */
    private static double[] coordinate(double[] rowMajor, int d) {
        double[] out = new double[rowMajor.length / 2];
        for (int i = 0; i < out.length; i++) {
            out[i] = rowMajor[2 * i + d];
        }
        return out;
    }
}
