package dev.odestream.cli;

import dev.odestream.data.SpiralConfig;
import dev.odestream.model.ModelConfig;
import dev.odestream.plot.Figure;
import dev.odestream.train.baseline.RnnObjective;
import dev.odestream.train.experiments.DemoExperiment;
import dev.odestream.train.experiments.ExperimentFigures;
import dev.odestream.train.experiments.LatentSpiralExperiment;
import dev.odestream.train.experiments.PoissonExperiment;
import dev.odestream.train.experiments.PoissonSequencesExperiment;
import dev.odestream.train.experiments.SpiralExperiment;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The {@code train} command: runs one of the reproductions, printing progress lines (loss, validation metric,
 * seconds per iteration, NFE of the forward and backward solves per iteration), stops early when validation stops
 * improving, and writes the checkpoint ({@code .odsc}), the figure ({@code .svg}) and a Markdown summary to the output
 * directory. See {@link #USAGE}.
 */
public final class TrainCommand {

    /** The help text. */
    public static final String USAGE = """
            usage: train --experiment spirals|poisson|poisson-sequences|demo [options]
                   train --data FILE | --topic NAME [options]   (your own events: train --data x --help)
              --experiment E         spirals (Chen et al. 2018, Table 2 and Figure 9), poisson (Figure 8, one
                                     shared intensity), poisson-sequences (Figure 8, each sequence its own
                                     intensity, inferred from its events), or demo (the engine's default model, on
                                     the demo workload)
              --iterations N         most training iterations (default 3000 spirals and poisson-sequences,
                                     1500 poisson, 600 demo)
              --seed S               seeds data, weights, noise and shuffling (default 1)
              --threads T            worker threads (default: available processors); results do not depend on it
              --out DIR              output directory, created if missing (default train-out)
              --batch N              windows per minibatch (default 50)
              --lr X                 Adam's initial learning rate (default 0.01)
              --patience N           validation passes without improvement before stopping (default 10;
                                     20 for poisson-sequences)
              --evaluate-every N     iterations between validation passes and progress lines (default 50)
            spirals:
              --n N                  observed points per spiral: 30, 50 or 100 in the paper (default 30)
              --count N              spirals in the data set (default 1000: 700 fit, 100 validation, 200 test)
              --obs-std X            observation noise of the likelihood, in units of the data's RMS (default 0.05)
              --lr-decay X           learning-rate factor per iteration, down to a tenth (default 0.999)
              --splits K             training windows per spiral, split at k/K of the observations (default 1)
              --baseline-iterations N  iterations of the GRU-RNN baseline run alongside (default 1500; 0 skips it)
              --batched on|off       one batched solve per shard on the union grid instead of one per spiral
                                     (default off)
            poisson:
              --process P            periodic, rise-decay or both (default both)
              --sequences N          training sequences per process (default 400; 50 validation, 200 test)
            poisson-sequences:
              --sequences N          training sequences (default 400; 50 validation, 200 held-out)
              --seeds LIST           one run per seed, e.g. 1-5 or 1,3,4, then mean +- std (default: --seed)
              --latent N             latent dimension (default 4)
              --encoder N            width of the encoder's state and of its ODE (default 16)
            demo:
              --series N             training series (default 200; validation a tenth, test a fifth of it)
              --windows N            windows cut from each series (default 4)
              --context N            context events per window (default 24)
            """;

    private static final Set<String> INTEGERS = Set.of("iterations", "seed", "threads", "batch", "patience",
            "evaluate-every", "n", "count", "baseline-iterations", "sequences", "splits", "series", "windows",
            "context", "latent", "encoder");
    private static final Set<String> REALS = Set.of("lr", "obs-std", "lr-decay");
    private static final Map<String, Set<String>> CHOICES = Map.of("experiment",
            Set.of("spirals", "poisson", "poisson-sequences", "demo"),
            "process", Set.of("periodic", "rise-decay", "both"), "out", Set.of(), "seeds", Set.of(),
            "batched", Set.of("on", "off"));

    private final Map<String, String> options;
    private final PrintStream out;

    private TrainCommand(Map<String, String> options, PrintStream out) {
        this.options = options;
        this.out = out;
    }

    /** Runs the command; exits with 2 on a usage error. */
    public static void main(String[] args) {
        int status = run(args, System.out);
        if (status != 0) {
            System.exit(status);
        }
    }

    /**
     * Runs the command with output to {@code out}.
     *
     * @return 0 on success, 2 on a usage error (the usage is printed)
     */
    public static int run(String[] args, PrintStream out) {
        List<String> given = List.of(args);
        if (given.contains("--data") || given.contains("--topic")) {
            return TrainDataCommand.run(args, out);
        }
        Map<String, String> options;
        try {
            options = parse(args);
        } catch (IllegalArgumentException e) {
            out.println(e.getMessage());
            out.print(USAGE);
            return 2;
        }
        if (options.containsKey("help")) {
            out.print(USAGE);
            return 0;
        }
        new TrainCommand(options, out).execute();
        return 0;
    }

    /**
     * @return the checked {@code --key value} pairs; {@code --help} maps to an empty value
     * @throws IllegalArgumentException naming the first unknown option, missing or malformed value
     */
    static Map<String, String> parse(String[] args) {
        Map<String, String> options = DataFile.pairs(args, TrainCommand::check);
        if (!options.containsKey("help") && !options.containsKey("experiment")) {
            throw new IllegalArgumentException("--experiment is required");
        }
        return options;
    }

    private static String check(String key, String value) {
        try {
            if (INTEGERS.contains(key)) {
                Long.parseLong(value);
            } else if (REALS.contains(key)) {
                Double.parseDouble(value);
            } else if (!CHOICES.containsKey(key)) {
                throw new IllegalArgumentException("unknown option '--" + key + "'");
            } else if (!CHOICES.get(key).isEmpty() && !CHOICES.get(key).contains(value)) {
                throw new IllegalArgumentException("--" + key + " must be one of " + CHOICES.get(key));
            }
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--" + key + " needs a number, got '" + value + "'");
        }
        return value;
    }

    private void execute() {
        Path dir = Path.of(options.getOrDefault("out", "train-out"));
        createDirectories(dir);
        switch (options.get("experiment")) {
            case "spirals" -> spirals(dir);
            case "poisson" -> poisson(dir);
            case "poisson-sequences" -> poissonSequences(dir);
            default -> demo(dir);
        }
    }

    private void demo(Path dir) {
        DemoExperiment.Settings s = DemoExperiment.Settings.defaults(integer("iterations", 600), seed(), threads());
        int series = integer("series", s.trainSeries());
        s = s.withData(series, Math.max(1, series / 10), Math.max(1, series / 5), integer("windows",
                s.windowsPerSeries()), integer("context", s.contextEvents()));
        s = s.withTraining(integer("batch", s.batchSize()), real("lr", s.learningRate()), s.klWarmup(),
                integer("evaluate-every", s.evaluateEvery()), integer("patience", s.patience()))
                .withCheckpoint(dir.resolve("latent-ode-demo.odsc"));
        out.println("latent ODE on the demo workload: " + s);
        DemoExperiment.Report report = DemoExperiment.run(s, out::println);
        out.println(report.format());
        write(dir.resolve("demo.md"), report.format() + "\n");
        out.println("wrote " + dir.resolve("demo.md") + " and " + s.checkpoint().orElseThrow());
    }

    private void spirals(Path dir) {
        int n = integer("n", 30);
        String stem = "spirals-n" + n;
        LatentSpiralExperiment.Settings settings = spiralSettings(n, dir.resolve("latent-ode-" + stem + ".odsc"));
        out.println("latent ODE on spirals: " + settings);
        LatentSpiralExperiment.Report latent = LatentSpiralExperiment.run(settings, out::println);
        out.println(latent.format());
        Optional<SpiralExperiment.Report> baseline = baseline(n, settings.data().count());
        String table = LatentSpiralExperiment.table(n, latent.testRmse(),
                baseline.map(SpiralExperiment.Report::testRmse).orElse(Double.NaN));
        out.println(table);
        Figure figure = ExperimentFigures.spirals(latent, baseline.map(SpiralExperiment.Report::predictions), 2, 3);
        write(dir.resolve(stem + ".svg"), figure.toSvg());
        List<String> lines = new ArrayList<>(List.of(table, "", latent.format()));
        baseline.ifPresent(b -> lines.add("GRU-RNN baseline: " + b.format()));
        write(dir.resolve(stem + ".md"), String.join("\n", lines) + "\n");
        out.println("wrote " + dir.resolve(stem + ".svg") + ", " + dir.resolve(stem + ".md") + " and "
                + settings.checkpoint().orElseThrow());
    }

    private LatentSpiralExperiment.Settings spiralSettings(int n, Path checkpoint) {
        LatentSpiralExperiment.Settings s = LatentSpiralExperiment.Settings.paper(n, integer("iterations", 3000),
                seed(), threads());
        s = s.withData(SpiralConfig.paper(n).withCount(integer("count", 1000)));
        s = s.withModel(s.model().withObservationStd(real("obs-std", s.model().observationStd())));
        return s.withTraining(integer("batch", s.batchSize()), real("lr", s.learningRate()), s.klWarmup(),
                integer("evaluate-every", s.evaluateEvery()), integer("patience", s.patience()))
                .withSchedule(real("lr-decay", s.learningRateDecay()), integer("splits", s.splits()))
                .withCheckpoint(checkpoint).withBatched(options.getOrDefault("batched", "off").equals("on"));
    }

    private Optional<SpiralExperiment.Report> baseline(int n, int count) {
        int iterations = integer("baseline-iterations", 1500);
        if (iterations == 0) {
            return Optional.empty();
        }
        SpiralExperiment.Settings p = SpiralExperiment.Settings.paper(n, iterations, seed(), threads());
        SpiralExperiment.Settings s = new SpiralExperiment.Settings(p.data().withCount(count), iterations, seed(),
                threads(), p.hiddenSize(), p.batchSize(), p.learningRate(), RnnObjective.EXTRAPOLATION,
                Optional.empty());
        out.println("GRU-RNN baseline on the same spirals: " + s);
        SpiralExperiment.Report report = SpiralExperiment.run(s, out::println);
        out.println("GRU-RNN baseline: " + report.format());
        return Optional.of(report);
    }

    private void poisson(Path dir) {
        List<PoissonExperiment.Report> reports = new ArrayList<>();
        for (PoissonExperiment.Process process : processes(options.getOrDefault("process", "both"))) {
            PoissonExperiment.Settings settings = poissonSettings(process,
                    dir.resolve("latent-ode-poisson-" + process.name() + ".odsc"));
            out.println("latent ODE with a Poisson likelihood: " + settings);
            PoissonExperiment.Report report = PoissonExperiment.run(settings, out::println);
            out.println(report.format());
            reports.add(report);
        }
        String table = PoissonExperiment.table(reports);
        out.println(table);
        write(dir.resolve("poisson-intensity.svg"), ExperimentFigures.intensities(reports).toSvg());
        List<String> lines = new ArrayList<>(List.of(table, ""));
        reports.forEach(r -> lines.add(r.format()));
        write(dir.resolve("poisson.md"), String.join("\n", lines) + "\n");
        out.println("wrote " + dir.resolve("poisson-intensity.svg") + ", " + dir.resolve("poisson.md")
                + " and the checkpoints");
    }

    /** Trains and scores one model per seed of {@code --seeds} (default: {@code --seed}), then the mean and spread. */
    private void poissonSequences(Path dir) {
        List<Long> seeds = seeds();
        List<PoissonSequencesExperiment.Scores> scores = new ArrayList<>();
        StringBuilder rows = new StringBuilder(PoissonSequencesExperiment.Scores.header());
        long started = System.nanoTime();
        for (long seed : seeds) {
            PoissonSequencesExperiment.Settings s = PoissonSequencesExperiment.Settings.defaults(
                    integer("iterations", 3000), seed, threads());
            s = s.withCounts(integer("sequences", s.trainCount()), s.validationCount(), s.testCount());
            ModelConfig m = s.model();
            int encoder = integer("encoder", m.encoderHidden());
            s = s.withModel(new ModelConfig(m.observationDim(), m.eventTypes(), integer("latent", m.latentDim()),
                    encoder, encoder, m.dynamicsHidden(), m.decoderHidden(), m.activation(), m.observationStd(),
                    m.forecastSamples(), m.rtol(), m.atol(), m.forecastRtol(), m.forecastAtol(), m.dynamics(),
                    m.maxGap()));
            s = s.withTraining(integer("batch", s.batchSize()), real("lr", s.learningRate()), s.klWarmup(),
                    integer("evaluate-every", s.evaluateEvery()), integer("patience", s.patience()))
                    .withCheckpoint(dir.resolve("latent-ode-poisson-sequences-seed" + seed + ".odsc"));
            out.println("latent ODE inferring each sequence's intensity: " + s);
            PoissonSequencesExperiment.Report report = PoissonSequencesExperiment.run(s, out::println);
            out.println(report.format());
            scores.add(report.scores());
            rows.append('\n').append(report.scores().row(seed));
        }
        String table = rows + "\n" + PoissonSequencesExperiment.Scores.summary(scores) + "\n\n"
                + String.format(Locale.ROOT, "seeds %s, %.0f s wall time in all", seeds,
                        (System.nanoTime() - started) / 1e9);
        out.println(table);
        write(dir.resolve("poisson-sequences.md"), table + "\n");
        out.println("wrote " + dir.resolve("poisson-sequences.md") + " and one checkpoint per seed");
    }

    /** @return the seeds of {@code --seeds} ("1-5" or "1,2,7"), or the one {@code --seed}. */
    private List<Long> seeds() {
        String spec = options.get("seeds");
        if (spec == null) {
            return List.of(seed());
        }
        List<Long> seeds = new ArrayList<>();
        for (String part : spec.split(",")) {
            String[] range = part.strip().split("-");
            long from = Long.parseLong(range[0].strip());
            long to = range.length > 1 ? Long.parseLong(range[1].strip()) : from;
            for (long s = from; s <= to; s++) {
                seeds.add(s);
            }
        }
        return seeds;
    }

    private PoissonExperiment.Settings poissonSettings(PoissonExperiment.Process process, Path checkpoint) {
        PoissonExperiment.Settings s = PoissonExperiment.Settings.defaults(process, integer("iterations", 1500),
                seed(), threads());
        s = s.withCounts(integer("sequences", s.trainCount()), s.validationCount(), s.testCount());
        return s.withTraining(integer("batch", s.batchSize()), real("lr", s.learningRate()), s.klWarmup(),
                integer("evaluate-every", s.evaluateEvery()), integer("patience", s.patience()))
                .withCheckpoint(checkpoint);
    }

    private static List<PoissonExperiment.Process> processes(String which) {
        return switch (which) {
            case "periodic" -> List.of(PoissonExperiment.Process.periodic());
            case "rise-decay" -> List.of(PoissonExperiment.Process.riseDecay());
            default -> List.of(PoissonExperiment.Process.periodic(), PoissonExperiment.Process.riseDecay());
        };
    }

    private long seed() {
        return Long.parseLong(options.getOrDefault("seed", "1"));
    }

    private int threads() {
        return integer("threads", Runtime.getRuntime().availableProcessors());
    }

    private int integer(String key, int fallback) {
        return options.containsKey(key) ? Integer.parseInt(options.get(key)) : fallback;
    }

    private double real(String key, double fallback) {
        return options.containsKey(key) ? Double.parseDouble(options.get(key)) : fallback;
    }

    private static void createDirectories(Path dir) {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + dir, e);
        }
    }

    private static void write(Path path, String text) {
        try {
            Files.writeString(path, text, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + path, e);
        }
    }
}
