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
import dev.odestream.evaluate.RecordedForecaster;
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
import java.util.Objects;
import java.util.Set;

/**
 * The {@code evaluate} command: reads a user's event file and prints the scoreboard of the baselines, one step ahead
 * on the held-out tail of each series, and optionally writes it as JSON. See {@link #USAGE}.
 */
public final class EvaluateCommand {

    /** The help text. */
    public static final String USAGE = "usage: evaluate --data FILE [options]\n" + DataFile.USAGE + """
              --intensity-unit D          time unit of intensities in the event NLL, e.g. 24h, 1h, PT1M
                                          (default 24h)
              --checkpoint FILE           also score this model (.odsc or a JSON envelope), as the engine would
                                          serve it, beside the baselines
              --forecasts FILE            also score forecasts recorded in this file (JSON lines, see
                                          schemas/recorded-forecast.schema.json; replay writes them), matched
                                          by series and time; a target with none is left unscored
              --on test|validation        the part of each series scored: the held-out test tail (default), or
                                          the validation slice, to choose between models without the test tail
              --json FILE                 also write the scoreboard as JSON
            """;

    private static final Set<String> OWN = Set.of("json", "checkpoint", "forecasts", "intensity-unit", "on");

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

    static Map<String, String> parse(String[] args) {
        return DataFile.parse(args, OWN);
    }

    /** @throws IllegalArgumentException naming a bad intensity unit */
    private Evaluator evaluator() {
        DataFile.choice(options, "on", "test", "validation");
        Evaluator.Part part = options.getOrDefault("on", "test").equals("test") ? Evaluator.Part.TEST
                : Evaluator.Part.VALIDATION;
        try {
            return new Evaluator(DataFile.split(options), CliOptions.duration(options.getOrDefault("intensity-unit",
                    "24h")), part);
        } catch (java.time.format.DateTimeParseException e) {
            throw new IllegalArgumentException("bad value for --intensity-unit: '" + options.get("intensity-unit")
                    + "'");
        }
    }

    private void execute() throws IOException {
        Path file = Path.of(options.get("data"));
        ReadResult read = DataFile.read(options);
        Dataset data = read.dataset();
        out.println(file.getFileName() + ": " + data.summary().describe());
        if (read.skippedRows() > 0) {
            out.println("skipped " + read.skippedRows() + " bad rows: " + read.skippedByReason());
        }
        ModelForecaster model = options.containsKey("checkpoint")
                ? new ModelForecaster(checkpoint(data), data.dimension() > 0) : null;
        RecordedForecaster recorded = options.containsKey("forecasts")
                ? RecordedForecaster.read(Path.of(options.get("forecasts")), data.dimension()) : null;
        Scoreboard board = evaluator().score(file.getFileName().toString(), data.allSeries(), data.valueNames(),
                parts -> with(Baselines.all(Prior.fit(parts.values().stream().map(TimeSplit.Parts::train).toList(),
                        data.dimension())), model, recorded));
        out.print(board.format());
        if (model != null) {
            out.println("model failures (forecasts and updates not made): " + model.failures());
        }
        if (recorded != null) {
            out.println("recorded forecasts: " + recorded.answered() + " targets answered, " + recorded.missing()
                    + " without a recorded forecast (unscored)");
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

    /** @return the baselines, then each of the others that is not null */
    private static List<Forecaster> with(List<Forecaster> baselines, Forecaster... others) {
        List<Forecaster> all = new ArrayList<>(baselines);
        Arrays.stream(others).filter(Objects::nonNull).forEach(all::add);
        return all;
    }
}
