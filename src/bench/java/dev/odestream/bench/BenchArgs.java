package dev.odestream.bench;

import java.time.Duration;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Options of a bench command: {@code --name value} pairs and bare {@code --flag}s. Each option is read once with its
 * default; {@link #done()} then refuses any option no one read, so a misspelt name is an error, not a silent default.
 */
final class BenchArgs {

    private final Map<String, String> values = new LinkedHashMap<>();
    private final Set<String> read = new HashSet<>();

    /** @param flags the names that take no value */
    BenchArgs(String[] args, Set<String> flags) {
        for (int i = 0; i < args.length; i++) {
            if (!args[i].startsWith("--")) {
                throw new IllegalArgumentException("expected an option such as --series, got '" + args[i] + "'");
            }
            String name = args[i].substring(2);
            if (flags.contains(name)) {
                values.put(name, "true");
            } else if (i + 1 < args.length) {
                values.put(name, args[++i]);
            } else {
                throw new IllegalArgumentException("option --" + name + " needs a value");
            }
        }
    }

    boolean flag(String name) {
        read.add(name);
        return values.containsKey(name);
    }

    int integer(String name, int fallback) {
        read.add(name);
        return values.containsKey(name) ? Integer.parseInt(values.get(name)) : fallback;
    }

    double real(String name, double fallback) {
        read.add(name);
        return values.containsKey(name) ? Double.parseDouble(values.get(name)) : fallback;
    }

    /** Reads {@code 500ms}, {@code 30s}, {@code 10m}, {@code 1h} or ISO-8601 ({@code PT30S}). */
    Duration duration(String name, Duration fallback) {
        read.add(name);
        String v = values.get(name);
        if (v == null) {
            return fallback;
        }
        if (v.startsWith("P") || v.startsWith("p")) {
            return Duration.parse(v);
        }
        if (v.endsWith("ms")) {
            return Duration.ofMillis(Long.parseLong(v.substring(0, v.length() - 2)));
        }
        long n = Long.parseLong(v.substring(0, v.length() - 1));
        return switch (v.charAt(v.length() - 1)) {
            case 's' -> Duration.ofSeconds(n);
            case 'm' -> Duration.ofMinutes(n);
            case 'h' -> Duration.ofHours(n);
            default -> throw new IllegalArgumentException("--" + name + ": not a duration such as 30s: " + v);
        };
    }

    /** @throws IllegalArgumentException naming the options that were given but never read */
    void done() {
        Set<String> unknown = new HashSet<>(values.keySet());
        unknown.removeAll(read);
        if (!unknown.isEmpty()) {
            throw new IllegalArgumentException("unknown options " + unknown + "; known: " + read);
        }
    }
}
