package dev.odestream.train;

import dev.odestream.model.checkpoint.Checkpoint;
import dev.odestream.model.checkpoint.CheckpointCodec;
import dev.odestream.model.checkpoint.DataRange;
import dev.odestream.model.checkpoint.TrainingMetadata;
import dev.odestream.nn.GradientClipping;
import dev.odestream.nn.Optimizer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * Fits a {@link TrainableModel} by minibatch gradient descent: seeded shuffling, a gradient computed in parallel by
 * {@code threads} workers with a fixed-order reduction, global-norm clipping, one Adam or Adamax step per minibatch,
 * learning-rate and KL-weight schedules, validation every few iterations with early stopping that keeps the best
 * parameters, progress lines, and a checkpoint at the end.
 *
 * <p>A run is reproducible: with the same model initialisation, data, seed and shard count it takes bitwise the same
 * steps on any number of threads. The optimizer's moments live as long as the trainer, so a second {@link #train}
 * call continues where the first stopped. Close the trainer to stop its worker threads (they are daemons, so a forgotten
 * trainer does not keep the JVM alive).
 *
 * @param <W> the model's training window
 */
public final class Trainer<W> implements AutoCloseable {

    private final TrainableModel<W> model;
    private final TrainerConfig config;
    private final Consumer<String> log;
    private final BatchWorkers<W> workers;
    private final Optimizer optimizer;
    private final double[] gradient;

    /**
     * @param model the master model; its values are trained in place
     * @param config the settings
     * @param log receives progress lines, e.g. {@code System.out::println}
     */
    public Trainer(TrainableModel<W> model, TrainerConfig config, Consumer<String> log) {
        this.model = model;
        this.config = config;
        this.log = log;
        int size = model.parameters().size();
        this.workers = new BatchWorkers<>(model, config.threads(), config.shards());
        this.optimizer = config.optimizer().create(size, config.adam());
        this.gradient = new double[size];
    }

    /**
     * Trains until the iteration limit or until early stopping, then restores the best validated parameters, builds
     * the checkpoint and writes it if the configuration names a target.
     *
     * @param train training windows, non-empty. Not modified.
     * @param validation validation windows; empty to train without validation or early stopping. Not modified.
     * @param data the span of data trained on, for the checkpoint's provenance
     * @return what happened; the model holds the kept parameters
     */
    public TrainingResult train(List<W> train, List<W> validation, DataRange data) {
        Run run = new Run(train, validation);
        long iteration = 0;
        while (iteration < config.iterations() && !run.stopping.shouldStop()) {
            iteration++;
            run.step(iteration);
        }
        run.finish(iteration);
        return result(run, iteration, data);
    }

    /**
     * The mean loss of a minibatch and its gradient at the model's current values, computed the way a training step
     * computes it.
     *
     * @param batch the windows, non-empty. Not modified.
     * @param step the iteration and KL weight
     * @param gradOut receives the gradient of the mean loss. Modified.
     * @return the mean per-window loss
     */
    public double lossAndGradient(List<W> batch, TrainingStep step, double[] gradOut) {
        return workers.lossAndGradient(batch, step, gradOut);
    }

    /** @return the model's validation metric on {@code windows} at its current values, computed in parallel. */
    public double validate(List<W> windows) {
        return model.metric(workers.evaluate(windows));
    }

    /** One iteration: returns the loss, or NaN when the step was skipped because something was not finite. */
    private double optimizerStep(List<W> batch, long iteration) {
        optimizer.setLearningRate(config.learningRate().at(iteration));
        double loss = workers.lossAndGradient(batch, new TrainingStep(iteration, beta(iteration)), gradient);
        double norm = config.clipNorm() < Double.POSITIVE_INFINITY
                ? GradientClipping.clipByGlobalNorm(gradient, config.clipNorm())
                : GradientClipping.globalNorm(gradient);
        if (!Double.isFinite(loss) || !Double.isFinite(norm)) {
            return Double.NaN;
        }
        optimizer.step(model.parameters().values(), gradient);
        return loss;
    }

    private double beta(long iteration) {
        return config.beta().at(iteration);
    }

    private TrainingResult result(Run run, long iterations, DataRange data) {
        boolean early = run.stopping.shouldStop() && iterations < config.iterations();
        boolean kept = run.stopping.bestIteration() > 0;
        long best = kept ? run.stopping.bestIteration() : iterations;
        double metric = kept ? run.stopping.bestMetric() : Double.NaN;
        double seconds = (System.nanoTime() - run.startNanos) * 1e-9;
        Map<String, Double> metrics = new TreeMap<>();
        putFinite(metrics, "train.loss", run.lastLoss);
        putFinite(metrics, "validation." + model.metricName(), metric);
        metrics.put("train.iterations", (double) iterations);
        metrics.put("train.best-iteration", (double) best);
        metrics.put("train.seconds", seconds);
        Checkpoint checkpoint = checkpoint(metrics, data, notes(early, run.skipped));
        config.checkpoint().ifPresent(target -> write(checkpoint, target));
        return new TrainingResult(iterations, early, best, model.metricName(), metric, run.lastLoss, run.skipped,
                seconds, run.progress, checkpoint);
    }

    private Checkpoint checkpoint(Map<String, Double> metrics, DataRange data, String notes) {
        long version = config.checkpoint().map(CheckpointTarget::modelVersion).orElse(0L);
        OptionalLong parent = config.checkpoint().map(CheckpointTarget::parentVersion).orElse(OptionalLong.empty());
        TrainingMetadata training = new TrainingMetadata(Instant.now(), parent, data, metrics, notes);
        return new Checkpoint(version, model.hyperparameters(), model.parameters().layout().blocks(),
                model.parameters().values(), training);
    }

    private String notes(boolean early, long skipped) {
        return "optimizer=" + config.optimizer() + " " + config.adam() + " learningRate=" + config.learningRate()
                + " beta=" + config.beta() + " batchSize=" + config.batchSize() + " shards=" + config.shards()
                + " seed=" + config.seed() + " clipNorm=" + config.clipNorm() + " evaluateEvery="
                + config.evaluateEvery() + " patience=" + config.patience() + " stoppedEarly=" + early
                + " skippedSteps=" + skipped;
    }

    private static void putFinite(Map<String, Double> metrics, String name, double value) {
        if (Double.isFinite(value)) {
            metrics.put(name, value);
        }
    }

    private static void write(Checkpoint checkpoint, CheckpointTarget target) {
        try (OutputStream out = Files.newOutputStream(target.path())) {
            CheckpointCodec.write(checkpoint, out);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write checkpoint " + target.path(), e);
        }
    }

    @Override
    public void close() {
        workers.close();
    }

    /** The state of one call to {@link #train}. */
    private final class Run {

        final MinibatchSampler<W> sampler;
        final List<W> validation;
        final EarlyStopping stopping;
        final List<Progress> progress = new ArrayList<>();
        final Map<String, Double> intervalCounters = new TreeMap<>();
        final long startNanos = System.nanoTime();
        double lastValidation = Double.NaN;
        double lastLoss = Double.NaN;
        long skipped;
        long lastLogged;
        double intervalLoss;
        long intervalSteps;
        long intervalNanos;

        Run(List<W> train, List<W> validation) {
            this.sampler = new MinibatchSampler<>(train, config.batchSize(), config.seed());
            this.validation = List.copyOf(validation);
            this.stopping = new EarlyStopping(config.patience(), model.parameters().size());
            workers.drainCounters();
        }

        void step(long iteration) {
            List<W> batch = sampler.next();
            long start = System.nanoTime();
            double loss = optimizerStep(batch, iteration);
            intervalNanos += System.nanoTime() - start;
            if (Double.isNaN(loss)) {
                skipped++;
            } else {
                intervalLoss += loss;
                intervalSteps++;
            }
            if (iteration % config.evaluateEvery() == 0 || iteration == config.iterations()) {
                evaluate(iteration);
            }
            if (iteration % config.logEvery() == 0) {
                log(iteration);
            }
        }

        void evaluate(long iteration) {
            if (validation.isEmpty()) {
                return;
            }
            collectCounters();
            lastValidation = validate(validation);
            workers.drainCounters();
            stopping.offer(iteration, lastValidation, model.parameters().values());
        }

        void log(long iteration) {
            long iterations = iteration - lastLogged;
            collectCounters();
            Map<String, Double> counters = new TreeMap<>();
            intervalCounters.forEach((name, sum) -> counters.put(name, sum / iterations));
            intervalCounters.clear();
            lastLoss = intervalSteps > 0 ? intervalLoss / intervalSteps : Double.NaN;
            Progress line = new Progress(iteration, lastLoss, model.metricName(), lastValidation,
                    intervalNanos * 1e-9 / iterations, config.learningRate().at(iteration), beta(iteration),
                    counters);
            progress.add(line);
            log.accept(line.format());
            lastLogged = iteration;
            intervalLoss = 0.0;
            intervalSteps = 0;
            intervalNanos = 0;
        }

        /** Moves the workers' counters into this interval's; validation passes drain theirs so they do not count. */
        void collectCounters() {
            workers.drainCounters().forEach((name, value) -> intervalCounters.merge(name, value, Double::sum));
        }

        /**
         * Logs a partial interval and keeps the best parameters. No final evaluation is needed: a run ends at the
         * iteration limit or at an early stop, and both happen on an evaluated iteration.
         */
        void finish(long iteration) {
            if (iteration > lastLogged) {
                log(iteration);
            }
            stopping.restoreBest(model.parameters().values());
        }
    }
}
