package dev.odestream.cli;

import dev.odestream.dataset.DataTraining;
import dev.odestream.dataset.Dataset;
import dev.odestream.dataset.ReadResult;
import dev.odestream.dataset.TimeSplit;
import dev.odestream.dataset.TopicHistory;
import dev.odestream.evaluate.Gaussian;
import dev.odestream.model.DataSpec;
import dev.odestream.model.ForecastPoint;
import dev.odestream.model.ValueTransform;
import dev.odestream.model.LevelRule;
import dev.odestream.model.checkpoint.CheckpointCodec;
import dev.odestream.model.checkpoint.LoadedModel;
import dev.odestream.model.checkpoint.TrainingMetadata;
import dev.odestream.plot.Figure;
import dev.odestream.plot.Panel;
import dev.odestream.plot.Style;
import dev.odestream.stream.Event;
import dev.odestream.stream.SeriesModel;
import dev.odestream.stream.SeriesSnapshot;
import dev.odestream.stream.TimeScale;
import dev.odestream.train.TrainingResult;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Properties;
import java.util.Set;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code train --data FILE}: fits the latent ODE to a user's event file ({@link DataTraining}) and writes what a user
 * needs next: the checkpoint the engine serves ({@code model.odsc}, with the data's shape and units), a Markdown
 * summary of the choices made and how training went, and figures (held-out series with the forecast band and the
 * intensity; the calibration of the forecast intervals on the validation events). The test tail of each series is
 * not looked at here; {@code evaluate --checkpoint} scores it, beside the baselines.
 */
final class TrainDataCommand {

    /** The help text. */
    static final String USAGE = "usage: train --data FILE [options]\n       train --topic events"
            + " --bootstrap-servers HOST:PORT [options]\n" + DataFile.USAGE + """
              --topic NAME                train on the retained history of this events topic instead of a file
              --bootstrap-servers H:P     the cluster of --topic
              --properties FILE           Kafka client properties for --topic (TLS, SASL, ...)
              --out DIR                   output directory, created if missing (default train-out)
              --log auto|none             log positive right-skewed values before scaling (default auto)
              --latent N                  latent state size (default 4)
              --hidden N                  hidden width of every network (default 24)
              --obs-std X                 observation noise on the standardised scale, or its start when
                                          learned (default 0.5)
              --window N                  most events per training window (default 16)
              --iterations N              most optimizer steps (default 600)
              --batch N                   windows per step (default 32)
              --lr X                      Adam's initial learning rate (default 0.01)
              --evaluate-every N          steps between validation passes (default 25)
              --patience N                validation passes without improvement before stopping (default 8)
              --threads N                 worker threads (default: available processors)
              --seed S                    seeds weights, noise and minibatch order (default 1)
              --level RULE                forecast values as departures from each series' level: none, last
                                          (last value), mean (of the last 16 events), ewma (alpha 0.3 over the
                                          last 16) or ewma:ALPHA:WINDOW (default ewma:0.5:16)
              --calibrate yes|no          fit a spread and intensity calibration on the validation slices
                                          after training (default yes)
              --learn-noise yes|no        learn the observation noise per value, starting at --obs-std
                                          (default yes)
            """;

    private static final Set<String> OWN = Set.of("topic", "bootstrap-servers", "properties", "out", "log",
            "latent", "hidden", "obs-std", "window", "iterations", "batch", "lr", "evaluate-every", "patience",
            "threads", "seed", "level", "calibrate", "learn-noise");
    /** The start of the trainer's progress line ({@link dev.odestream.train.Progress#format}). */
    private static final Pattern ITERATION = Pattern.compile(
            "^it\\s+(\\d+)\\s+loss\\s+(\\S+)\\s+val\\.(\\S+)\\s+(\\S+)");
    private static final int BAR = 24;
    private static final Duration HISTORY_TIMEOUT = Duration.ofMinutes(2);
    private static final int FIGURE_SERIES = 3;
    private static final double[] LEVELS = {0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 0.95};

    private final Map<String, String> options;
    private final PrintStream out;

    private TrainDataCommand(Map<String, String> options, PrintStream out) {
        this.options = options;
        this.out = out;
    }

    /**
     * Runs the command with output to {@code out}.
     *
     * @return 0 on success, 1 if the data cannot be read or outputs written, 2 on a usage error
     */
    static int run(String[] args, PrintStream out) {
        TrainDataCommand command;
        DataTraining.Settings settings;
        try {
            Map<String, String> options = DataFile.parse(args, OWN);
            if (options.containsKey("help")) {
                out.print(USAGE);
                return 0;
            }
            DataFile.choice(options, "log", "auto", "none");
            DataFile.choice(options, "calibrate", "yes", "no");
            DataFile.choice(options, "learn-noise", "yes", "no");
            command = new TrainDataCommand(options, out);
            settings = command.settings();
        } catch (IllegalArgumentException e) {
            out.println(e.getMessage());
            out.print(USAGE);
            return 2;
        }
        try {
            command.execute(settings);
            return 0;
        } catch (IOException | IllegalArgumentException e) {
            out.println("train: " + e.getMessage());
            return 1;
        }
    }

    private DataTraining.Settings settings() {
        DataTraining.Settings d = DataTraining.Settings.defaults();
        return new DataTraining.Settings(DataFile.split(options),
                options.getOrDefault("log", "auto").equals("none") ? DataTraining.LogChoice.NONE
                        : DataTraining.LogChoice.AUTO,
                integer("latent", d.latentDim()), integer("hidden", d.hidden()),
                DataFile.number(options, "obs-std", d.observationStd()), integer("window", d.windowEvents()),
                integer("iterations", d.iterations()), integer("batch", d.batchSize()),
                DataFile.number(options, "lr", d.learningRate()), integer("evaluate-every", d.evaluateEvery()),
                integer("patience", d.patience()), integer("threads", d.threads()), integer("seed", (int) d.seed()),
                options.containsKey("level") ? LevelRule.parse(options.get("level")) : d.level(),
                options.containsKey("calibrate") ? options.get("calibrate").equals("yes") : d.calibrate(),
                options.containsKey("learn-noise") ? options.get("learn-noise").equals("yes") : d.learnNoise());
    }

    private int integer(String key, int otherwise) {
        return DataFile.integer(options, key, otherwise);
    }

    private void execute(DataTraining.Settings settings) throws IOException {
        Path dir = Path.of(options.getOrDefault("out", "train-out"));
        Files.createDirectories(dir);
        Dataset data = read();
        String name = options.containsKey("topic") ? "topic " + options.get("topic")
                : Path.of(options.get("data")).getFileName().toString();
        out.println(name + ": " + data.summary().describe());
        out.println("split: " + settings.split().describe());
        DataTraining.Result result = DataTraining.fit(data, settings, new ProgressBar(settings.iterations(), out));
        out.println();
        LoadedModel model = result.model();
        out.println("units: " + units(model.spec()));
        Path checkpoint = dir.resolve("model.odsc");
        Files.write(checkpoint, CheckpointCodec.encode(model.toCheckpoint(metadata(result, name))));
        Map<String, TimeSplit.Parts<Event>> parts = settings.split().splitAll(data.allSeries(), Event::timeMs);
        Path forecast = dir.resolve("forecast.svg");
        forecastFigure(model, parts).write(forecast);
        Path calibration = dir.resolve("calibration.svg");
        double[] coverage = coverage(model, parts);
        calibrationFigure(coverage).write(calibration);
        Path summary = dir.resolve("summary.md");
        Files.writeString(summary, summary(name, data, settings, result, coverage), StandardCharsets.UTF_8);
        out.printf(Locale.ROOT, "trained in %s: %d steps, best validation %s %.4f at step %d%n",
                human(result.took()), result.training().iterations(), result.training().metricName(),
                result.training().bestMetric(), result.training().bestIteration());
        out.println("wrote " + checkpoint + ", " + summary + ", " + forecast + ", " + calibration);
        out.println("next: evaluate --data " + options.getOrDefault("data", "FILE") + " --checkpoint " + checkpoint);
    }

    private Dataset read() throws IOException {
        if (!options.containsKey("topic")) {
            ReadResult read = DataFile.read(options);
            if (read.skippedRows() > 0) {
                out.println("skipped " + read.skippedRows() + " bad rows: " + read.skippedByReason());
            }
            return read.dataset();
        }
        Properties client = new Properties();
        if (options.containsKey("properties")) {
            try (var in = Files.newInputStream(Path.of(options.get("properties")))) {
                client.load(in);
            }
        }
        client.put("bootstrap.servers", options.getOrDefault("bootstrap-servers", client.getProperty(
                "bootstrap.servers", "localhost:9092")));
        TopicHistory.Result history = TopicHistory.read(client, options.get("topic"), HISTORY_TIMEOUT);
        out.println("read " + history.records() + " records of topic " + options.get("topic") + (history.skipped()
                .isEmpty() ? "" : ", skipped " + history.skipped()));
        return history.dataset();
    }

    private static TrainingMetadata metadata(DataTraining.Result result, String data) {
        TrainingResult t = result.training();
        return new TrainingMetadata(Instant.now(), OptionalLong.empty(), t.checkpoint().training().dataRange(),
                Map.of("validation." + t.metricName(), t.bestMetric()), "trained on " + data + " by train --data");
    }

    /** A one-line bar with the latest loss, validation score and ETA, redrawn at each progress line. */
    private static final class ProgressBar implements Consumer<String> {
        private final long total;
        private final PrintStream out;
        private final long start = System.nanoTime();

        ProgressBar(long total, PrintStream out) {
            this.total = total;
            this.out = out;
        }

        @Override
        public void accept(String line) {
            Matcher m = ITERATION.matcher(line);
            if (!m.find()) {
                return;
            }
            long done = Long.parseLong(m.group(1));
            double seconds = (System.nanoTime() - start) * 1e-9;
            int filled = (int) Math.min(BAR, BAR * done / total);
            out.printf(Locale.ROOT, "\r[%s%s] %d/%d  loss %s  val.%s %s  eta %s   ", "#".repeat(filled),
                    ".".repeat(BAR - filled), done, total, m.group(2), m.group(3), m.group(4),
                    human(Duration.ofMillis((long) (1000 * seconds * (total - done) / Math.max(1, done)))));
            out.flush();
        }
    }

    private static String units(DataSpec spec) {
        StringBuilder text = new StringBuilder("one model time unit = " + human(Duration.ofMillis((long) spec
                .timeUnitMs())));
        for (int d = 0; d < spec.observationDim(); d++) {
            ValueTransform t = spec.transforms().get(d);
            text.append(String.format(Locale.ROOT, "; %s: %s(x) - %.4g over %.4g", spec.valueNames().get(d),
                    t.log() ? "log" : "", t.location(), t.scale()));
        }
        text.append("; level: ").append(spec.level().describe());
        if (!spec.calibration().isIdentity()) {
            text.append("; calibration on validation: std x ").append(Arrays.toString(spec.calibration().stdScale()
                    )).append(String.format(Locale.ROOT, ", intensity x %.4g", spec.calibration().intensityScale()));
        }
        return text.toString();
    }

    /** The held-out tails of the series with the most events: observations before, forecast band and intensity. */
    private static Figure forecastFigure(LoadedModel model, Map<String, TimeSplit.Parts<Event>> parts) {
        List<String> keys = parts.keySet().stream()
                .sorted(Comparator.comparingInt((String k) -> -parts.get(k).train().size()).thenComparing(k -> k))
                .limit(FIGURE_SERIES).toList();
        Figure figure = new Figure(2, keys.size(), 360, 220).title("held-out tails: forecast of "
                + model.spec().valueNames().getFirst() + " from the last event before the tail, and the intensity");
        SeriesModel series = new SeriesModel(model, TimeScale.seconds(), 64, 0, 64);
        for (int c = 0; c < keys.size(); c++) {
            TimeSplit.Parts<Event> p = parts.get(keys.get(c));
            SeriesSnapshot state = encode(series, p.beforeTest());
            long tau = state.lastTimeMs();
            long end = p.test().getLast().timeMs();
            long[] times = new long[48];
            for (int i = 0; i < times.length; i++) {
                times[i] = tau + (end - tau) * (i + 1) / times.length;
            }
            List<ForecastPoint> points = series.points(state, times);
            double unit = model.spec().timeUnitMs();
            double[] x = points.stream().mapToDouble(f -> (f.time() - tau) / unit).toArray();
            double[] mean = points.stream().mapToDouble(f -> f.mean()[0]).toArray();
            double[] spread = points.stream().mapToDouble(f -> 2 * f.std()[0]).toArray();
            double[] lambda = points.stream().mapToDouble(f -> sum(f.intensity()) * unit / 1000).toArray();
            Panel values = figure.panel(0, c).title(keys.get(c)).xLabel("model time units after the last event");
            values.bandAround(c == 0 ? "mean +- 2 std" : "", x, mean, spread, Style.palette(0).withOpacity(0.25))
                    .line(c == 0 ? "forecast mean" : "", x, mean, Style.palette(0).withWidth(1.5));
            scatter(values, c == 0 ? "before (last 8)" : "", tail(p.beforeTest(), 8), tau, unit, Style.palette(3));
            scatter(values, c == 0 ? "held out" : "", p.test(), tau, unit, Style.palette(1));
            figure.panel(1, c).xLabel("model time units after the last event").yLabel("events per model unit")
                    .line(c == 0 ? "intensity" : "", x, lambda, Style.palette(4).withWidth(1.5))
                    .events(c == 0 ? "held-out events" : "", p.test().stream()
                            .mapToDouble(e -> (e.timeMs() - tau) / unit).toArray(), Style.palette(1));
        }
        return figure;
    }

    private static void scatter(Panel panel, String label, List<Event> events, long tau, double unit, Style style) {
        List<Event> valued = events.stream().filter(e -> !e.isPoint() && e.isPresent(0)).toList();
        panel.scatter(label, valued.stream().mapToDouble(e -> (e.timeMs() - tau) / unit).toArray(),
                valued.stream().mapToDouble(e -> e.values()[0]).toArray(), style.withRadius(2.5));
    }

    /**
     * The share of validation values inside the central interval of each level, one step ahead: the model has seen
     * every event before the one it forecasts, as in serving.
     */
    private static double[] coverage(LoadedModel model, Map<String, TimeSplit.Parts<Event>> parts) {
        SeriesModel series = new SeriesModel(model, TimeScale.seconds(), 64, 0, 1);
        long[] inside = new long[LEVELS.length];
        long scored = 0;
        for (TimeSplit.Parts<Event> p : parts.values()) {
            SeriesSnapshot state = encode(series, p.train());
            for (Event e : p.validation()) {
                if (state != null && !e.isPoint()) {
                    ForecastPoint f = series.points(state, new long[] {Math.max(e.timeMs(), state.lastTimeMs())})
                            .getFirst();
                    for (int d = 0; d < e.dimension(); d++) {
                        if (e.isPresent(d)) {
                            double z = Math.abs(e.values()[d] - f.mean()[d]) / f.std()[d];
                            double central = 2 * Gaussian.cdf(z) - 1;
                            for (int l = 0; l < LEVELS.length; l++) {
                                inside[l] += central <= LEVELS[l] ? 1 : 0;
                            }
                            scored++;
                        }
                    }
                }
                state = step(series, state, e);
            }
        }
        double[] share = new double[LEVELS.length];
        for (int l = 0; l < LEVELS.length; l++) {
            share[l] = scored == 0 ? Double.NaN : (double) inside[l] / scored;
        }
        return share;
    }

    private static Figure calibrationFigure(double[] coverage) {
        Figure figure = new Figure(1, 1, 360, 300).title("calibration on the validation events (one step ahead)");
        figure.panel(0, 0).xLabel("nominal coverage of the central interval").yLabel("observed coverage")
                .xRange(0, 1).yRange(0, 1).line("ideal", new double[] {0, 1}, new double[] {0, 1},
                        Style.of("#4a5568").withDash("4 3"))
                .line("model", LEVELS, coverage, Style.palette(0).withWidth(1.5))
                .scatter("", LEVELS, coverage, Style.palette(0).withRadius(3));
        return figure;
    }

    private static SeriesSnapshot encode(SeriesModel series, List<Event> events) {
        SeriesSnapshot state = null;
        for (Event e : events) {
            state = step(series, state, e);
        }
        return state;
    }

    private static SeriesSnapshot step(SeriesModel series, SeriesSnapshot state, Event e) {
        return series.update(state, e) instanceof SeriesModel.Updated u ? u.snapshot() : state;
    }

    private String summary(String name, Dataset data, DataTraining.Settings s, DataTraining.Result result,
                           double[] coverage) {
        TrainingResult t = result.training();
        StringBuilder md = new StringBuilder("# latent ODE trained on " + name + "\n\n");
        md.append("- data: ").append(data.summary().describe().replace("\n", "; ")).append('\n');
        md.append("- split: ").append(s.split().describe()).append('\n');
        md.append("- units chosen on the training parts: ").append(units(result.model().spec())).append('\n');
        md.append(String.format(Locale.ROOT, "- model: latent %d, hidden %d, observation std %.3g (standardised);"
                + " %d training and %d validation windows of up to %d events%n", s.latentDim(), s.hidden(),
                s.observationStd(), result.trainWindows(), result.validationWindows(), s.windowEvents()));
        md.append(String.format(Locale.ROOT, "- training: %d steps of %d windows (lr %.3g, seed %d) in %s%s;"
                + " best validation %s %.4f at step %d%n", t.iterations(), s.batchSize(), s.learningRate(),
                s.seed(), human(result.took()), t.stoppedEarly() ? ", stopped early" : "", t.metricName(),
                t.bestMetric(), t.bestIteration()));
        md.append("- validation coverage of the central intervals (one step ahead):");
        for (int l = 0; l < LEVELS.length; l++) {
            md.append(String.format(Locale.ROOT, " %.0f%%: %.2f", 100 * LEVELS[l], coverage[l]));
        }
        md.append("\n\nThe test tail of each series was not used. Score it against the baselines with\n\n```\n")
                .append("evaluate --data ").append(options.getOrDefault("data", "FILE"))
                .append(" --checkpoint model.odsc\n```\n\n")
                .append("![forecast](forecast.svg)\n\n![calibration](calibration.svg)\n\n## progress\n\n```\n");
        t.progress().forEach(p -> md.append(p.format()).append('\n'));
        return md.append("```\n").toString();
    }

    private static List<Event> tail(List<Event> events, int n) {
        return events.subList(Math.max(0, events.size() - n), events.size());
    }

    private static double sum(double[] values) {
        double s = 0;
        for (double v : values) {
            s += v;
        }
        return s;
    }

    static String human(Duration d) {
        long s = d.toSeconds();
        return s < 60 ? d.toMillis() / 1000.0 + " s" : s < 3600 ? s / 60 + " min " + s % 60 + " s"
                : s < 86_400 ? s / 3600 + " h " + s % 3600 / 60 + " min"
                : s % 86_400 == 0 ? s / 86_400 + " d" : s / 86_400 + " d " + s % 86_400 / 3600 + " h";
    }
}
