package dev.odestream.dataset;

import dev.odestream.model.DataSpec;
import dev.odestream.model.LatentOdeModel;
import dev.odestream.model.LevelRule;
import dev.odestream.model.ModelConfig;
import dev.odestream.model.ValueTransform;
import dev.odestream.model.Window;
import dev.odestream.model.checkpoint.DataRange;
import dev.odestream.model.checkpoint.LoadedModel;
import dev.odestream.nn.Activation;
import dev.odestream.nn.AdamSettings;
import dev.odestream.stream.Event;
import dev.odestream.train.LatentOdeTrainable;
import dev.odestream.train.Schedule;
import dev.odestream.train.Trainer;
import dev.odestream.train.TrainerConfig;
import dev.odestream.train.TrainingResult;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.stream.IntStream;

/**
 * Fits the latent ODE to a user's data set, the way a forecasting library's {@code fit} does: the data's shape and
 * units come from the data, and only the training part of each series is looked at to choose them.
 *
 * <ol>
 *   <li>Each series is split by time ({@link TimeSplit}): its head trains, the next slice validates (early stopping),
 *       the tail is left alone for {@code evaluate}. Nothing is shuffled across time.</li>
 *   <li>The {@link DataSpec} is fitted on the training parts: a round time unit near the median gap between events,
 *       and per value dimension a robust location and scale, with a log first for positive, right-skewed values
 *       ({@link ValueTransform#prefersLog}), unless told otherwise.</li>
 *   <li>Training windows are cut from each training part ({@link EventWindows}); a validation window takes a series'
 *       training part as context and its validation events as targets, so validation asks what serving asks: forecast
 *       the next events from the ones before.</li>
 *   <li>The model trains with the batched ELBO and Adam, and keeps the parameters of its best validation pass.</li>
 *   <li>With a {@link LevelRule}, every window's targets are departures from the series' level at its last context
 *       event ({@link EventWindows}), and the level rule travels in the spec for the engine to add back.</li>
 *   <li>Optionally a {@link dev.odestream.model.Calibration} of spreads and intensity is fitted on the validation
 *       slices ({@link CalibrationFit}) and travels in the spec too.</li>
 * </ol>
 */
public final class DataTraining {

    private static final int SHARDS = 2;
    private static final double CLIP_NORM = 10.0;

    private DataTraining() {
    }

    /** The default level rule: an EWMA of weight 0.5 over each series' last 16 events. */
    public static final LevelRule DEFAULT_LEVEL = new LevelRule(0.5, 16);

    /** Whether values are logged before scaling. */
    public enum LogChoice {
        /** Per dimension, when its training values are positive and right-skewed. */
        AUTO,
        /** Never. */
        NONE
    }

    /**
     * What to fit and how.
     *
     * @param split how each series is cut into train, validation and test
     * @param log the log choice for values
     * @param latentDim the latent state's size
     * @param hidden the hidden width of the encoder, its ODE, the dynamics and the decoder
     * @param observationStd the observation noise of the likelihood on the model's (standardised) scale
     * @param windowEvents the most events in one training window
     * @param iterations the most optimizer steps
     * @param batchSize windows per step
     * @param learningRate Adam's initial rate, decayed to a tenth
     * @param evaluateEvery steps between validation passes and progress lines
     * @param patience validation passes without improvement before stopping
     * @param threads worker threads; the result does not depend on them
     * @param seed seeds the weights, the noise and the minibatch order
     * @param level the per-series level the value forecast is a residual on ({@link LevelRule#NONE}: none)
     * @param calibrate whether to fit a {@link dev.odestream.model.Calibration} on the validation slices after
     *     training ({@link CalibrationFit})
     * @param learnNoise whether the observation noise is learned per value dimension, starting at
     *     {@code observationStd} ({@link ModelConfig#learnedNoise()})
     */
    public record Settings(TimeSplit split, LogChoice log, int latentDim, int hidden, double observationStd,
                           int windowEvents, int iterations, int batchSize, double learningRate, int evaluateEvery,
                           int patience, int threads, long seed, LevelRule level, boolean calibrate,
                           boolean learnNoise) {

        /** Checks the ranges. */
        public Settings {
            Objects.requireNonNull(split, "split");
            Objects.requireNonNull(log, "log");
            Objects.requireNonNull(level, "level");
            if (latentDim < 1 || hidden < 1 || windowEvents < 2 || iterations < 1 || batchSize < 1
                    || evaluateEvery < 1 || patience < 1 || threads < 1 || !(observationStd > 0)
                    || !(learningRate > 0)) {
                throw new IllegalArgumentException("settings out of range: " + this);
            }
        }

        /**
         * Sizes for a data set of a few thousand events: a latent state of 4, hidden layers of 24, windows of up to 16
         * events, 600 steps of 32 windows at 0.01, validation every 25 steps with patience 8, observation noise
         * learned per value from 0.5 (half a robust standard deviation of the values), values forecast as departures
         * from the series' level ({@link #DEFAULT_LEVEL}), and a calibration fitted on the validation slices. The
         * level rule, the learned noise and the calibration were chosen on the validation slices of the shipped
         * real data (README, Real data).
         */
        public static Settings defaults() {
            return new Settings(TimeSplit.DEFAULT, LogChoice.AUTO, 4, 24, 0.5, 16, 600, 32, 0.01, 25, 8,
                    Runtime.getRuntime().availableProcessors(), 1, DEFAULT_LEVEL, true, true);
        }
    }

    /**
     * What fitting produced.
     *
     * @param model the trained version (version 1), with its data spec
     * @param training the trainer's account: iterations, best validation, progress lines
     * @param trainWindows windows trained on
     * @param validationWindows windows validated on
     * @param took wall time of the whole fit
     */
    public record Result(LoadedModel model, TrainingResult training, int trainWindows, int validationWindows,
                         Duration took) {
    }

    /**
     * Fits a model.
     *
     * @param data the data set; only the train and validation parts of its series are read
     * @param s the settings
     * @param log receives progress lines
     */
    public static Result fit(Dataset data, Settings s, Consumer<String> log) {
        long start = System.nanoTime();
        Map<String, TimeSplit.Parts<Event>> parts = s.split().splitAll(data.allSeries(), Event::timeMs);
        if (parts.isEmpty()) {
            throw new IllegalArgumentException("no series has " + s.split().minEvents() + " events or more");
        }
        DataSpec spec = spec(data, parts.values(), s.log()).withLevel(s.level());
        List<Window> train = new ArrayList<>();
        List<Window> validation = new ArrayList<>();
        for (TimeSplit.Parts<Event> p : parts.values()) {
            train.addAll(trainingWindows(p.train(), s.windowEvents(), spec));
            validationWindow(p, s.windowEvents(), spec).ifPresent(validation::add);
        }
        if (train.isEmpty() || validation.isEmpty()) {
            throw new IllegalArgumentException("too few events to train: " + train.size() + " training and "
                    + validation.size() + " validation windows");
        }
        LatentOdeModel model = new LatentOdeModel(config(spec, s), s.seed());
        LatentOdeTrainable trainable = new LatentOdeTrainable(model, LatentOdeTrainable.Validation
                .NEGATIVE_LOG_LIKELIHOOD, s.seed(), 1.0, LatentOdeTrainable.Options.defaults());
        TrainingResult result;
        try (Trainer<Window> trainer = new Trainer<>(trainable, trainerConfig(s), log)) {
            result = trainer.train(train, validation, range(parts.values()));
        }
        LoadedModel fitted = LoadedModel.of(1, model).withSpec(spec);
        if (s.calibrate()) {
            fitted = fitted.withSpec(spec.withCalibration(CalibrationFit.fit(fitted, parts.values(),
                    data.dimension() > 0)));
        }
        return new Result(fitted, result, train.size(), validation.size(),
                Duration.ofNanos(System.nanoTime() - start));
    }

    /** The spec of the training parts: time unit from their gaps, transforms from their values. */
    static DataSpec spec(Dataset data, Collection<TimeSplit.Parts<Event>> parts, LogChoice log) {
        List<Long> gaps = new ArrayList<>();
        for (TimeSplit.Parts<Event> p : parts) {
            for (int i = 1; i < p.train().size(); i++) {
                gaps.add(p.train().get(i).timeMs() - p.train().get(i - 1).timeMs());
            }
        }
        double unit = DataSpec.chooseTimeUnitMs(gaps.stream().mapToLong(Long::longValue).toArray());
        List<String> names = data.dimension() == 0 ? List.of("none") : data.valueNames();
        List<ValueTransform> transforms = new ArrayList<>();
        for (int d = 0; d < names.size(); d++) {
            double[] values = trainingValues(parts, d);
            boolean logged = log == LogChoice.AUTO && ValueTransform.prefersLog(values);
            transforms.add(values.length == 0 ? ValueTransform.IDENTITY : ValueTransform.fit(values, logged));
        }
        int types = 1 + parts.stream().flatMap(p -> p.beforeTest().stream()).mapToInt(Event::type).max().orElse(0);
        List<String> typeNames = IntStream.range(0, types).mapToObj(k -> "type" + k).toList();
        return new DataSpec(names, typeNames, unit, transforms);
    }

    private static double[] trainingValues(Collection<TimeSplit.Parts<Event>> parts, int d) {
        return parts.stream().flatMap(p -> p.train().stream()).filter(e -> !e.isPoint() && e.isPresent(d))
                .mapToDouble(e -> e.values()[d]).toArray();
    }

    /**
     * Windows of at most {@code maxEvents} events ending every {@code stride} events back from the part's last one,
     * down to windows of two events, so a short series gives its prefixes too; in each, the last third (at least one
     * event) is the target.
     */
    static List<Window> trainingWindows(List<Event> events, int maxEvents, DataSpec spec) {
        List<Window> windows = new ArrayList<>();
        int stride = Math.max(1, Math.min(events.size(), maxEvents) / 2);
        for (int end = events.size(); end >= 2; end -= stride) {
            int length = Math.min(end, maxEvents);
            int context = length - Math.max(1, length / 3);
            windows.add(EventWindows.window(events, end - length, end, context, spec));
        }
        return windows;
    }

    /** The training part's newest events as context, the validation events as targets. */
    static Optional<Window> validationWindow(TimeSplit.Parts<Event> p, int maxEvents, DataSpec spec) {
        if (p.validation().isEmpty() || p.train().isEmpty()) {
            return Optional.empty();
        }
        int context = Math.min(p.train().size(), Math.max(1, maxEvents - p.validation().size()));
        List<Event> events = new ArrayList<>(p.train());
        events.addAll(p.validation());
        return Optional.of(EventWindows.window(events, p.train().size() - context, events.size(), context, spec));
    }

    private static ModelConfig config(DataSpec spec, Settings s) {
        ModelConfig reference = ModelConfig.reference();
        return new ModelConfig(spec.observationDim(), spec.eventTypes().size(), s.latentDim(), s.hidden(), s.hidden(),
                s.hidden(), s.hidden(), Activation.TANH, s.observationStd(), reference.forecastSamples(),
                reference.rtol(), reference.atol(), reference.forecastRtol(), reference.forecastAtol())
                .withLearnedNoise(s.learnNoise());
    }

    private static TrainerConfig trainerConfig(Settings s) {
        return TrainerConfig.builder().iterations(s.iterations()).batchSize(s.batchSize()).threads(s.threads())
                .shards(SHARDS).seed(s.seed()).adam(AdamSettings.of(s.learningRate()))
                .learningRate(Schedule.exponentialDecay(s.learningRate(), 0.995, s.learningRate() / 10))
                .beta(Schedule.linearRamp(0.0, 1.0, 0, Math.max(1, s.iterations() / 5)))
                .evaluateEvery(s.evaluateEvery()).patience(s.patience()).logEvery(s.evaluateEvery())
                .clipNorm(CLIP_NORM).build();
    }

    private static DataRange range(Collection<TimeSplit.Parts<Event>> parts) {
        long first = parts.stream().mapToLong(p -> p.train().getFirst().timeMs()).min().orElse(0);
        long last = parts.stream().mapToLong(p -> p.train().getLast().timeMs()).max().orElse(0);
        long events = parts.stream().mapToLong(p -> p.train().size()).sum();
        return new DataRange(Instant.ofEpochMilli(first), Instant.ofEpochMilli(last), events);
    }
}
