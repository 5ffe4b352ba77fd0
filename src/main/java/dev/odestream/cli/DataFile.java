package dev.odestream.cli;

import dev.odestream.dataset.CsvLayout;
import dev.odestream.dataset.EventFile;
import dev.odestream.dataset.OnBadRow;
import dev.odestream.dataset.ReadResult;
import dev.odestream.dataset.TimeFormat;
import dev.odestream.dataset.TimeSplit;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BinaryOperator;

/**
 * The options of the commands that read a user's event file ({@code train --data}, {@code evaluate}): how to read it
 * and how each series is split by time. Both commands read a file and split it the same way, so a model trained on a
 * file is evaluated on exactly the tail it never saw.
 */
final class DataFile {

    /** The help lines of these options. */
    static final String USAGE = """
              --data FILE                 events, CSV with a header or JSON lines (one event a line with a key)
              --format csv|jsonl          the file's form (default: jsonl for .jsonl and .json, else csv)
              --key COLUMN                CSV column of the series id (default key)
              --time COLUMN               CSV column of the time: epoch ms or ISO-8601 with an offset (default time)
              --values A,B                CSV value columns (default: every other column; none for point events)
              --skip-bad-rows yes|no      leave out bad rows and count them (default no: stop at the first)
              --test-fraction X           share of each series held out as its tail (default 0.2)
              --validation-fraction X     share before the tail kept for validation (default 0.1)
              --min-events N              series with fewer events are left out (default 3)
            """;

    private static final Set<String> OPTIONS = Set.of("data", "format", "key", "time", "values", "skip-bad-rows",
            "test-fraction", "validation-fraction", "min-events");

    private DataFile() {
    }

    /**
     * @param args {@code --key value} pairs
     * @param more the command's own option names, besides these
     * @return the pairs; {@code --help} maps to an empty value
     * @throws IllegalArgumentException naming the first unknown option or missing value, or a missing {@code --data}
     *     (or, for a command that knows {@code --topic}, neither or both of them)
     */
    static Map<String, String> parse(String[] args, Set<String> more) {
        Set<String> known = new HashSet<>(OPTIONS);
        known.addAll(more);
        Map<String, String> options = pairs(args, (key, value) -> {
            if (!known.contains(key)) {
                throw new IllegalArgumentException("unknown option '--" + key + "'");
            }
            return value;
        });
        boolean topic = more.contains("topic") && options.containsKey("topic");
        if (!options.containsKey("help") && options.containsKey("data") == topic) {
            throw new IllegalArgumentException(more.contains("topic") ? "give --data FILE or --topic NAME"
                    : "--data is required");
        }
        choice(options, "format", "csv", "jsonl");
        choice(options, "skip-bad-rows", "yes", "no");
        split(options);
        return options;
    }

    /**
     * The {@code --key value} pairs of a command line, each value passed through {@code check}; {@code --help} and
     * {@code -h} map {@code help} to an empty value. Every command of this package reads its options so.
     *
     * @param check returns the value to keep, or throws IllegalArgumentException naming an unknown key or a bad value
     * @throws IllegalArgumentException for an option without a value, or from {@code check}
     */
    static Map<String, String> pairs(String[] args, BinaryOperator<String> check) {
        Map<String, String> options = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--help") || args[i].equals("-h")) {
                options.put("help", "");
                continue;
            }
            String key = args[i].startsWith("--") ? args[i].substring(2) : args[i];
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException("option '" + args[i] + "' needs a value");
            }
            options.put(key, check.apply(key, args[++i]));
        }
        return options;
    }

    /** @throws IllegalArgumentException if the option has a value outside {@code allowed} */
    static void choice(Map<String, String> options, String key, String... allowed) {
        if (options.containsKey(key) && !Arrays.asList(allowed).contains(options.get(key))) {
            throw new IllegalArgumentException("--" + key + " must be one of " + Arrays.toString(allowed));
        }
    }

    /** @return the option as a number, or the default; throws IllegalArgumentException naming a bad one */
    static double number(Map<String, String> options, String key, double otherwise) {
        try {
            return options.containsKey(key) ? Double.parseDouble(options.get(key)) : otherwise;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--" + key + " needs a number, got '" + options.get(key) + "'");
        }
    }

    /** @return the option as an integer, or the default; throws IllegalArgumentException naming a bad one */
    static int integer(Map<String, String> options, String key, int otherwise) {
        double value = number(options, key, otherwise);
        if (value != Math.rint(value) || Math.abs(value) > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("--" + key + " needs an integer, got '" + options.get(key) + "'");
        }
        return (int) value;
    }

    /** @return how each series is split; throws IllegalArgumentException naming a bad fraction */
    static TimeSplit split(Map<String, String> options) {
        return new TimeSplit(number(options, "validation-fraction", TimeSplit.DEFAULT.validationFraction()),
                number(options, "test-fraction", TimeSplit.DEFAULT.testFraction()),
                integer(options, "min-events", TimeSplit.DEFAULT.minEvents()));
    }

    /** Reads the file the options name, as they say. */
    static ReadResult read(Map<String, String> options) throws IOException {
        Path file = Path.of(options.get("data"));
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
