package dev.odestream.train.experiments;

import dev.odestream.data.Spiral;
import dev.odestream.data.SpiralConfig;
import dev.odestream.data.SpiralDataset;
import dev.odestream.data.Spirals;
import dev.odestream.model.BatchedElbo;
import dev.odestream.model.LatentOdeModel;
import dev.odestream.model.ModelConfig;
import dev.odestream.model.Window;
import dev.odestream.model.checkpoint.DataRange;
import dev.odestream.nn.Activation;
import dev.odestream.nn.DynamicsKind;
import dev.odestream.nn.AdamSettings;
import dev.odestream.train.CheckpointTarget;
import dev.odestream.train.LatentOdeTrainable;
import dev.odestream.train.Schedule;
import dev.odestream.train.TrainableModel;
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
 * The bidirectional-spirals experiment of Chen et al. 2018, Table 2, for the latent ODE: the same data, split and
 * score as {@link SpiralExperiment} (fit on the first 70% of the spirals, stop early on the next 10%, score the
 * 100-point extrapolation on the last 20% with {@link SpiralDataset#rmse} against the noisy targets).
 *
 * <p><b>Windows.</b> A spiral becomes one {@link Window}: its {@code n} irregular observations are the context, the
 * encoder folds them in forward in time, and the posterior sits at the last one, {@code tau}; the targets are the
 * extrapolation points after the observed window. There are no events, so the Poisson term is
 * {@code -Lambda(T)} alone, which training drives to about zero. Values are divided by the root mean square of the
 * fitted observations (recorded in the checkpoint as {@value LatentOdeTrainable#VALUE_SCALE}) so that the networks see numbers of
 * order one; predictions are scaled back before scoring.
 *
 * <p><b>Score.</b> The prediction is the decoded path of the posterior mean ({@code eps = 0}); the validation metric
 * for early stopping is the same RMSE on the validation spirals, in data units.
 */
public final class LatentSpiralExperiment {

    /** Shards per minibatch: fixed, so that a seed gives the same run on up to this many threads. */
    public static final int SHARDS = 8;

    /**
     * Shards per minibatch on the batched path: fewer and larger, since a shard is one batched solve; a seed gives the
     * same run on up to this many threads.
     */
    public static final int BATCHED_SHARDS = 2;

    /** Chen et al. 2018, Table 2: observed points, RNN RMSE, latent ODE RMSE. */
    static final double[][] PAPER = {{30, 0.3937, 0.1642}, {50, 0.3202, 0.1502}, {100, 0.1813, 0.1346}};

    private LatentSpiralExperiment() {
    }

    /**
     * @param data the data set; {@code SpiralConfig.paper(n)} for the paper's protocol
     * @param model the architecture; {@code observationStd} is in scaled units (the data divided by their RMS)
     * @param iterations the most training iterations
     * @param seed seeds the data, the initial weights, the noise and the shuffling
     * @param threads worker threads; results do not depend on them (see {@link #SHARDS})
     * @param batchSize spirals per minibatch
     * @param learningRate Adam's initial step size
     * @param learningRateDecay the factor the step size shrinks by per iteration, down to a tenth of the initial
     * @param klWarmup iterations over which the KL weight ramps from 0 to 1
     * @param evaluateEvery iterations between validation passes
     * @param patience validation passes without improvement before stopping
     * @param splits training windows per fitted spiral: split {@code i} of {@code k} takes the first
     *               {@code round(n i / k)} observations as context and the rest of the observations with the
     *               extrapolation points as targets; {@code 1} is the protocol's window alone. Validation and test
     *               always use the protocol's window.
     * @param checkpoint where to write the trained model, if anywhere
     * @param batched train each shard of a minibatch as one batched solve on the union grid
     *                ({@value #BATCHED_SHARDS} shards) rather than a solve per spiral ({@value #SHARDS} shards); the
     *                same model and loss, to solver tolerance
     */
    public record Settings(SpiralConfig data, ModelConfig model, int iterations, long seed, int threads, int batchSize,
                           double learningRate, double learningRateDecay, int klWarmup, int evaluateEvery,
                           int patience, int splits, Optional<Path> checkpoint, boolean batched) {

        public Settings {
            Objects.requireNonNull(data, "data");
            Objects.requireNonNull(model, "model");
            Objects.requireNonNull(checkpoint, "checkpoint");
            if (splits < 1 || splits > data.observedPoints()) {
                throw new IllegalArgumentException("splits must lie in [1, n], got " + splits);
            }
        }

        /**
         * The paper's protocol and architecture with {@code n} observed points: recognition network of 25 units
         * (an ODE-RNN here, its ODE also 25 wide), latent 4, dynamics and decoder one hidden layer of 20, tanh;
         * observation noise 0.05 in scaled units; dopri5 at {@code rtol 1e-5, atol 1e-7}; batches of 50, Adam at
         * 0.01 decaying by 0.999 per iteration, KL warm-up over 100 iterations, validation every 50 iterations with
         * patience 10, the protocol's window alone; the paper's MLP dynamics with no gap limit (the spirals have no
         * long gaps).
         */
        public static Settings paper(int n, int iterations, long seed, int threads) {
            ModelConfig model = new ModelConfig(Spiral.DIMENSION, 1, 4, 25, 25, 20, 20, Activation.TANH, 0.05, 16,
                    1e-5, 1e-7).withDynamics(DynamicsKind.MLP, ModelConfig.NO_GAP_LIMIT);
            return new Settings(SpiralConfig.paper(n), model, iterations, seed, threads, 50, 0.01, 0.999, 100, 50, 10,
                    1, Optional.empty(), false);
        }

        /** @return these settings with another data set. */
        public Settings withData(SpiralConfig d) {
            return new Settings(d, model, iterations, seed, threads, batchSize, learningRate, learningRateDecay,
                    klWarmup, evaluateEvery, patience, Math.min(splits, d.observedPoints()), checkpoint, batched);
        }

        /** @return these settings with another architecture. */
        public Settings withModel(ModelConfig m) {
            return new Settings(data, m, iterations, seed, threads, batchSize, learningRate, learningRateDecay,
                    klWarmup, evaluateEvery, patience, splits, checkpoint, batched);
        }

        /** @return these settings with other optimisation settings. */
        public Settings withTraining(int batch, double lr, int warmup, int every, int patienceCount) {
            return new Settings(data, model, iterations, seed, threads, batch, lr, learningRateDecay, warmup, every,
                    patienceCount, splits, checkpoint, batched);
        }

        /** @return these settings with another learning-rate decay per iteration and number of splits. */
        public Settings withSchedule(double decay, int splitCount) {
            return new Settings(data, model, iterations, seed, threads, batchSize, learningRate, decay, klWarmup,
                    evaluateEvery, patience, splitCount, checkpoint, batched);
        }

        /** @return these settings with the batched or the per-series training path. */
        public Settings withBatched(boolean on) {
            return new Settings(data, model, iterations, seed, threads, batchSize, learningRate, learningRateDecay,
                    klWarmup, evaluateEvery, patience, splits, checkpoint, on);
        }

        /** @return these settings writing the trained model to {@code path}. */
        public Settings withCheckpoint(Path path) {
            return new Settings(data, model, iterations, seed, threads, batchSize, learningRate, learningRateDecay,
                    klWarmup, evaluateEvery, patience, splits, Optional.of(path), batched);
        }
    }

    /**
     * @param testRmse extrapolation RMSE on the test spirals against their noisy targets (Table 2's measure)
     * @param testRmseClean the same against the clean curve
     * @param valueScale what the data were divided by
     * @param fit spirals trained on
     * @param validation spirals used for early stopping
     * @param test spirals scored
     * @param predictions per test spiral, the extrapolation in data units, row-major
     * @param model the trained model (its best validated parameters)
     * @param training the training run
     */
    public record Report(double testRmse, double testRmseClean, double valueScale, List<Spiral> fit,
                         List<Spiral> validation, List<Spiral> test, List<double[]> predictions,
                         LatentOdeModel model, TrainingResult training) {

        /** @return a one-line summary. */
        public String format() {
            return String.format(Locale.ROOT, "latent ODE: test rmse %.4f (clean %.4f) on %d spirals; fit %d,"
                    + " validation %d; %d iterations in %.1f s, kept iteration %d%s", testRmse, testRmseClean,
                    test.size(), fit.size(), validation.size(), training.iterations(), training.seconds(),
                    training.bestIteration(), training.stoppedEarly() ? ", stopped early" : "");
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
        double scale = SpiralExperiment.rootMeanSquare(fit);
        LatentOdeModel model = new LatentOdeModel(settings.model(), settings.seed());
        TrainableModel<Window> trainable = settings.batched()
                ? new LatentOdeTrainable(model, LatentOdeTrainable.Validation.RMSE, settings.seed(), scale,
                        new LatentOdeTrainable.Options(BatchedElbo.Recognition.ODE_RNN,
                                Math.max(settings.batchSize(), validation.size())))
                : new LatentOdeTrainable(model, LatentOdeTrainable.Validation.RMSE, settings.seed(), scale,
                        LatentOdeTrainable.Options.perWindow());
        TrainingResult result;
        try (Trainer<Window> trainer = new Trainer<>(trainable, trainerConfig(settings), log)) {
            result = trainer.train(trainingWindows(fit, scale, settings.splits()), windows(validation, scale),
                    dataRange(config, fit));
        }
        List<Spiral> test = split.test();
        List<double[]> predictions = extrapolate(model, test, scale);
        return new Report(SpiralDataset.rmse(test, predictions, false), SpiralDataset.rmse(test, predictions, true),
                scale, fit, validation, test, predictions, model, result);
    }

    private static TrainerConfig trainerConfig(Settings s) {
        TrainerConfig.Builder builder = TrainerConfig.builder().iterations(s.iterations()).batchSize(s.batchSize())
                .threads(s.threads()).shards(s.batched() ? BATCHED_SHARDS : SHARDS).seed(s.seed()).adam(AdamSettings.of(s.learningRate()))
                .learningRate(Schedule.exponentialDecay(s.learningRate(), s.learningRateDecay(), s.learningRate() / 10))
                .beta(Schedule.linearRamp(0.0, 1.0, 0, Math.max(1, s.klWarmup())))
                .evaluateEvery(s.evaluateEvery()).patience(s.patience()).logEvery(s.evaluateEvery());
        s.checkpoint().ifPresent(path -> builder.checkpoint(CheckpointTarget.fromScratch(path, 1)));
        return builder.build();
    }

    /**
     * One window per spiral: the observations as context, the extrapolation points (noisy, as scored) as targets,
     * every value divided by {@code scale}.
     */
    static List<Window> windows(List<Spiral> spirals, double scale) {
        List<Window> out = new ArrayList<>(spirals.size());
        for (Spiral s : spirals) {
            out.add(window(s, scale, true));
        }
        return out;
    }

    /** @return the {@code splits} windows of every spiral, spiral by spiral; see {@link Settings#splits()}. */
    static List<Window> trainingWindows(List<Spiral> spirals, double scale, int splits) {
        List<Window> out = new ArrayList<>(spirals.size() * splits);
        for (Spiral s : spirals) {
            for (int i = 1; i <= splits; i++) {
                out.add(window(s, Math.max(1, Math.round((float) s.observedCount() * i / splits)), scale, true));
            }
        }
        return out;
    }

    /** @param withTargets false for the context alone, what a forecast needs */
    static Window window(Spiral s, double scale, boolean withTargets) {
        return window(s, s.observedCount(), scale, withTargets);
    }

    /** The first {@code context} observations as context; the other observations, then the extrapolation points. */
    private static Window window(Spiral s, int context, double scale, boolean withTargets) {
        Window.Builder b = Window.builder();
        for (int i = 0; i < s.observedCount(); i++) {
            double[] x = {s.observedValue(i, 0) / scale, s.observedValue(i, 1) / scale};
            if (i < context) {
                b.context(s.observedTime(i), x, null, 0);
            } else if (withTargets) {
                b.target(s.observedTime(i), x, null);
            }
        }
        for (int j = 0; withTargets && j < s.targetCount(); j++) {
            b.target(s.targetTime(j), new double[] {s.targetValue(j, 0) / scale, s.targetValue(j, 1) / scale}, null);
        }
        return b.build();
    }

    /**
     * @return per spiral, the posterior-mean extrapolation at its target times in data units, row-major: the layout
     *     {@link SpiralDataset#rmse} expects
     */
    public static List<double[]> extrapolate(LatentOdeModel model, List<Spiral> spirals, double scale) {
        List<double[]> out = new ArrayList<>(spirals.size());
        for (Spiral s : spirals) {
            PosteriorMeanPath path = PosteriorMeanPath.of(model, window(s, scale, false), s.targetTimes());
            double[] p = new double[Spiral.DIMENSION * s.targetCount()];
            for (int j = 0; j < s.targetCount(); j++) {
                for (int d = 0; d < Spiral.DIMENSION; d++) {
                    p[Spiral.DIMENSION * j + d] = scale * path.values()[j][d];
                }
            }
            out.add(p);
        }
        return out;
    }

    /** Spiral time maps to seconds after the epoch, with one event per observation (as {@link SpiralExperiment}). */
    private static DataRange dataRange(SpiralConfig config, List<Spiral> fit) {
        long events = (long) fit.size() * config.observedPoints();
        Duration window = Duration.ofNanos(Math.round(config.windowEnd() * 1e9));
        return new DataRange(Instant.EPOCH, Instant.EPOCH.plus(window), events);
    }

    /**
     * The comparison table: this run's latent ODE and GRU baseline next to the paper's numbers for the same
     * {@code n}, as Markdown.
     *
     * @param n observed points
     * @param latent this run's latent ODE test RMSE
     * @param baseline this run's GRU baseline test RMSE; NaN if it was not run
     */
    public static String table(int n, double latent, double baseline) {
        double paperRnn = Double.NaN;
        double paperLatent = Double.NaN;
        for (double[] row : PAPER) {
            if (row[0] == n) {
                paperRnn = row[1];
                paperLatent = row[2];
            }
        }
        return "| observed points | latent ODE (ours) | GRU-RNN baseline (ours) | latent ODE (paper) | RNN (paper) |\n"
                + "|---:|---:|---:|---:|---:|\n"
                + String.format(Locale.ROOT, "| %d | %s | %s | %s | %s |", n, cell(latent), cell(baseline),
                cell(paperLatent), cell(paperRnn));
    }

    private static String cell(double v) {
        return Double.isNaN(v) ? "n/a" : String.format(Locale.ROOT, "%.4f", v);
    }
}
