package dev.odestream.train.experiments;

import dev.odestream.data.Spiral;
import dev.odestream.data.SpiralConfig;
import dev.odestream.data.SpiralDataset;
import dev.odestream.data.Spirals;
import dev.odestream.model.checkpoint.DataRange;
import dev.odestream.nn.AdamSettings;
import dev.odestream.train.CheckpointTarget;
import dev.odestream.train.Trainer;
import dev.odestream.train.TrainerConfig;
import dev.odestream.train.TrainingResult;
import dev.odestream.train.baseline.GruRnnBaseline;
import dev.odestream.train.baseline.GruRnnBaselineConfig;
import dev.odestream.train.baseline.RnnObjective;
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
 * The spirals experiment of Chen et al. 2018, Table 2, for the {@link GruRnnBaseline}: generate
 * {@code Spirals.generate(config, seed)}, fit on the first 70% of the spirals with early stopping on the next 10%,
 * and report the RMSE of the 100-point extrapolation on the last 20%, with
 * {@link SpiralDataset#rmse} against the noisy targets (what the paper reports) and against the clean curve.
 *
 * <p>Next to it the report gives the RMSE of holding the last observation constant, a floor any model must beat.
 *
 * <pre>
 *   java ... dev.odestream.train.SpiralExperiment [n [iterations [seed [threads]]]] [key=value ...]
 *   keys: count, hidden, batch, lr, objective (next_step | extrapolation), checkpoint (a file path)
 * </pre>
 */
public final class SpiralExperiment {

    /** Shards per minibatch: fixed, so that a seed gives the same run on up to this many threads. */
    public static final int SHARDS = 8;

    private SpiralExperiment() {
    }

    /**
     * @param data the data set; {@code SpiralConfig.paper(n)} for the paper's protocol
     * @param iterations the most training iterations
     * @param seed seeds the data, the initial weights and the shuffling
     * @param threads worker threads; the batch is always cut into {@link #SHARDS} shards, so the results do not
     *                depend on the thread count
     * @param hiddenSize GRU units (25 as the paper's recognition RNN)
     * @param batchSize spirals per minibatch
     * @param learningRate Adam's step size
     * @param objective the baseline's training loss
     * @param checkpoint where to write the trained model, if anywhere
     */
    public record Settings(SpiralConfig data, int iterations, long seed, int threads, int hiddenSize, int batchSize,
                           double learningRate, RnnObjective objective, Optional<Path> checkpoint) {

        public Settings {
            Objects.requireNonNull(data, "data");
            Objects.requireNonNull(objective, "objective");
            Objects.requireNonNull(checkpoint, "checkpoint");
        }

        /**
         * @return the paper's protocol with {@code n} observed points and this project's default training: 25 GRU
         *         units, batches of 50, Adam at 0.01, the {@link RnnObjective#EXTRAPOLATION} objective
         */
        public static Settings paper(int n, int iterations, long seed, int threads) {
            return new Settings(SpiralConfig.paper(n), iterations, seed, threads, 25, 50, 0.01,
                    RnnObjective.EXTRAPOLATION, Optional.empty());
        }
    }

    /**
     * @param testRmse extrapolation RMSE on the test spirals against their noisy targets (Table 2's measure)
     * @param testRmseClean the same against the clean curve
     * @param persistenceRmse the noisy-target RMSE of predicting the last observation at every target time
     * @param fitCount spirals trained on
     * @param validationCount spirals used for early stopping
     * @param testCount spirals scored
     * @param predictions per test spiral in order, the extrapolation at its target times, row-major
     * @param training the training run
     */
    public record Report(double testRmse, double testRmseClean, double persistenceRmse, int fitCount,
                         int validationCount, int testCount, List<double[]> predictions, TrainingResult training) {

        public Report {
            predictions = List.copyOf(predictions);
        }

        /** @return a one-line summary. */
        public String format() {
            return String.format(Locale.ROOT, "test rmse %.4f (clean %.4f, last-value %.4f) on %d spirals; fit %d,"
                    + " validation %d; %d iterations in %.1f s, kept iteration %d", testRmse, testRmseClean,
                    persistenceRmse, testCount, fitCount, validationCount, training.iterations(),
                    training.seconds(), training.bestIteration());
        }
    }

    /** Runs the experiment, logging progress lines to {@code log}. */
    public static Report run(Settings settings, Consumer<String> log) {
        SpiralConfig config = settings.data();
        SpiralDataset data = Spirals.generate(config, settings.seed());
        SpiralDataset.Split split = data.split(config.count() * 8 / 10);
        int validationCount = Math.max(1, config.count() / 10);
        List<Spiral> fit = split.train().subList(0, split.train().size() - validationCount);
        List<Spiral> validation = split.train().subList(fit.size(), split.train().size());
        GruRnnBaseline model = new GruRnnBaseline(modelConfig(settings, fit), settings.seed());
        TrainingResult result;
        try (Trainer<Spiral> trainer = new Trainer<>(model, trainerConfig(settings), log)) {
            result = trainer.train(fit, validation, dataRange(config, fit));
        }
        List<Spiral> test = split.test();
        List<double[]> predictions = model.extrapolate(test);
        return new Report(SpiralDataset.rmse(test, predictions, false), SpiralDataset.rmse(test, predictions, true),
                SpiralDataset.rmse(test, lastValue(test), false), fit.size(), validation.size(), test.size(),
                predictions, result);
    }

    private static GruRnnBaselineConfig modelConfig(Settings settings, List<Spiral> fit) {
        SpiralConfig config = settings.data();
        double deltaScale = config.observedPoints() / config.windowEnd();
        int maxSteps = config.observedPoints() - 1 + config.extrapolationSteps();
        return new GruRnnBaselineConfig(settings.hiddenSize(), deltaScale, rootMeanSquare(fit), settings.objective(),
                settings.batchSize(), maxSteps);
    }

    private static TrainerConfig trainerConfig(Settings settings) {
        int every = Math.max(1, Math.min(50, settings.iterations() / 10));
        TrainerConfig.Builder builder = TrainerConfig.builder().iterations(settings.iterations())
                .batchSize(settings.batchSize()).threads(settings.threads()).shards(SHARDS).seed(settings.seed())
                .adam(AdamSettings.of(settings.learningRate())).clipNorm(10.0).evaluateEvery(every).patience(10)
                .logEvery(every);
        settings.checkpoint().ifPresent(path -> builder.checkpoint(CheckpointTarget.fromScratch(path, 1)));
        return builder.build();
    }

    /** @return the root mean square of every observed coordinate, the baseline's value scale. */
    static double rootMeanSquare(List<Spiral> spirals) {
        double sum = 0.0;
        long count = 0;
        for (Spiral spiral : spirals) {
            for (int i = 0; i < spiral.observedCount(); i++) {
                for (int d = 0; d < Spiral.DIMENSION; d++) {
                    sum += spiral.observedValue(i, d) * spiral.observedValue(i, d);
                    count++;
                }
            }
        }
        return Math.sqrt(sum / count);
    }

    /**
     * Spiral time has no calendar; the provenance maps it to seconds after the epoch, with one event per observation.
     */
    private static DataRange dataRange(SpiralConfig config, List<Spiral> fit) {
        long events = (long) fit.size() * config.observedPoints();
        Duration window = Duration.ofNanos(Math.round(config.windowEnd() * 1e9));
        return new DataRange(Instant.EPOCH, Instant.EPOCH.plus(window), events);
    }

    private static List<double[]> lastValue(List<Spiral> spirals) {
        List<double[]> predictions = new ArrayList<>();
        for (Spiral spiral : spirals) {
            double[] p = new double[Spiral.DIMENSION * spiral.targetCount()];
            int last = spiral.observedCount() - 1;
            for (int k = 0; k < p.length; k++) {
                p[k] = spiral.observedValue(last, k % Spiral.DIMENSION);
            }
            predictions.add(p);
        }
        return predictions;
    }

    /** Runs the experiment from the command line; see the class comment for the arguments. */
    public static void main(String[] args) {
        Settings settings = parse(args);
        System.out.println("spirals: " + settings);
        Report report = run(settings, System.out::println);
        System.out.println(report.format());
    }

    static Settings parse(String[] args) {
        int[] positional = {30, 2000, 1, Runtime.getRuntime().availableProcessors()};
        int count = 0;
        List<String[]> options = new ArrayList<>();
        for (String arg : args) {
            if (arg.contains("=")) {
                options.add(arg.split("=", 2));
            } else if (count < positional.length) {
                positional[count++] = Integer.parseInt(arg);
            } else {
                throw new IllegalArgumentException("unexpected argument " + arg);
            }
        }
        Settings settings = Settings.paper(positional[0], positional[1], positional[2], positional[3]);
        for (String[] option : options) {
            settings = withOption(settings, option[0], option[1]);
        }
        return settings;
    }

    private static Settings withOption(Settings s, String key, String value) {
        return switch (key) {
            case "count" -> new Settings(s.data().withCount(Integer.parseInt(value)), s.iterations(), s.seed(),
                    s.threads(), s.hiddenSize(), s.batchSize(), s.learningRate(), s.objective(), s.checkpoint());
            case "hidden" -> new Settings(s.data(), s.iterations(), s.seed(), s.threads(), Integer.parseInt(value),
                    s.batchSize(), s.learningRate(), s.objective(), s.checkpoint());
            case "batch" -> new Settings(s.data(), s.iterations(), s.seed(), s.threads(), s.hiddenSize(),
                    Integer.parseInt(value), s.learningRate(), s.objective(), s.checkpoint());
            case "lr" -> new Settings(s.data(), s.iterations(), s.seed(), s.threads(), s.hiddenSize(), s.batchSize(),
                    Double.parseDouble(value), s.objective(), s.checkpoint());
            case "objective" -> new Settings(s.data(), s.iterations(), s.seed(), s.threads(), s.hiddenSize(),
                    s.batchSize(), s.learningRate(), RnnObjective.valueOf(value.toUpperCase(Locale.ROOT)),
                    s.checkpoint());
            case "checkpoint" -> new Settings(s.data(), s.iterations(), s.seed(), s.threads(), s.hiddenSize(),
                    s.batchSize(), s.learningRate(), s.objective(), Optional.of(Path.of(value)));
            default -> throw new IllegalArgumentException("unknown option " + key);
        };
    }
}
