package dev.odestream.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.odestream.dataset.Dataset;
import dev.odestream.dataset.ReadResult;
import dev.odestream.dataset.TimeSplit;
import dev.odestream.evaluate.RecordedForecast;
import dev.odestream.json.JsonShape;
import dev.odestream.model.ForecastPoint;
import dev.odestream.model.checkpoint.LoadedModel;
import dev.odestream.model.checkpoint.ModelRejectedException;
import dev.odestream.stream.Event;
import dev.odestream.stream.Limits;
import dev.odestream.stream.EventJson;
import dev.odestream.stream.RecordJson;
import dev.odestream.stream.Topics;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;

/**
 * The {@code replay} command: plays a user's event file through a live engine on the in-process broker, serving a
 * checkpoint, and records what the engine answers where {@code evaluate} scores. Series are replayed one after
 * another, each in event-time order: its train and validation events are produced to {@code events}; then for each
 * test event the command waits until the engine has folded in every earlier event of the series (the event count of
 * {@code GET /v1/series/{id}}, plus events the engine dead-lettered), asks {@code GET /v1/series/{id}/forecast?at=}
 * the event's time over HTTP, writes the answer as a {@link RecordedForecast} line, and produces the event.
 * {@code evaluate --forecasts} then scores the recording beside the offline model. See {@link #USAGE}.
 */
public final class ReplayCommand {

    /** The help text. */
    public static final String USAGE = "usage: replay --data FILE --checkpoint FILE --out FILE [options]\n"
            + DataFile.USAGE + """
              --checkpoint FILE           the model the engine serves (.odsc or a JSON envelope)
              --out FILE                  where the recorded forecasts go, JSON lines
                                          (schemas/recorded-forecast.schema.json)
              --wait D                    how long to wait for the engine to fold in an event (default 30s)
            """;

    private static final Set<String> OWN = Set.of("checkpoint", "out", "wait");
    private static final Duration POLL = Duration.ofMillis(5);

    private final Map<String, String> options;
    private final PrintStream out;
    private final Duration wait;
    private final HttpClient http = HttpClient.newHttpClient();
    private final Map<String, Integer> rejected = new HashMap<>();
    private long recorded;
    private long refused;
    private String firstRefusal;

    private ReplayCommand(Map<String, String> options, PrintStream out) {
        this.options = options;
        this.out = out;
        try {
            this.wait = CliOptions.duration(options.getOrDefault("wait", "30s"));
        } catch (java.time.format.DateTimeParseException e) {
            throw new IllegalArgumentException("bad value for --wait: '" + options.get("wait") + "'");
        }
    }

    /** Runs the command; exits with 2 on a usage error, 1 if the replay fails. */
    public static void main(String[] args) {
        int status = run(args, System.out);
        if (status != 0) {
            System.exit(status);
        }
    }

    /**
     * Runs the command with output to {@code out}.
     *
     * @return 0 on success, 1 if the data or checkpoint cannot be read or the engine fails, 2 on a usage error
     */
    public static int run(String[] args, PrintStream out) {
        ReplayCommand command;
        try {
            Map<String, String> options = DataFile.parse(args, OWN);
            if (options.containsKey("help")) {
                out.print(USAGE);
                return 0;
            }
            for (String required : List.of("checkpoint", "out")) {
                if (!options.containsKey(required)) {
                    throw new IllegalArgumentException("--" + required + " is required");
                }
            }
            command = new ReplayCommand(options, out);
        } catch (IllegalArgumentException e) {
            out.println(e.getMessage());
            out.print(USAGE);
            return 2;
        }
        try {
            command.execute();
            return 0;
        } catch (Exception e) {
            out.println("replay: " + e.getMessage());
            return 1;
        }
    }

    private void execute() throws Exception {
        ReadResult read = DataFile.read(options);
        Dataset data = read.dataset();
        Map<String, TimeSplit.Parts<Event>> parts = DataFile.split(options).splitAll(data.allSeries(),
                Event::timeMs);
        LoadedModel model = checkpoint(Path.of(options.get("checkpoint")));
        long began = System.nanoTime();
        // Historical data may predate the engine's default earliest event time; the replay accepts all of the file.
        long earliest = data.allSeries().values().stream().flatMap(List::stream).mapToLong(Event::timeMs).min()
                .orElse(Limits.DEFAULT_EARLIEST_EVENT_TIME_MS);
        try (ReplayEngine engine = ReplayEngine.start(model, earliest);
             KafkaProducer<String, byte[]> producer = producer(engine.bootstrapServers());
             KafkaConsumer<byte[], byte[]> dropped = deadLetters(engine.bootstrapServers(), engine.config().topics());
             BufferedWriter writer = Files.newBufferedWriter(Path.of(options.get("out")), StandardCharsets.UTF_8)) {
            out.printf("replay: engine serving model v%d at %s, ready in %.1f s%n", model.version(), engine.http(),
                    (System.nanoTime() - began) / 1e9);
            long replaying = System.nanoTime();
            String events = engine.config().topics().events();
            for (Map.Entry<String, TimeSplit.Parts<Event>> series : parts.entrySet()) {
                replay(engine.http(), series.getKey(), series.getValue(), new Sink(producer, events, dropped,
                        writer));
            }
            out.printf("replay: %d series, %d forecasts recorded, %d refused%s, in %.1f s; wrote %s%n",
                    parts.size(), recorded, refused, refused == 0 ? "" : " (first: " + firstRefusal + ")",
                    (System.nanoTime() - replaying) / 1e9, options.get("out"));
        }
    }

    /** Where one series goes: the events topic, the dead letters that tell of events the engine refused, the file. */
    private record Sink(KafkaProducer<String, byte[]> producer, String events, KafkaConsumer<byte[], byte[]> dropped,
                        BufferedWriter writer) {
    }

    private void replay(String http, String key, TimeSplit.Parts<Event> parts, Sink sink) throws Exception {
        int produced = 0;
        for (Event e : parts.beforeTest()) {
            sink.producer().send(new ProducerRecord<>(sink.events(), key, EventJson.write(e)));
            produced++;
        }
        long lastMs = Long.MIN_VALUE;
        int atLast = 0;
        for (Event e : parts.beforeTest()) {
            atLast = e.timeMs() == lastMs ? atLast + 1 : 1;
            lastMs = e.timeMs();
        }
        for (Event e : parts.test()) {
            awaitFolded(http, key, produced, sink.dropped());
            int tied = e.timeMs() == lastMs ? atLast : 0;
            record(http, key, e.timeMs(), tied, sink.writer());
            send(sink, key, e);
            produced++;
            atLast = tied + 1;
            lastMs = e.timeMs();
        }
    }

    private static void send(Sink sink, String key, Event e) throws Exception {
        try {
            sink.producer().send(new ProducerRecord<>(sink.events(), key, EventJson.write(e))).get();
        } catch (ExecutionException failed) {
            throw new IOException("cannot produce an event of '" + key + "': " + failed.getCause(), failed);
        }
    }

    /** Waits until the engine has folded in (or dead-lettered) the first {@code produced} events of the series. */
    private void awaitFolded(String http, String key, int produced, KafkaConsumer<byte[], byte[]> dropped)
            throws Exception {
        long deadline = System.nanoTime() + wait.toNanos();
        while (true) {
            HttpResponse<byte[]> summary = get(http + "/v1/series/" + encode(key));
            long folded = summary.statusCode() == 200
                    ? JsonShape.parse(summary.body()).get("events").longValue() : 0;
            if (folded + rejected.getOrDefault(key, 0) >= produced) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new IOException("the engine folded in " + folded + " of " + produced + " events of '" + key
                        + "' within " + wait + " (last answer " + summary.statusCode() + ")");
            }
            for (ConsumerRecord<byte[], byte[]> r : dropped.poll(POLL)) {
                rejected.merge(r.key() == null ? "" : new String(r.key(), StandardCharsets.UTF_8), 1, Integer::sum);
            }
        }
    }

    private void record(String http, String key, long timeMs, int tied, BufferedWriter writer) throws Exception {
        HttpResponse<byte[]> answer = get(http + "/v1/series/" + encode(key) + "/forecast?at=" + timeMs);
        if (answer.statusCode() != 200) {
            refused++;
            if (firstRefusal == null) {
                firstRefusal = answer.statusCode() + " " + new String(answer.body(), StandardCharsets.UTF_8);
            }
            return;
        }
        ForecastPoint point = RecordJson.readForecast(answer.body()).horizons().getFirst();
        writer.write(RecordedForecast.of(key, timeMs, tied, point).toJson());
        writer.newLine();
        recorded++;
    }

    private HttpResponse<byte[]> get(String url) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).GET().build(),
                HttpResponse.BodyHandlers.ofByteArray());
    }

    private static String encode(String key) {
        return URLEncoder.encode(key, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private static KafkaProducer<String, byte[]> producer(String bootstrap) {
        return new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ProducerConfig.LINGER_MS_CONFIG, 0, ProducerConfig.ACKS_CONFIG, "all"), new StringSerializer(),
                new ByteArraySerializer());
    }

    /** A reader of the dead-letter and late topics from their start, committed records only, in no group. */
    private static KafkaConsumer<byte[], byte[]> deadLetters(String bootstrap, Topics topics) {
        KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false), new ByteArrayDeserializer(),
                new ByteArrayDeserializer());
        consumer.assign(List.of(new TopicPartition(topics.deadLetters(), 0), new TopicPartition(topics.late(), 0)));
        return consumer;
    }

    private static LoadedModel checkpoint(Path path) throws IOException {
        try {
            return LoadedModel.read(Files.readAllBytes(path));
        } catch (ModelRejectedException e) {
            throw new IOException(path + ": " + e.getMessage(), e);
        }
    }
}
