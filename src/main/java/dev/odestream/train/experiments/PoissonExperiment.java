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
 * The Poisson toy (after Chen et al. 2018, Figure 8): event times drawn from a known inhomogeneous intensity, and a
 * latent ODE that learns {@code lambda(t)} from the event times alone.
 *
 * <p><b>Windows.</b> Each sequence of events on {@code [0, T]} is one {@link Window} whose context is a single pure
 * point event at {@code t = 0}, the start of observation, and whose target is every event in {@code (0, T]}: the
 * loss is the Poisson negative log-likelihood of the events under {@code lambda(z(t))}, plus the KL term. The
 * context is the same for every sequence, so the posterior is shared and the latent path from it is the model's
 * intensity over the whole training span, which is what the report scores.
 *
 * <p><b>Scores.</b>
 * <ul>
 *   <li>The relative L2 error {@code ||lambda_hat - lambda|| / ||lambda||} over {@code [0, T]}
 *       ({@link PoissonProcesses#relativeL2}) of the posterior-mean path's intensity, and of the forecast's mean
 *       intensity over its samples (the streaming engine's {@code lambda(t)}). Target: at most 10%.</li>
 *   <li>The log-likelihood per event of held-out sequences under the posterior-mean intensity, next to the
 *       homogeneous Poisson model whose rate is fitted on the training sequences, the same fitted on the held-out
 *       sequences themselves (an optimistic baseline), and the true intensity (the ceiling).</li>
 * </ul>
 */
public final class PoissonExperiment {

    /** Shards per minibatch: fixed, so that a seed gives the same run on up to this many threads. */
    public static final int SHARDS = 8;

    /** Simpson half-intervals of the relative L2 error and points of the plotted curves minus one, halved. */
    static final int HALF_INTERVALS = 200;

    private PoissonExperiment() {
    }

    /**
     * A named intensity with its observation span.
     *
     * @param name for reports and file names
     * @param intensity the true rate
     * @param horizon {@code T}
     */
    public record Process(String name, Intensity intensity, double horizon) {

        public Process {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(intensity, "intensity");
            if (!(horizon > 0) || Double.isInfinite(horizon)) {
                throw new IllegalArgumentException("horizon must be positive and finite, got " + horizon);
            }
        }

        /** {@code lambda(t) = 3 + 2 sin(2 pi t / 4)} on {@code [0, 10]}: two and a half cycles, about 30 events. */
        public static Process periodic() {
            return new Process("periodic", new Intensity.Periodic(3.0, 2.0, 4.0), 10.0);
        }

        /** {@code lambda(t) = 4 t exp(-t / 2) + 0.5} on {@code [0, 10]}: a burst peaking at 3.4, about 20 events. */
        public static Process riseDecay() {
            return new Process("rise-decay", new Intensity.RiseDecay(4.0, 2.0, 0.5), 10.0);
        }
    }

    /**
     * @param process the true process
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
    public record Settings(Process process, ModelConfig model, int trainCount, int validationCount, int testCount,
                           int iterations, long seed, int threads, int batchSize, double learningRate, int klWarmup,
                           int evaluateEvery, int patience, Optional<Path> checkpoint) {

        public Settings {
            Objects.requireNonNull(process, "process");
            Objects.requireNonNull(model, "model");
            Objects.requireNonNull(checkpoint, "checkpoint");
            if (trainCount < 1 || validationCount < 0 || testCount < 1) {
                throw new IllegalArgumentException("need training and test sequences");
            }
        }

        /**
         * The defaults: 400 training, 50 validation and 200 test sequences; latent 4, encoder 8 (its ODE 8 wide),
         * dynamics hidden 20, tanh, 16 forecast samples, dopri5 at {@code rtol 1e-5, atol 1e-7}; batches of 50,
         * Adam at 0.01, KL warm-up over 100 iterations, validation every 50 iterations with patience 10; the
         * paper's MLP dynamics with no gap limit, as a reproduction of the paper.
         */
        public static Settings defaults(Process process, int iterations, long seed, int threads) {
            ModelConfig model = new ModelConfig(1, 1, 4, 8, 8, 20, 4, Activation.TANH, 1.0, 16, 1e-5, 1e-7)
                    .withDynamics(DynamicsKind.MLP, ModelConfig.NO_GAP_LIMIT);
            return new Settings(process, model, 400, 50, 200, iterations, seed, threads, 50, 0.01, 100, 50, 10,
                    Optional.empty());
        }

        /** @return these settings with other sequence counts. */
        public Settings withCounts(int train, int validation, int test) {
            return new Settings(process, model, train, validation, test, iterations, seed, threads, batchSize,
                    learningRate, klWarmup, evaluateEvery, patience, checkpoint);
        }

        /** @return these settings with another architecture. */
        public Settings withModel(ModelConfig m) {
            return new Settings(process, m, trainCount, validationCount, testCount, iterations, seed, threads,
                    batchSize, learningRate, klWarmup, evaluateEvery, patience, checkpoint);
        }

        /** @return these settings with other optimisation settings. */
        public Settings withTraining(int batch, double lr, int warmup, int every, int patienceCount) {
            return new Settings(process, model, trainCount, validationCount, testCount, iterations, seed, threads,
                    batch, lr, warmup, every, patienceCount, checkpoint);
        }

        /** @return these settings writing the trained model to {@code path}. */
        public Settings withCheckpoint(Path path) {
            return new Settings(process, model, trainCount, validationCount, testCount, iterations, seed, threads,
                    batchSize, learningRate, klWarmup, evaluateEvery, patience, Optional.of(path));
        }
    }

    /**
     * @param process the true process
     * @param relativeL2 relative L2 error of the posterior-mean intensity over {@code [0, T]}
     * @param forecastRelativeL2 the same for the forecast's mean intensity over its samples
     * @param heldOutPerEvent held-out log-likelihood per event under the posterior-mean intensity
     * @param homogeneousPerEvent the same under the constant rate fitted on the training sequences
     * @param homogeneousInSamplePerEvent the same under the constant rate fitted on the held-out sequences
     * @param truePerEvent the same under the true intensity
     * @param times the grid the curves are given on, {@code [0, T]}
     * @param learned the posterior-mean intensity on {@link #times}
     * @param forecast the forecast's mean intensity on {@link #times}
     * @param trainEvents every training event time, pooled (for an empirical rate)
     * @param trainCount training sequences
     * @param heldOut the held-out sequences
     * @param model the trained model
     * @param training the training run
     */
    public record Report(Process process, double relativeL2, double forecastRelativeL2, double heldOutPerEvent,
                         double homogeneousPerEvent, double homogeneousInSamplePerEvent, double truePerEvent,
                         double[] times, double[] learned, double[] forecast, double[] trainEvents, int trainCount,
                         List<double[]> heldOut, LatentOdeModel model, TrainingResult training) {

        /** @return whether both targets are met: relative L2 at most 10%, and the held-out likelihood beats the
         *     homogeneous model's. */
        public boolean meetsTargets() {
            return relativeL2 <= 0.10 && heldOutPerEvent > homogeneousPerEvent;
        }

        /** @return a one-line summary. */
        public String format() {
            return String.format(Locale.ROOT, "poisson %s: relative L2 %.2f%% (forecast mean %.2f%%); held-out"
                    + " log-likelihood per event %.4f vs homogeneous %.4f (in-sample %.4f, true %.4f); %d iterations"
                    + " in %.1f s, kept iteration %d%s", process.name(), 100 * relativeL2, 100 * forecastRelativeL2,
                    heldOutPerEvent, homogeneousPerEvent, homogeneousInSamplePerEvent, truePerEvent,
                    training.iterations(), training.seconds(), training.bestIteration(),
                    training.stoppedEarly() ? ", stopped early" : "");
        }
    }

    /** Runs the experiment, logging progress lines to {@code log}. */
    public static Report run(Settings s, Consumer<String> log) {
        Process p = s.process();
        int total = s.trainCount() + s.validationCount() + s.testCount();
        List<double[]> all = PoissonProcesses.sampleMany(p.intensity(), p.horizon(), total, s.seed());
        List<double[]> train = all.subList(0, s.trainCount());
        List<double[]> validation = all.subList(s.trainCount(), s.trainCount() + s.validationCount());
        List<double[]> test = all.subList(s.trainCount() + s.validationCount(), total);
        LatentOdeModel model = new LatentOdeModel(s.model(), s.seed());
        LatentOdeTrainable trainable = new LatentOdeTrainable(model,
                LatentOdeTrainable.Validation.NEGATIVE_LOG_LIKELIHOOD, s.seed());
        TrainingResult result;
        try (Trainer<Window> trainer = new Trainer<>(trainable, trainerConfig(s), log)) {
            result = trainer.train(windows(train, p.horizon()), windows(validation, p.horizon()),
                    dataRange(p.horizon(), train));
        }
        return report(s, model, train, test, result);
    }

    private static Report report(Settings s, LatentOdeModel model, List<double[]> train, List<double[]> test,
                                 TrainingResult result) {
        Process p = s.process();
        double[] times = grid(p.horizon());
        double[] learned = PosteriorMeanPath.of(model, start(), times).intensity(0);
        double[] forecast = forecastIntensity(model, times);
        long trainEvents = countEvents(train);
        long testEvents = countEvents(test);
        double rate = trainEvents / (train.size() * p.horizon());
        double homogeneous = Math.log(rate) - rate * test.size() * p.horizon() / testEvents;
        double inSample = PoissonProcesses.homogeneousLogLikelihoodPerEvent(testEvents, test.size() * p.horizon());
        double truth = 0.0;
        for (double[] events : test) {
            truth += PoissonProcesses.logLikelihood(p.intensity(), events, p.horizon());
        }
        return new Report(p, relativeL2(learned, p), relativeL2(forecast, p),
                heldOutLogLikelihood(model, test, p.horizon()) / testEvents, homogeneous, inSample,
                truth / testEvents, times, learned, forecast, pooled(train, trainEvents), train.size(),
                List.copyOf(test), model, result);
    }

    /** @return the reports as one Markdown table. */
    public static String table(List<Report> reports) {
        StringBuilder t = new StringBuilder("| process | relative L2, posterior mean | relative L2, forecast mean"
                + " | held-out log-lik per event: latent ODE | homogeneous (rate fit on training) | homogeneous"
                + " (rate fit on held-out) | true intensity |\n|---|---:|---:|---:|---:|---:|---:|\n");
        for (Report r : reports) {
            t.append(String.format(Locale.ROOT, "| %s | %.2f%% | %.2f%% | %.4f | %.4f | %.4f | %.4f |\n",
                    r.process().name(), 100 * r.relativeL2(), 100 * r.forecastRelativeL2(), r.heldOutPerEvent(),
                    r.homogeneousPerEvent(), r.homogeneousInSamplePerEvent(), r.truePerEvent()));
        }
        return t.toString().stripTrailing();
    }

    private static TrainerConfig trainerConfig(Settings s) {
        return trainerConfig(s.iterations(), s.batchSize(), s.threads(), s.seed(), s.learningRate(), s.klWarmup(),
                s.evaluateEvery(), s.patience(), s.checkpoint());
    }

    /**
     * The Poisson experiments' training: {@link #SHARDS} shards, Adam from {@code lr} decaying by {@code 0.999} per
     * iteration to a tenth of itself, the KL weight ramped from 0 to 1 over {@code warmup} iterations, progress at
     * every validation pass, a checkpoint from scratch (version 1) if asked for.
     */
    static TrainerConfig trainerConfig(int iterations, int batchSize, int threads, long seed, double lr, int warmup,
                                       int evaluateEvery, int patience, Optional<Path> checkpoint) {
        TrainerConfig.Builder builder = TrainerConfig.builder().iterations(iterations).batchSize(batchSize)
                .threads(threads).shards(SHARDS).seed(seed).adam(AdamSettings.of(lr))
                .learningRate(Schedule.exponentialDecay(lr, 0.999, lr / 10))
                .beta(Schedule.linearRamp(0.0, 1.0, 0, Math.max(1, warmup)))
                .evaluateEvery(evaluateEvery).patience(patience).logEvery(evaluateEvery);
        checkpoint.ifPresent(path -> builder.checkpoint(CheckpointTarget.fromScratch(path, 1)));
        return builder.build();
    }

    /** @return one window per sequence: the start marker as context, every event as a target event. */
    static List<Window> windows(List<double[]> sequences, double horizon) {
        List<Window> out = new ArrayList<>(sequences.size());
        for (double[] events : sequences) {
            Window.Builder b = Window.builder().context(0.0, null, null, 0).end(horizon);
            for (double t : events) {
                b.event(t, 0);
            }
            out.add(b.build());
        }
        return out;
    }

    /** @return the context every window shares: a point event at {@code t = 0}. */
    static Window start() {
        return Window.builder().context(0.0, null, null, 0).build();
    }

    /** @return {@code 2 HALF_INTERVALS + 1} equally spaced times on {@code [0, T]}, the Simpson nodes. */
    static double[] grid(double horizon) {
        int panels = 2 * HALF_INTERVALS;
        double h = horizon / panels;
        double[] times = new double[panels + 1];
        for (int i = 0; i <= panels; i++) {
            times[i] = i * h;
        }
        return times;
    }

    /** Relative L2 of a curve given on {@link #grid}; Simpson evaluates exactly at its nodes. */
    static double relativeL2(double[] curve, Process p) {
        double h = p.horizon() / (2 * HALF_INTERVALS);
        return PoissonProcesses.relativeL2(t -> curve[(int) Math.round(t / h)], p.intensity(), p.horizon(),
                HALF_INTERVALS);
    }

    /** The streaming path: observe the start marker, then one forecast over the grid; its mean intensity. */
    private static double[] forecastIntensity(LatentOdeModel model, double[] times) {
        SeriesState state = model.newState();
        model.observe(state, 0.0, null, null, 0);
        Forecast f = model.newForecast(times.length);
        model.forecast(state, times, f);
        double[] out = new double[times.length];
        for (int i = 0; i < times.length; i++) {
            out[i] = f.intensity(i, 0);
        }
        return out;
    }

    /**
     * Sum over sequences of {@code sum_e log lambda(t_e) - Lambda(T)} along the posterior-mean path: the windows are
     * events only, so this is minus the validation sum of the negative log-likelihood.
     */
    private static double heldOutLogLikelihood(LatentOdeModel model, List<double[]> sequences, double horizon) {
        LatentOdeTrainable scorer = new LatentOdeTrainable(model,
                LatentOdeTrainable.Validation.NEGATIVE_LOG_LIKELIHOOD, 0L);
        return -scorer.evaluate(windows(sequences, horizon)).sum();
    }

    private static long countEvents(List<double[]> sequences) {
        long n = 0;
        for (double[] events : sequences) {
            n += events.length;
        }
        return n;
    }

    private static double[] pooled(List<double[]> sequences, long count) {
        double[] out = new double[(int) count];
        int i = 0;
        for (double[] events : sequences) {
            System.arraycopy(events, 0, out, i, events.length);
            i += events.length;
        }
        return out;
    }

    /** Time maps to seconds after the epoch; the events are the training events. */
    private static DataRange dataRange(double horizon, List<double[]> train) {
        return dataRange(horizon, countEvents(train));
    }

    /** Time maps to seconds after the epoch, over {@code [0, horizon]}, with {@code events} training events. */
    static DataRange dataRange(double horizon, long events) {
        return new DataRange(Instant.EPOCH, Instant.EPOCH.plus(Duration.ofNanos(Math.round(horizon * 1e9))), events);
    }
}
