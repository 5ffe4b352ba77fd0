package dev.odestream.cli;

import dev.odestream.dataset.CsvLayout;
import dev.odestream.dataset.Dataset;
import dev.odestream.dataset.EventFile;
import dev.odestream.dataset.OnBadRow;
import dev.odestream.dataset.ReadResult;
import dev.odestream.dataset.TimeFormat;
import dev.odestream.dataset.TimeSplit;
import dev.odestream.evaluate.Baselines;
import dev.odestream.evaluate.Evaluator;
import dev.odestream.evaluate.Forecaster;
import dev.odestream.evaluate.ModelForecaster;
import dev.odestream.evaluate.Prior;
import dev.odestream.evaluate.Scoreboard;
import dev.odestream.model.checkpoint.LoadedModel;
import dev.odestream.model.checkpoint.ModelRejectedException;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The {@code evaluate} command: reads a user's event file and prints the scoreboard of the baselines, one step ahead
 * on the held-out tail of each series, and optionally writes it as JSON. See {@link #USAGE}.
 */
public final class EvaluateCommand {

    /** The help text. */
    public static final String USAGE = """
            usage: evaluate --data FILE [options]
              --data FILE                 events, CSV with a header or JSON lines (one event a line with a key)
              --format csv|jsonl          the file's form (default: jsonl for .jsonl and .json, else csv)
              --key COLUMN                CSV column of the series id (default key)
              --time COLUMN               CSV column of the time: epoch ms or ISO-8601 with an offset (default time)
              --values A,B                CSV value columns (default: every other column; none for point events)
              --skip-bad-rows yes|no      leave out bad rows and count them (default no: stop at the first)
              --test-fraction X           share of each series held out as its tail (default 0.2)
              --validation-fraction X     share before the tail kept for validation (default 0.1)
              --min-events N              series with fewer events are left out (default 3)
              --intensity-unit D          time unit of intensities in the event NLL, e.g. 24h, 1h, PT1M
                                          (default 24h)
              --checkpoint FILE           also score this model (.odsc or a JSON envelope), as the engine would
                                          serve it, beside the baselines
              --json FILE                 also write the scoreboard as JSON
            """;

    private static final Set<String> REALS = Set.of("test-fraction", "validation-fraction");
    private static final Set<String> TEXTS = Set.of("data", "format", "key", "time", "values", "json", "checkpoint",
            "intensity-unit", "min-events", "skip-bad-rows");

    private final Map<String, String> options;
    private final PrintStream out;

    private EvaluateCommand(Map<String, String> options, PrintStream out) {
        this.options = options;
        this.out = out;
    }

    /** Runs the command; exits with 2 on a usage error, 1 if the data cannot be read. */
    public static void main(String[] args) {
        int status = run(args, System.out);
        if (status != 0) {
            System.exit(status);
        }
    }

    /**
     * Runs the command with output to {@code out}.
     *
     * @return 0 on success, 1 if the data cannot be read or the JSON written, 2 on a usage error (the usage is
     *     printed)
     */
    public static int run(String[] args, PrintStream out) {
        EvaluateCommand command;
        try {
            Map<String, String> options = parse(args);
            if (options.containsKey("help")) {
                out.print(USAGE);
                return 0;
            }
            command = new EvaluateCommand(options, out);
            command.evaluator();
        } catch (IllegalArgumentException e) {
            out.println(e.getMessage());
            out.print(USAGE);
            return 2;
        }
        try {
            command.execute();
            return 0;
        } catch (IOException e) {
            out.println("evaluate: " + e.getMessage());
            return 1;
        }
    }

    /**
     * @return the {@code --key value} pairs; {@code --help} maps to an empty value
     * @throws IllegalArgumentException naming the first unknown option, missing or malformed value
     */
    static Map<String, String> parse(String[] args) {
        Map<String, String> options = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--help") || args[i].equals("-h")) {
                options.put("help", "");
                continue;
            }
            String key = args[i].startsWith("--") ? args[i].substring(2) : args[i];
            if (!REALS.contains(key) && !TEXTS.contains(key)) {
                throw new IllegalArgumentException("unknown option '" + args[i] + "'");
            }
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException("option '" + args[i] + "' needs a value");
            }
            options.put(key, args[++i]);
        }
        if (!options.containsKey("help") && !options.containsKey("data")) {
            throw new IllegalArgumentException("--data is required");
        }
        return options;
    }

    /** @throws IllegalArgumentException naming a bad split, unit or choice */
    private Evaluator evaluator() {
        String current = null;
        try {
            current = "test-fraction";
            double test = Double.parseDouble(options.getOrDefault(current, "0.2"));
            current = "validation-fraction";
            double validation = Double.parseDouble(options.getOrDefault(current, "0.1"));
            current = "min-events";
            int minEvents = Integer.parseInt(options.getOrDefault(current, "3"));
            current = "intensity-unit";
            Duration unit = CliOptions.duration(options.getOrDefault(current, "24h"));
            choice("format", "csv", "jsonl");
            choice("skip-bad-rows", "yes", "no");
            return new Evaluator(new TimeSplit(validation, test, minEvents), unit);
        } catch (NumberFormatException | java.time.format.DateTimeParseException e) {
            throw new IllegalArgumentException("bad value for --" + current + ": '" + options.get(current) + "'");
        }
    }

    private void choice(String key, String... allowed) {
        if (options.containsKey(key) && !Arrays.asList(allowed).contains(options.get(key))) {
            throw new IllegalArgumentException("--" + key + " must be one of " + Arrays.toString(allowed));
        }
    }

    private void execute() throws IOException {
        Path file = Path.of(options.get("data"));
        ReadResult read = read(file);
        Dataset data = read.dataset();
        out.println(file.getFileName() + ": " + data.summary().describe());
        if (read.skippedRows() > 0) {
            out.println("skipped " + read.skippedRows() + " bad rows: " + read.skippedByReason());
        }
        Scoreboard board;
        if (options.containsKey("checkpoint")) {
            ModelForecaster model = new ModelForecaster(checkpoint(data));
            board = evaluator().score(file.getFileName().toString(), data.allSeries(), data.valueNames(),
                    parts -> withModel(Baselines.all(Prior.fit(parts.values().stream().map(TimeSplit.Parts::train)
                            .toList(), data.dimension())), model));
            out.print(board.format());
            out.println("model failures (forecasts and updates not made): " + model.failures());
        } else {
            board = evaluator().scoreBaselines(file.getFileName().toString(), data.allSeries(), data.valueNames());
            out.print(board.format());
        }
        if (options.containsKey("json")) {
            Path json = Path.of(options.get("json"));
            Files.writeString(json, board.toJson() + "\n", StandardCharsets.UTF_8);
            out.println("wrote " + json);
        }
    }

    private LoadedModel checkpoint(Dataset data) throws IOException {
        Path path = Path.of(options.get("checkpoint"));
        LoadedModel model;
        try {
            model = LoadedModel.read(Files.readAllBytes(path));
        } catch (ModelRejectedException e) {
            throw new IOException(path + ": " + e.getMessage(), e);
        }
        if (data.dimension() != 0 && data.dimension() != model.config().observationDim()) {
            throw new IOException(path + " is a model of " + model.spec().shape() + "; the data have "
                    + data.dimension() + " values (" + String.join(", ", data.valueNames()) + ")");
        }
        return model;
    }

    private static List<Forecaster> withModel(List<Forecaster> baselines, Forecaster model) {
        List<Forecaster> all = new ArrayList<>(baselines);
        all.add(model);
        return all;
    }

    private ReadResult read(Path file) throws IOException {
        OnBadRow policy = options.getOrDefault("skip-bad-rows", "no").equals("yes") ? OnBadRow.SKIP : OnBadRow.FAIL;
        String name = file.getFileName().toString();
        String format = options.getOrDefault("format", name.endsWith(".jsonl") || name.endsWith(".json") ? "jsonl"
                : "csv");
        if (format.equals("jsonl")) {
            return EventFile.readJsonLines(file, policy);
        }
        String key = options.getOrDefault("key", "key");
        String time = options.getOrDefault("time", "time");
        List<String> values = options.containsKey("values") ? columns(options.get("values"))
                : otherColumns(file, key, time);
        return EventFile.readCsv(file, new CsvLayout(key, time, values, TimeFormat.EPOCH_MILLIS, false), policy);
    }

    private static List<String> columns(String list) {
        return Arrays.stream(list.split(",")).map(String::trim).filter(c -> !c.isEmpty()).toList();
    }

    /** @return the header's columns other than the key and time, for a header of plain (unquoted) names. */
    private static List<String> otherColumns(Path file, String key, String time) throws IOException {
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String header = in.readLine();
            if (header == null) {
                return List.of();
            }
            return columns(header.replace("\uFEFF", "")).stream().filter(c -> !c.equals(key) && !c.equals(time))
                    .toList();
        }
    }
}
