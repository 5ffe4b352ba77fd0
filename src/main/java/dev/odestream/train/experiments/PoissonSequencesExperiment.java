package dev.odestream.train.experiments;

import dev.odestream.data.Intensity;
import dev.odestream.data.PoissonProcesses;
import dev.odestream.model.Forecast;
import dev.odestream.model.LatentOdeModel;
import dev.odestream.model.ModelConfig;
import dev.odestream.model.SeriesState;
import dev.odestream.model.Window;
import dev.odestream.model.checkpoint.DataRange;
import dev.odestream.nn.Activation;
import dev.odestream.nn.DynamicsKind;
import dev.odestream.train.LatentOdeTrainable;
import dev.odestream.train.Trainer;
import dev.odestream.train.TrainerConfig;
import dev.odestream.train.TrainingResult;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Random;
import java.util.function.Consumer;
import java.util.function.ToDoubleFunction;

/**
 * Per-sequence intensity inference (after Chen et al. 2018, Figure 8): every sequence has an intensity of its own,
 * and the model must infer it from that sequence's events alone.
 *
 * <p><b>Data.</b> Sequence {@code i} draws a phase {@code phi_i} uniformly on {@code [0, 2 pi)} and its events on
 * {@code [0, T]} from {@code lambda_i(t) = a + b sin(2 pi t / P + phi_i)} ({@link Family}). The events on
 * {@code [0, T_obs]} are observed; the model forecasts the intensity on {@code (T_obs, T]}. A single shared curve
 * cannot do well here: averaged over the phase the best constant is {@code a}, whose error is the
 * {@link Report#populationRelativeL2 population} column.
 *
 * <p><b>Windows.</b> A sequence is one {@link Window}: its context is a point event at {@code t = 0} (the start of
 * observation, the same for every sequence) followed by its observed events; its targets are the events after
 * {@code T_obs}; it ends at {@code T}. The loss is the Poisson negative log-likelihood of the targets under
 * {@code lambda(z(t))} from the posterior at the last observed event, plus the KL term.
 *
 * <p><b>Scores</b> (held-out sequences, each through the streaming path: {@code observe} of its context, then one
 * {@code forecast} over {@code [T_obs, T]}):
 * <ul>
 *   <li>the mean over sequences of the relative L2 error of the forecast's mean intensity against the sequence's own
 *       {@code lambda_i} on {@code [T_obs, T]}; target at most 10%;</li>
 *   <li>the same for the Bayes-optimal estimate, the posterior mean of {@code lambda} given the observed events and
 *       the true family with its uniform prior on the phase ({@link #oracle}): the error no method can beat on
 *       average, since the events carry only so much information;</li>
 *   <li>the held-out log-likelihood per target event under the forecast's mean intensity, next to a homogeneous rate
 *       fitted on the sequence's own observed events, and the true intensity.</li>
 * </ul>
 */
public final class PoissonSequencesExperiment {

    /** Shards per minibatch: fixed, so that a seed gives the same run on up to this many threads. */
    public static final int SHARDS = 8;

    /** Simpson half-intervals over {@code [T_obs, T]}; the scoring grid has twice as many intervals. */
    static final int HALF_INTERVALS = 100;

    /** Points of the oracle's grid over the phase. */
    static final int PHASES = 720;

    /** Seeds the held-out sequences far from any training seed, so that no test sequence was trained on. */
    public static final long HELD_OUT_SALT = 0x5EED_7E57L;

    private PoissonSequencesExperiment() {
    }

    /**
     * The family of intensities {@code a + b sin(2 pi t / P + phi)}, {@code phi} uniform on {@code [0, 2 pi)}.
     *
     * @param base {@code a}
     * @param amplitude {@code b}, below {@code a}
     * @param period {@code P}
     * @param observed {@code T_obs}, the end of the observed part
     * @param horizon {@code T}, the end of the sequence, after {@code T_obs}
     */
    public record Family(double base, double amplitude, double period, double observed, double horizon) {

        public Family {
            new Intensity.Periodic(base, amplitude, period);
            if (!(observed > 0 && horizon > observed) || Double.isInfinite(horizon)) {
                throw new IllegalArgumentException("need 0 < observed < horizon < infinity, got " + observed + ", "
                        + horizon);
            }
        }

        /**
         * {@code 10 + 9 sin(2 pi t / 4 + phi)}, observed on {@code [0, 8]} (two cycles, about 80 events), forecast
         * on {@code (8, 12]}. Rate and depth are chosen so that the events pin the phase down: the oracle's mean
         * relative L2 is about 5 to 6%, so the 10% target leaves room for the model but not for a guess (the best
         * constant is about 54% off).
         */
        public static Family reference() {
            return new Family(10.0, 9.0, 4.0, 8.0, 12.0);
        }

        /** @return the intensity of phase {@code phi}. */
        public Intensity.Periodic at(double phi) {
            return new Intensity.Periodic(base, amplitude, period, phi);
        }

        /** @return the length of the forecast part {@code T - T_obs}. */
        public double forecastSpan() {
            return horizon - observed;
        }
    }

    /**
     * One sequence: its phase and its events on {@code [0, T]}, ascending.
     *
     * @param phase {@code phi}
     * @param events every event time
     */
    public record Sequence(double phase, double[] events) {

        /** @return the events at or before {@code T_obs}. */
        public double[] observed(Family family) {
            int n = 0;
            while (n < events.length && events[n] <= family.observed()) {
                n++;
            }
            return Arrays.copyOf(events, n);
        }

        /** @return the events after {@code T_obs}. */
        public double[] targets(Family family) {
            int n = observed(family).length;
            return Arrays.copyOfRange(events, n, events.length);
        }
    }

    /** @return {@code count} sequences of the family, each with its own phase, from {@code seed}. */
    public static List<Sequence> sample(Family family, int count, long seed) {
        Random rng = new Random(seed);
        List<Sequence> out = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            double phi = 2 * Math.PI * rng.nextDouble();
            out.add(new Sequence(phi, PoissonProcesses.sample(family.at(phi), family.horizon(), rng)));
        }
        return out;
    }

    /**
     * @param family the data
     * @param model the architecture; {@code observationDim} is unused (no values)
     * @param trainCount training sequences
     * @param validationCount sequences for early stopping
     * @param testCount held-out sequences scored
     * @param iterations the most training iterations
     * @param seed seeds the data, the initial weights, the noise and the shuffling
     * @param threads worker threads; results do not depend on them (see {@link #SHARDS})
     * @param batchSize sequences per minibatch
     * @param learningRate Adam's initial step size; it decays by {@code 0.999} per iteration to a tenth of itself
     * @param klWarmup iterations over which the KL weight ramps from 0 to 1
     * @param evaluateEvery iterations between validation passes
     * @param patience validation passes without improvement before stopping
     * @param checkpoint where to write the trained model, if anywhere
     */
    public record Settings(Family family, ModelConfig model, int trainCount, int validationCount, int testCount,
                           int iterations, long seed, int threads, int batchSize, double learningRate, int klWarmup,
                           int evaluateEvery, int patience, Optional<Path> checkpoint) {

        public Settings {
            Objects.requireNonNull(family, "family");
            Objects.requireNonNull(model, "model");
            Objects.requireNonNull(checkpoint, "checkpoint");
            if (trainCount < 1 || validationCount < 1 || testCount < 1) {
                throw new IllegalArgumentException("need training, validation and test sequences");
            }
        }

        /**
         * The defaults: 400 training, 50 validation and 200 test sequences of {@link Family#reference()}; latent 4,
         * encoder 16 (its ODE 16 wide), the paper's MLP dynamics with hidden 20 and no gap rule, decoder hidden 8,
         * tanh, 16 forecast samples, dopri5 at
         * {@code rtol 1e-5, atol 1e-7}; batches of 50, Adam at 0.01, KL warm-up over 100 iterations, validation
         * every 50 iterations with patience 20 (chosen on validation, docs/reproductions.md).
         */
        public static Settings defaults(int iterations, long seed, int threads) {
            ModelConfig model = new ModelConfig(1, 1, 4, 16, 16, 20, 8, Activation.TANH, 1.0, 16, 1e-5, 1e-7)
                    .withDynamics(DynamicsKind.MLP, ModelConfig.NO_GAP_LIMIT);
            return new Settings(Family.reference(), model, 400, 50, 200, iterations, seed, threads, 50, 0.01, 100,
                    50, 20, Optional.empty());
        }

        /** @return these settings with other sequence counts. */
        public Settings withCounts(int train, int validation, int test) {
            return new Settings(family, model, train, validation, test, iterations, seed, threads, batchSize,
                    learningRate, klWarmup, evaluateEvery, patience, checkpoint);
        }

        /** @return these settings with another architecture. */
        public Settings withModel(ModelConfig m) {
            return new Settings(family, m, trainCount, validationCount, testCount, iterations, seed, threads,
                    batchSize, learningRate, klWarmup, evaluateEvery, patience, checkpoint);
        }

        /** @return these settings with other optimisation settings. */
        public Settings withTraining(int batch, double lr, int warmup, int every, int patienceCount) {
            return new Settings(family, model, trainCount, validationCount, testCount, iterations, seed, threads,
                    batch, lr, warmup, every, patienceCount, checkpoint);
        }

        /** @return these settings writing the trained model to {@code path}. */
        public Settings withCheckpoint(Path path) {
            return new Settings(family, model, trainCount, validationCount, testCount, iterations, seed, threads,
                    batchSize, learningRate, klWarmup, evaluateEvery, patience, Optional.of(path));
        }
    }

    /**
     * The scores of one model on held-out sequences (see the class comment).
     *
     * @param sequences held-out sequences scored
     * @param relativeL2 mean relative L2 of the model's forecast intensity
     * @param oracleRelativeL2 the same for the Bayes-optimal estimate
     * @param populationRelativeL2 the same for the best constant, {@code a}
     * @param perEvent held-out log-likelihood per target event under the model's forecast intensity
     * @param homogeneousPerEvent the same under each sequence's own observed rate
     * @param truePerEvent the same under the true intensity
     */
    public record Scores(int sequences, double relativeL2, double oracleRelativeL2, double populationRelativeL2,
                         double perEvent, double homogeneousPerEvent, double truePerEvent) {

        /** @return whether the model's mean relative L2 is at most 10%. */
        public boolean meetsTarget() {
            return relativeL2 <= 0.10;
        }

        /** @return the scores as one Markdown table row, after the seed. */
        public String row(long seed) {
            return String.format(Locale.ROOT, "| %d | %d | %.2f%% | %.2f%% | %.2f%% | %.4f | %.4f | %.4f |", seed,
                    sequences, 100 * relativeL2, 100 * oracleRelativeL2, 100 * populationRelativeL2, perEvent,
                    homogeneousPerEvent, truePerEvent);
        }

        /**
         * @return a last row of the table: each column's mean and sample standard deviation over the seeds, and the
         *     number of seeds that meet the target
         */
        public static String summary(List<Scores> seeds) {
            int met = (int) seeds.stream().filter(Scores::meetsTarget).count();
            return String.format(Locale.ROOT, "| mean +- std (%d seeds, %d within 10%%) | %d | %s | %s | %s | %s"
                    + " | %s | %s |", seeds.size(), met, seeds.getFirst().sequences(),
                    spread(seeds, s -> 100 * s.relativeL2(), "%.2f%%"),
                    spread(seeds, s -> 100 * s.oracleRelativeL2(), "%.2f%%"),
                    spread(seeds, s -> 100 * s.populationRelativeL2(), "%.2f%%"),
                    spread(seeds, Scores::perEvent, "%.4f"), spread(seeds, Scores::homogeneousPerEvent, "%.4f"),
                    spread(seeds, Scores::truePerEvent, "%.4f"));
        }

        private static String spread(List<Scores> seeds, ToDoubleFunction<Scores> column, String format) {
            double[] v = seeds.stream().mapToDouble(column).toArray();
            double mean = Arrays.stream(v).average().orElse(Double.NaN);
            double ss = Arrays.stream(v).map(x -> (x - mean) * (x - mean)).sum();
            double std = v.length > 1 ? Math.sqrt(ss / (v.length - 1)) : 0.0;
            return String.format(Locale.ROOT, format + " +- " + format, mean, std);
        }

        /** The header of {@link #row}. */
        public static String header() {
            return "| seed | held-out sequences | relative L2: latent ODE | Bayes-optimal | best constant"
                    + " | log-lik per target event: latent ODE | own observed rate | true intensity |\n"
                    + "|---:|---:|---:|---:|---:|---:|---:|---:|";
        }
    }

    /**
     * @param validation the same scores on the validation sequences, the ones to make choices on
     * @param scores held-out scores
     * @param model the trained model
     * @param training the training run
     */
    public record Report(Scores validation, Scores scores, LatentOdeModel model, TrainingResult training) {

        /** @return a one-line summary. */
        public String format() {
            Scores s = scores;
            return String.format(Locale.ROOT, "poisson sequences: validation relative L2 %.2f%% (Bayes-optimal"
                    + " %.2f%%); held-out relative L2 %.2f%% (Bayes-optimal %.2f%%, best"
                    + " constant %.2f%%); log-likelihood per target event %.4f vs own observed rate %.4f (true"
                    + " %.4f); %d iterations in %.1f s, kept iteration %d%s", 100 * validation.relativeL2(),
                    100 * validation.oracleRelativeL2(), 100 * s.relativeL2(),
                    100 * s.oracleRelativeL2(), 100 * s.populationRelativeL2(), s.perEvent(), s.homogeneousPerEvent(),
                    s.truePerEvent(), training.iterations(), training.seconds(), training.bestIteration(),
                    training.stoppedEarly() ? ", stopped early" : "");
        }
    }

    /** Trains on the seed's sequences, stops early on its validation sequences, then scores the test sequences once. */
    public static Report run(Settings s, Consumer<String> log) {
        List<Sequence> all = sample(s.family(), s.trainCount() + s.validationCount(), s.seed());
        List<Sequence> train = all.subList(0, s.trainCount());
        List<Sequence> validation = all.subList(s.trainCount(), all.size());
        LatentOdeModel model = new LatentOdeModel(s.model(), s.seed());
        LatentOdeTrainable trainable = new LatentOdeTrainable(model,
                LatentOdeTrainable.Validation.NEGATIVE_LOG_LIKELIHOOD, s.seed());
        TrainingResult result;
        try (Trainer<Window> trainer = new Trainer<>(trainable, trainerConfig(s), log)) {
            result = trainer.train(windows(train, s.family()), windows(validation, s.family()),
                    dataRange(s.family(), train));
        }
        List<Sequence> test = sample(s.family(), s.testCount(), s.seed() ^ HELD_OUT_SALT);
        return new Report(score(model, s.family(), validation), score(model, s.family(), test), model, result);
    }

    /** @return the scores of {@code model} on {@code sequences}, each through the streaming path. */
    public static Scores score(LatentOdeModel model, Family family, List<Sequence> sequences) {
        double[] times = grid(family);
        double model2 = 0, oracle = 0, population = 0, ll = 0, homogeneous = 0, truth = 0;
        long targets = 0;
        Forecast f = model.newForecast(times.length);
        for (Sequence seq : sequences) {
            double[] observed = seq.observed(family);
            double[] target = seq.targets(family);
            double[] learned = forecastIntensity(model, observed, times, f);
            model2 += relativeL2(learned, family.at(seq.phase()), family);
            oracle += relativeL2(oracle(family, observed, times), family.at(seq.phase()), family);
            population += populationError(family, seq.phase(), times);
            ll += logLikelihood(learned, times, target, family);
            double rate = Math.max(observed.length, 1) / family.observed();
            homogeneous += target.length * Math.log(rate) - rate * family.forecastSpan();
            Intensity.Periodic truthCurve = family.at(seq.phase());
            for (double t : target) {
                truth += Math.log(truthCurve.rate(t));
            }
            truth -= truthCurve.cumulative(family.horizon()) - truthCurve.cumulative(family.observed());
            targets += target.length;
        }
        int n = sequences.size();
        return new Scores(n, model2 / n, oracle / n, population / n, ll / targets, homogeneous / targets,
                truth / targets);
    }

    /**
     * The Bayes-optimal estimate of {@code lambda} on {@code times}: the posterior mean over the phase, on a grid of
     * {@value #PHASES} phases, given the observed events, the true family and its uniform prior.
     */
    static double[] oracle(Family family, double[] observed, double[] times) {
        double[] logPosterior = new double[PHASES];
        double best = Double.NEGATIVE_INFINITY;
        for (int p = 0; p < PHASES; p++) {
            Intensity.Periodic curve = family.at(2 * Math.PI * p / PHASES);
            double l = -curve.cumulative(family.observed());
            for (double t : observed) {
                l += Math.log(curve.rate(t));
            }
            logPosterior[p] = l;
            best = Math.max(best, l);
        }
        double[] mean = new double[times.length];
        double total = 0;
        for (int p = 0; p < PHASES; p++) {
            double w = Math.exp(logPosterior[p] - best);
            total += w;
            Intensity.Periodic curve = family.at(2 * Math.PI * p / PHASES);
            for (int i = 0; i < times.length; i++) {
                mean[i] += w * curve.rate(times[i]);
            }
        }
        for (int i = 0; i < times.length; i++) {
            mean[i] /= total;
        }
        return mean;
    }

    /** @return the sequences as training windows (see the class comment). */
    static List<Window> windows(List<Sequence> sequences, Family family) {
        List<Window> out = new ArrayList<>(sequences.size());
        for (Sequence seq : sequences) {
            Window.Builder b = Window.builder().context(0.0, null, null, 0);
            for (double t : seq.observed(family)) {
                b.context(t, null, null, 0);
            }
            for (double t : seq.targets(family)) {
                b.event(t, 0);
            }
            out.add(b.end(family.horizon()).build());
        }
        return out;
    }

    /** The streaming path: observe the start marker and the observed events, then one forecast over the grid. */
    private static double[] forecastIntensity(LatentOdeModel model, double[] observed, double[] times, Forecast f) {
        SeriesState state = model.newState();
        model.observe(state, 0.0, null, null, 0);
        for (double t : observed) {
            model.observe(state, t, null, null, 0);
        }
        model.forecast(state, times, f);
        double[] out = new double[times.length];
        for (int i = 0; i < times.length; i++) {
            out[i] = f.intensity(i, 0);
        }
        return out;
    }

    /** @return {@code 2 HALF_INTERVALS + 1} equally spaced times on {@code [T_obs, T]}, the Simpson nodes. */
    static double[] grid(Family family) {
        int panels = 2 * HALF_INTERVALS;
        double h = family.forecastSpan() / panels;
        double[] times = new double[panels + 1];
        for (int i = 0; i <= panels; i++) {
            times[i] = family.observed() + i * h;
        }
        return times;
    }

    /** Relative L2 of a curve on {@link #grid} against {@code truth}, by Simpson on the grid. */
    static double relativeL2(double[] curve, Intensity truth, Family family) {
        double[] times = grid(family);
        double[] diff = new double[times.length];
        double[] ref = new double[times.length];
        for (int i = 0; i < times.length; i++) {
            double r = truth.rate(times[i]);
            diff[i] = (curve[i] - r) * (curve[i] - r);
            ref[i] = r * r;
        }
        return Math.sqrt(simpson(diff, family) / simpson(ref, family));
    }

    private static double populationError(Family family, double phase, double[] times) {
        return relativeL2(constant(times.length, family.base()), family.at(phase), family);
    }

    private static double[] constant(int n, double value) {
        double[] out = new double[n];
        Arrays.fill(out, value);
        return out;
    }

    private static double simpson(double[] f, Family family) {
        double h = family.forecastSpan() / (2 * HALF_INTERVALS);
        double sum = f[0] + f[f.length - 1];
        for (int i = 1; i < f.length - 1; i++) {
            sum += (i % 2 == 1 ? 4 : 2) * f[i];
        }
        return sum * h / 3;
    }

    /**
     * {@code sum_e log lambda(t_e) - integral of lambda over (T_obs, T]} for a curve on the grid: linear
     * interpolation between grid points for the events, Simpson for the integral.
     */
    private static double logLikelihood(double[] curve, double[] times, double[] events, Family family) {
        double h = times[1] - times[0];
        double sum = -simpson(curve, family);
        for (double t : events) {
            double x = (t - times[0]) / h;
            int i = Math.min((int) x, times.length - 2);
            double w = x - i;
            sum += Math.log((1 - w) * curve[i] + w * curve[i + 1]);
        }
        return sum;
    }

    private static TrainerConfig trainerConfig(Settings s) {
        return PoissonExperiment.trainerConfig(s.iterations(), s.batchSize(), s.threads(), s.seed(), s.learningRate(),
                s.klWarmup(), s.evaluateEvery(), s.patience(), s.checkpoint());
    }

    private static DataRange dataRange(Family family, List<Sequence> train) {
        return PoissonExperiment.dataRange(family.horizon(), train.stream().mapToLong(q -> q.events().length).sum());
    }
}
