package dev.odestream.cli;

import dev.odestream.stream.Limits;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;

/**
 * The command line of {@link Main}.
 *
 * @param bootstrapServers the cluster, or {@code null} to start an in-process broker
 * @param propertiesFile Kafka and Streams properties passed through unchanged (TLS, SASL, ...), or {@code null}
 * @param httpPort the query server's port; 0 picks a free one
 * @param httpBind the address the query server listens on: {@code 0.0.0.0} (every interface, the default, as a
 *     container needs) or one interface such as {@code 127.0.0.1}
 * @param series demo series
 * @param rate demo events per second
 * @param duration how long to run, or {@code null} until interrupted
 * @param checkpoint the initial model, or {@code null} for the bundled default model (or, with {@code untrained},
 *     the seeded initial model) at the reference size
 * @param partitions partitions of the engine's topics when it creates them
 * @param stateDir where the engine keeps its state stores, or {@code null} for a temporary directory
 * @param applicationId the Kafka Streams application id
 * @param demo whether to run the demo producer
 * @param worker whether to run the trainer worker in-process
 * @param seed seed of the demo workload and of the initial model
 * @param help whether to print the usage and stop
 * @param idleInterval how often idle series are swept and get an intensity record; zero for never
 * @param ttl how long a series may go without events before it is deleted; zero for ever
 * @param untrained whether to start from the seeded untrained model instead of the bundled default model
 * @param observationDim with {@code --no-demo} and no checkpoint, start with no model for data of this many values,
 *     served by the baseline until the worker bootstraps a first model; 0 for the bundled model
 * @param eventTypes the event types of that data
 * @param limits the longest series id, the earliest event time and the largest dead letter
 * @param maxFuture how far after the wall clock an event time may lie
 */
record CliOptions(String bootstrapServers, Path propertiesFile, int httpPort, String httpBind, int series,
                  double rate, Duration duration, Path checkpoint, int partitions, Path stateDir, String applicationId,
                  boolean demo, boolean worker, long seed, boolean help, Duration idleInterval, Duration ttl,
                  boolean untrained, int observationDim, int eventTypes, Limits limits, Duration maxFuture) {

    static final String USAGE = """
            usage: odestream [options]
              --bootstrap-servers HOST:PORT  use this cluster (default: start an in-process broker)
              --properties FILE              Kafka and Streams properties, passed through (TLS, SASL, ...)
              --http-port N                  query server port (default 8080; 0 picks a free one)
              --http-bind ADDR               address it listens on (default 0.0.0.0, every interface;
                                             127.0.0.1 for this machine only)
              --series N                     demo series (default 1000)
              --rate N                       demo events per second (default 200)
              --duration D                   stop after D, e.g. 60s, 5m, PT1H (default: until interrupted)
              --checkpoint FILE              initial model, ODSC or a JSON envelope (default: the bundled
                                             default model, version 1)
              --untrained                    start from the seeded untrained model (version 0) instead
              --observation-dim N            with --no-demo: start with no model, for your events of N values;
                                             forecasts come from a baseline (labelled "source": "baseline")
                                             until the worker bootstraps and publishes version 1
              --event-types K                event types of those events (default 1)
              --partitions N                 partitions of the topics it creates (default 4)
              --state-dir DIR                state store directory (default: a temporary one)
              --application-id ID            Kafka Streams application id (default odestream)
              --seed N                       seed of the demo workload and the initial model (default 1)
              --idle-interval D              every D, publish an intensity at the wall clock for each series
                                             without events for D (default 30s; 0 turns it off)
              --ttl D                        delete series without events for D (default 0: keep them);
                                             needs an --idle-interval shorter than D
              --max-series-id-bytes N        longest series id (record key), in UTF-8 bytes (default 1024);
                                             a longer one goes to events.dlq as series-id-too-long
              --earliest-event-time T        earliest event time accepted, ISO-8601 (default
                                             2000-01-01T00:00:00Z); earlier ones go to events.dlq as too-early
              --max-future D                 how far after the wall clock an event time may lie (default 1h);
                                             later ones go to events.dlq as future-time
              --max-dead-letter-bytes N      largest dead letter; a larger one is cut, with the original size
                                             and SHA-256 in headers (default 1000000, at least 16384)
              --no-demo                      do not produce demo events
              --no-worker                    do not run the trainer worker in-process
              --help                         print this and exit
            """;

    /** Every interface, as a container needs to be reached from outside. */
    static final String DEFAULT_BIND = "0.0.0.0";

    private static final java.util.Set<String> VALUED = java.util.Set.of("--bootstrap-servers", "--properties",
            "--http-port", "--http-bind", "--series", "--rate", "--duration", "--checkpoint", "--partitions",
            "--state-dir", "--application-id", "--seed", "--idle-interval", "--ttl", "--observation-dim",
            "--event-types", "--max-series-id-bytes", "--earliest-event-time", "--max-future",
            "--max-dead-letter-bytes");

    /** @throws IllegalArgumentException naming the bad option or value */
    static CliOptions parse(String... args) {
        java.util.Map<String, String> v = new java.util.HashMap<>();
        java.util.Set<String> flags = new java.util.HashSet<>();
        for (int i = 0; i < args.length; i++) {
            String name = args[i];
            if (name.equals("--help") || name.equals("-h") || name.equals("--no-demo") || name.equals("--no-worker")
                    || name.equals("--untrained")) {
                flags.add(name.equals("-h") ? "--help" : name);
            } else if (!VALUED.contains(name)) {
                throw new IllegalArgumentException("unknown option " + name);
            } else if (i + 1 >= args.length) {
                throw new IllegalArgumentException("option " + name + " needs a value");
            } else {
                v.put(name, args[++i]);
            }
        }
        return build(v, flags);
    }

    private static CliOptions build(java.util.Map<String, String> v, java.util.Set<String> flags) {
        String current = null;
        try {
            current = "--http-port";
            int port = Integer.parseInt(v.getOrDefault(current, "8080"));
            current = "--series";
            int series = Integer.parseInt(v.getOrDefault(current, "1000"));
            current = "--rate";
            double rate = Double.parseDouble(v.getOrDefault(current, "200"));
            current = "--duration";
            Duration duration = v.containsKey(current) ? duration(v.get(current)) : null;
            current = "--partitions";
            int partitions = Integer.parseInt(v.getOrDefault(current, "4"));
            current = "--seed";
            long seed = Long.parseLong(v.getOrDefault(current, "1"));
            current = "--idle-interval";
            Duration idle = duration(v.getOrDefault(current, "30s"));
            current = "--ttl";
            Duration ttl = duration(v.getOrDefault(current, "0"));
            if (series < 1 || !(rate > 0) || partitions < 1 || port < 0 || port > 65_535
                    || (duration != null && !duration.isPositive())) {
                throw new IllegalArgumentException("need --series >= 1, --rate > 0, --partitions >= 1, a port in"
                        + " [0, 65535] and a positive --duration");
            }
            checkIdle(idle, ttl);
            current = "--observation-dim";
            int dim = Integer.parseInt(v.getOrDefault(current, "0"));
            current = "--event-types";
            int types = Integer.parseInt(v.getOrDefault(current, "1"));
            checkShape(v, flags, dim, types);
            current = "--max-series-id-bytes";
            int idBytes = Integer.parseInt(v.getOrDefault(current, Integer.toString(
                    Limits.DEFAULT_MAX_SERIES_ID_BYTES)));
            current = "--earliest-event-time";
            long earliest = v.containsKey(current) ? Instant.parse(v.get(current)).toEpochMilli()
                    : Limits.DEFAULT_EARLIEST_EVENT_TIME_MS;
            current = "--max-future";
            Duration maxFuture = duration(v.getOrDefault(current, "1h"));
            current = "--max-dead-letter-bytes";
            int letterBytes = Integer.parseInt(v.getOrDefault(current, Integer.toString(
                    Limits.DEFAULT_MAX_DEAD_LETTER_BYTES)));
            if (!maxFuture.isPositive()) {
                throw new IllegalArgumentException("--max-future must be positive, got " + maxFuture);
            }
            Limits limits;
            try {
                limits = new Limits(idBytes, earliest, letterBytes);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("bad --max-series-id-bytes or --max-dead-letter-bytes: "
                        + e.getMessage(), e);
            }
            if (flags.contains("--untrained") && v.containsKey("--checkpoint")) {
                throw new IllegalArgumentException("--untrained and --checkpoint name two initial models; give one");
            }
            String bind = v.getOrDefault("--http-bind", DEFAULT_BIND).trim();
            if (bind.isEmpty()) {
                throw new IllegalArgumentException("--http-bind needs an address, such as 0.0.0.0 or 127.0.0.1");
            }
            return new CliOptions(v.get("--bootstrap-servers"), path(v.get("--properties")), port, bind, series, rate,
                    duration, path(v.get("--checkpoint")), partitions, path(v.get("--state-dir")),
                    v.getOrDefault("--application-id", "odestream"), !flags.contains("--no-demo"),
                    !flags.contains("--no-worker"), seed, flags.contains("--help"), idle, ttl,
                    flags.contains("--untrained"), dim, types, limits, maxFuture);
        } catch (NumberFormatException | java.time.format.DateTimeParseException e) {
            throw new IllegalArgumentException("bad value for " + current + ": '" + v.get(current) + "'");
        }
    }

    private static void checkShape(java.util.Map<String, String> v, java.util.Set<String> flags, int dim, int types) {
        if (dim < 0 || types < 1) {
            throw new IllegalArgumentException("need --observation-dim >= 1 and --event-types >= 1");
        }
        if (dim == 0 && v.containsKey("--event-types")) {
            throw new IllegalArgumentException("--event-types needs --observation-dim");
        }
        if (dim > 0 && (v.containsKey("--checkpoint") || flags.contains("--untrained")
                || !flags.contains("--no-demo"))) {
            throw new IllegalArgumentException("--observation-dim starts with no model for your own events: it needs"
                    + " --no-demo, and no --checkpoint or --untrained");
        }
    }

    private static void checkIdle(Duration idle, Duration ttl) {
        if (idle.isNegative() || ttl.isNegative()) {
            throw new IllegalArgumentException("--idle-interval and --ttl must not be negative");
        }
        if (ttl.isPositive() && (idle.isZero() || ttl.compareTo(idle) <= 0)) {
            throw new IllegalArgumentException("--ttl " + ttl + " needs an --idle-interval that is positive and"
                    + " shorter, got " + idle);
        }
    }

    private static Path path(String value) {
        return value == null ? null : Path.of(value);
    }

    /** @return a duration such as {@code 90} (seconds), {@code 500ms}, {@code 60s}, {@code 5m}, {@code 2h} or ISO-8601. */
    static Duration duration(String text) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        if (t.startsWith("p")) {
            return Duration.parse(t.toUpperCase(Locale.ROOT));
        }
        if (t.endsWith("ms")) {
            return Duration.ofMillis(Long.parseLong(t.substring(0, t.length() - 2)));
        }
        long n = Long.parseLong(t.replaceAll("[smh]$", ""));
        return switch (t.charAt(t.length() - 1)) {
            case 'm' -> Duration.ofMinutes(n);
            case 'h' -> Duration.ofHours(n);
            default -> Duration.ofSeconds(n);
        };
    }
}
