package dev.odestream.train.experiments;

import dev.odestream.data.IrregularSeries;
import dev.odestream.data.IrregularSeriesConfig;
import dev.odestream.data.SeriesEvent;
import dev.odestream.model.Forecast;
import dev.odestream.model.LatentOdeModel;
import dev.odestream.model.ModelConfig;
import dev.odestream.model.SeriesState;
import dev.odestream.model.Window;
import dev.odestream.model.checkpoint.DataRange;
import dev.odestream.nn.AdamSettings;
import dev.odestream.train.CheckpointTarget;
import dev.odestream.train.LatentOdeTrainable;
import dev.odestream.train.Schedule;
import dev.odestream.train.Trainer;
import dev.odestream.train.TrainerConfig;
import dev.odestream.train.TrainingResult;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The engine's default model: the reference architecture ({@link ModelConfig#reference()}) trained on the demo
 * workload ({@link IrregularSeriesConfig#demo(int, int)}, replayed by the engine's demo producer), so that the demo
 * forecasts with a model that has seen the process it is shown.
 *
 * <p><b>Windows.</b> Each generated series (about 200 events on {@code [0, 200]}, one time unit being one second in
 * the engine) is cut into {@code windowsPerSeries} windows, evenly spaced along it. A window's context is
 * {@code contextEvents} consecutive events, as the engine's recent-events ring holds them when it re-encodes a series;
 * its targets are the observations and the events of the next {@code targetSpan} time units, the span the engine's
 * horizons cover. Training, validation and test series are disjoint indices of one seeded workload.
 *
 * <p><b>Score.</b> The RMSE of the forecast mean at the target times, through the streaming path the engine takes
 * ({@code observe} each context event, then one {@code forecast}), for the trained model, the untrained initial model
 * of the same seed, and the persistence forecast (the last observed value).
 */
public final class DemoExperiment {

    /** Shards per minibatch: fixed, so that a seed gives the same run on up to this many threads. */
    public static final int SHARDS = 8;

    /**
     * Gradient norm clip. Before training, a sparse series' long gaps can carry the encoder's state far enough that
     * the posterior's {@code log sigma^2} reaches tens and the KL term 1e40 and more; unclipped, such a gradient would
     * fill Adam's second moments and stall the first hundreds of steps.
     */
    static final double CLIP_NORM = 10.0;

    private DemoExperiment() {
    }

    /**
     * @param model the architecture, the engine's
     * @param trainSeries series cut into training windows
     * @param validationSeries series for early stopping
     * @param testSeries held-out series scored
     * @param windowsPerSeries windows cut from each series
     * @param contextEvents events in each window's context
     * @param targetSpan time after {@code tau} whose observations and events are the targets
     * @param iterations the most training iterations
     * @param seed seeds the workload, the initial weights, the noise and the shuffling
     * @param threads worker threads; results do not depend on them (see {@link #SHARDS})
     * @param batchSize windows per minibatch
     * @param learningRate Adam's initial step size; it decays by {@code 0.999} per iteration to a tenth of itself
     * @param klWarmup iterations over which the KL weight ramps from 0 to 1
     * @param evaluateEvery iterations between validation passes
     * @param patience validation passes without improvement before stopping
     * @param checkpoint where to write the trained model, if anywhere
     */
    public record Settings(ModelConfig model, int trainSeries, int validationSeries, int testSeries,
                           int windowsPerSeries, int contextEvents, double targetSpan, int iterations, long seed,
                           int threads, int batchSize, double learningRate, int klWarmup, int evaluateEvery,
                           int patience, Optional<Path> checkpoint) {

        public Settings {
            Objects.requireNonNull(model, "model");
            Objects.requireNonNull(checkpoint, "checkpoint");
            if (trainSeries < 1 || validationSeries < 1 || testSeries < 1 || windowsPerSeries < 1
                    || contextEvents < 1 || !(targetSpan > 0)) {
                throw new IllegalArgumentException("need series of each kind, windows, a context and a target span");
            }
        }

        /**
         * The defaults: the reference architecture; 200 training, 20 validation and 40 test series, 4 windows per
         * series of 24 context events and 15 time units of targets; batches of 32, Adam at 0.005, KL warm-up over
         * 100 iterations, validation every 25 iterations with patience 8.
         */
        public static Settings defaults(int iterations, long seed, int threads) {
            return new Settings(ModelConfig.reference(), 200, 20, 40, 4, 24, 15.0, iterations, seed, threads, 32,
                    0.005, 100, 25, 8, Optional.empty());
        }

        /** @return these settings with other data sizes. */
        public Settings withData(int train, int validation, int test, int windows, int context) {
            return new Settings(model, train, validation, test, windows, context, targetSpan, iterations, seed,
                    threads, batchSize, learningRate, klWarmup, evaluateEvery, patience, checkpoint);
        }

        /** @return these settings with other optimisation settings. */
        public Settings withTraining(int batch, double lr, int warmup, int every, int patienceCount) {
            return new Settings(model, trainSeries, validationSeries, testSeries, windowsPerSeries, contextEvents,
                    targetSpan, iterations, seed, threads, batch, lr, warmup, every, patienceCount, checkpoint);
        }

        /** @return these settings writing the trained model to {@code path}. */
        public Settings withCheckpoint(Path path) {
            return new Settings(model, trainSeries, validationSeries, testSeries, windowsPerSeries, contextEvents,
                    targetSpan, iterations, seed, threads, batchSize, learningRate, klWarmup, evaluateEvery, patience,
                    Optional.of(path));
        }

        /** @return the workload the series are drawn from. */
        public IrregularSeriesConfig workload() {
            return IrregularSeriesConfig.demo(trainSeries + validationSeries + testSeries, model.observationDim());
        }
    }

    /**
     * @param trainedRmse forecast-mean RMSE of the trained model on the test windows
     * @param untrainedRmse the same for the untrained initial model of the same seed
     * @param persistenceRmse the same for the last observed value
     * @param testWindows the number of test windows
     * @param model the trained model
     * @param training the training run
     */
    public record Report(double trainedRmse, double untrainedRmse, double persistenceRmse, int testWindows,
                         LatentOdeModel model, TrainingResult training) {

        /** @return a one-line summary. */
        public String format() {
            return String.format(Locale.ROOT, "demo: test forecast RMSE %.4f (untrained %.4f, last value %.4f) on"
                    + " %d windows; %d iterations in %.1f s, kept iteration %d%s", trainedRmse, untrainedRmse,
                    persistenceRmse, testWindows, training.iterations(), training.seconds(),
                    training.bestIteration(), training.stoppedEarly() ? ", stopped early" : "");
        }
    }

    /** Runs the experiment, logging progress lines to {@code log}. */
    public static Report run(Settings s, Consumer<String> log) {
        int validationFrom = s.trainSeries();
        int testFrom = validationFrom + s.validationSeries();
        List<Window> train = windows(s, 0, validationFrom);
        List<Window> validation = windows(s, validationFrom, testFrom);
        List<Window> test = windows(s, testFrom, testFrom + s.testSeries());
        LatentOdeModel model = new LatentOdeModel(s.model(), s.seed());
        LatentOdeModel untrained = model.copy();
        LatentOdeTrainable trainable = new LatentOdeTrainable(model, LatentOdeTrainable.Validation.RMSE, s.seed(),
                1.0, LatentOdeTrainable.Options.perWindow());
        TrainingResult result;
        try (Trainer<Window> trainer = new Trainer<>(trainable, trainerConfig(s), log)) {
            result = trainer.train(train, validation, dataRange(s, train));
        }
        return new Report(forecastRmse(model, test), forecastRmse(untrained, test), persistenceRmse(test),
                test.size(), model, result);
    }

    /** @return the windows of series {@code [from, to)} of the settings' workload. */
    public static List<Window> windows(Settings s, int from, int to) {
        List<Window> out = new ArrayList<>();
        for (int index = from; index < to; index++) {
            List<SeriesEvent> events = IrregularSeries.events(s.workload(), s.seed(), index);
            out.addAll(windows(events, s.windowsPerSeries(), s.contextEvents(), s.targetSpan()));
        }
        return out;
    }

    /** Cuts {@code count} evenly spaced windows from one series; fewer if the series is short. */
    static List<Window> windows(List<SeriesEvent> events, int count, int context, double span) {
        List<Window> out = new ArrayList<>(count);
        int last = events.size() - 2;
        int first = context - 1;
        if (last < first) {
            return out;
        }
        for (int w = 0; w < count; w++) {
            int tau = first + (int) ((long) (last - first) * w / Math.max(1, count - 1));
            out.add(window(events, tau - context + 1, tau, span));
            if (last == first) {
                break;
            }
        }
        return out;
    }

    private static Window window(List<SeriesEvent> events, int from, int tau, double span) {
        Window.Builder b = Window.builder();
        for (int i = from; i <= tau; i++) {
            SeriesEvent e = events.get(i);
            b.context(e.time(), e.values(), e.observed(), 0);
        }
        double end = events.get(tau).time() + span;
        for (int i = tau + 1; i < events.size() && events.get(i).time() <= end; i++) {
            SeriesEvent e = events.get(i);
            b.target(e.time(), e.values(), e.observed());
            b.event(e.time(), 0);
        }
        return b.end(end).build();
    }

    /** RMSE of the forecast mean over every scored target value, by the engine's path: observe, then forecast. */
    public static double forecastRmse(LatentOdeModel model, List<Window> windows) {
        double squares = 0.0;
        long count = 0;
        for (Window w : windows) {
            if (w.targetCount() == 0) {
                continue;
            }
            SeriesState state = observe(model, w);
            Forecast f = model.newForecast(w.targetCount());
            model.forecast(state, w.targetTimes(), f);
            for (int i = 0; i < w.targetCount(); i++) {
                for (int d = 0; d < f.observationDim(); d++) {
                    if (scored(w, i, d)) {
                        double e = f.mean(i, d) - w.targetValues()[i][d];
                        squares += e * e;
                        count++;
                    }
                }
            }
        }
        return Math.sqrt(squares / count);
    }

    /** @return a series state that has seen the window's context. */
    public static SeriesState observe(LatentOdeModel model, Window w) {
        SeriesState state = model.newState();
        for (int i = 0; i < w.contextCount(); i++) {
            model.observe(state, w.contextTimes()[i], w.contextValues()[i], w.contextMasks()[i],
                    w.contextTypes()[i]);
        }
        return state;
    }

    /** RMSE of the last observed value of each dimension as the forecast. */
    public static double persistenceRmse(List<Window> windows) {
        double squares = 0.0;
        long count = 0;
        for (Window w : windows) {
            for (int i = 0; i < w.targetCount(); i++) {
                for (int d = 0; d < w.targetValues()[i].length; d++) {
                    if (scored(w, i, d)) {
                        double e = lastObserved(w, d) - w.targetValues()[i][d];
                        squares += e * e;
                        count++;
                    }
                }
            }
        }
        return Math.sqrt(squares / count);
    }

    private static double lastObserved(Window w, int d) {
        for (int i = w.contextCount() - 1; i >= 0; i--) {
            boolean[] mask = w.contextMasks()[i];
            if (mask == null || mask[d]) {
                return w.contextValues()[i][d];
            }
        }
        return 0.0;
    }

    private static boolean scored(Window w, int i, int d) {
        boolean[] mask = w.targetMasks()[i];
        return mask == null || mask[d];
    }

    private static TrainerConfig trainerConfig(Settings s) {
        TrainerConfig.Builder builder = TrainerConfig.builder().iterations(s.iterations()).batchSize(s.batchSize())
                .threads(s.threads()).shards(SHARDS).seed(s.seed()).adam(AdamSettings.of(s.learningRate()))
                .learningRate(Schedule.exponentialDecay(s.learningRate(), 0.999, s.learningRate() / 10))
                .beta(Schedule.linearRamp(0.0, 1.0, 0, Math.max(1, s.klWarmup())))
                .evaluateEvery(s.evaluateEvery()).patience(s.patience()).logEvery(s.evaluateEvery())
                .clipNorm(CLIP_NORM);
        s.checkpoint().ifPresent(path -> builder.checkpoint(CheckpointTarget.fromScratch(path, 1)));
        return builder.build();
    }

    /** One workload time unit is one second after the epoch, as the demo producer maps it. */
    private static DataRange dataRange(Settings s, List<Window> train) {
        long events = 0;
        for (Window w : train) {
            events += w.contextCount() + w.targetCount();
        }
        return new DataRange(Instant.EPOCH, Instant.EPOCH.plus(Duration.ofSeconds(Math.round(s.workload().horizon()))),
                events);
    }
}
