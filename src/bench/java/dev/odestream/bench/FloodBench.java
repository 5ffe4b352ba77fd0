package dev.odestream.bench;

import dev.odestream.data.IrregularSeriesConfig;
import dev.odestream.metrics.EngineMetrics;
import dev.odestream.model.checkpoint.LoadedModel;
import dev.odestream.stream.Engine;
import dev.odestream.stream.EngineConfig;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordingFile;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.LongAdder;

/**
 * The {@code flood} bench: valid-event throughput of the engine on an in-process broker, alone and with
 * {@code --bad-per-valid} malformed records mixed in (four kinds in turn: not JSON, an unknown field, a NaN value, no
 * key), each run on a fresh broker after a first, uncounted run that warms the JIT up. Only valid events give a
 * forecast; the time runs from the first send until the last forecast is read. With {@code --profile} the flood run
 * is sampled by JFR: samples by thread, and the stream threads' hottest methods, by frame on top and by the innermost
 * odestream frame. Options: {@code --series --events-per-series --bad-per-valid --threads --seed --untrained
 * --profile}.
 */
final class FloodBench {

    private static final Duration STALL = Duration.ofMinutes(2);

    private FloodBench() {
    }

    private record Options(int series, double eventsPerSeries, int badPerValid, int threads, long seed,
                           boolean untrained, boolean profile) {

        static Options parse(String[] args) {
            BenchArgs a = new BenchArgs(args, Set.of("untrained", "profile"));
            Options o = new Options(a.integer("series", 500), a.real("events-per-series", 6),
                    a.integer("bad-per-valid", 5), a.integer("threads", Runtime.getRuntime().availableProcessors()),
                    a.integer("seed", 1), a.flag("untrained"), a.flag("profile"));
            a.done();
            return o;
        }
    }

    static void run(String[] args) throws Exception {
        Options o = Options.parse(args);
        LoadedModel model = LoadRig.model(o.untrained(), o.seed());
        EngineConfig config = EngineConfig.defaults(model);
        IrregularSeriesConfig shape = Workload.config(o.series(), o.eventsPerSeries(), model.config());
        List<Workload.Payload> valid = Workload.onceEndingNow(shape, o.seed());
        List<Workload.Payload> flooded = flood(valid, o.badPerValid(), model.config().observationDim());
        Table table = new Table("input", "records", "valid events", "forecasts read", "end-to-end s",
                "valid events/s", "records/s");
        // The first run warms the JIT up and is not counted; the two measured runs then start from the same state.
        measure(config, o, valid, valid.size(), false);
        LoadRig.Throughput alone = measure(config, o, valid, valid.size(), false);
        row(table, "valid events only", alone, valid.size());
        LoadRig.Throughput mixed = measure(config, o, flooded, valid.size(), o.profile());
        row(table, o.badPerValid() + " bad records per valid event", mixed, valid.size());
        int bad = flooded.size() - valid.size();
        System.out.printf("bench flood: %.0f µs of extra time per bad record%n",
                1e6 * (mixed.seconds() - alone.seconds()) / bad);
        table.print("Valid-event throughput with and without a bad-record flood, " + o.series() + " series, "
                + (o.untrained() ? "untrained" : "bundled") + " model, " + o.threads() + " threads");
    }

    private static void row(Table table, String name, LoadRig.Throughput t, int valid) {
        table.row(name + (t.complete() ? "" : " (incomplete)"), t.events(), valid, t.outputs(),
                Table.fmt(t.seconds(), 2), Table.fmt(t.outputs() / t.seconds(), 0),
                Table.fmt(t.events() / t.seconds(), 0));
    }

    private static LoadRig.Throughput measure(EngineConfig config, Options o, List<Workload.Payload> payloads,
                                              int expected, boolean profile) throws Exception {
        try (LoadRig rig = LoadRig.start(o.threads());
             Engine engine = rig.startEngine(config, o.threads(), new EngineMetrics(LoadRig.registry()),
                     new LongAdder())) {
            Recording recording = profile ? startRecording() : null;
            LoadRig.Throughput t = rig.saturate(config.topics().events(), config.topics().forecasts(), payloads,
                    expected, STALL);
            if (recording != null) {
                printProfile(recording);
            }
            return t;
        }
    }

    /** @return the valid events with {@code badPerValid} bad records before each. */
    static List<Workload.Payload> flood(List<Workload.Payload> valid, int badPerValid, int dim) {
        byte[] key = "flood".getBytes(StandardCharsets.UTF_8);
        String values = "[" + "1,".repeat(dim - 1) + "NaN]";
        List<byte[]> bad = List.of("{\"time\": 1, \"values\": [1, 2".getBytes(StandardCharsets.UTF_8),
                ("{\"time\": 1, \"values\": null, \"extra\": 3}").getBytes(StandardCharsets.UTF_8),
                ("{\"time\": 1, \"values\": " + values + "}").getBytes(StandardCharsets.UTF_8),
                "{\"time\": 1, \"values\": null}".getBytes(StandardCharsets.UTF_8));
        List<Workload.Payload> out = new ArrayList<>();
        int k = 0;
        for (Workload.Payload p : valid) {
            for (int i = 0; i < badPerValid; i++, k++) {
                int kind = k % bad.size();
                out.add(new Workload.Payload(kind == 3 ? null : key, bad.get(kind)));
            }
            out.add(p);
        }
        return out;
    }

    private static Recording startRecording() {
        Recording r = new Recording();
        r.enable("jdk.ExecutionSample").withPeriod(Duration.ofMillis(10));
        r.start();
        return r;
    }

    private static void printProfile(Recording recording) throws Exception {
        recording.stop();
        Path file = Files.createTempFile("flood-", ".jfr");
        recording.dump(file);
        recording.close();
        Map<String, Integer> top = new HashMap<>();
        Map<String, Integer> own = new HashMap<>();
        Map<String, Integer> threads = new HashMap<>();
        int samples = 0;
        int all = 0;
        for (RecordedEvent e : RecordingFile.readAllEvents(file)) {
            if (!e.getEventType().getName().equals("jdk.ExecutionSample") || e.getStackTrace() == null) {
                continue;
            }
            all++;
            String thread = e.getThread("sampledThread").getJavaName();
            threads.merge(thread.replaceAll("[-0-9a-f]{36}|[0-9]+", "#"), 1, Integer::sum);
            if (!thread.contains("StreamThread")) {
                continue;
            }
            samples++;
            List<RecordedFrame> frames = e.getStackTrace().getFrames();
            top.merge(name(frames.getFirst()), 1, Integer::sum);
            frames.stream().filter(f -> f.getMethod().getType().getName().startsWith("dev.odestream")).findFirst()
                    .ifPresent(f -> own.merge(name(f), 1, Integer::sum));
        }
        Files.delete(file);
        print("Every thread of the process during the flood (the broker included), by name", threads, all);
        print("Stream threads during the flood, top frames", top, samples);
        print("Stream threads during the flood, innermost odestream frame", own, samples);
    }

    private static String name(RecordedFrame f) {
        return f.getMethod().getType().getName() + "." + f.getMethod().getName();
    }

    private static void print(String title, Map<String, Integer> counts, int samples) {
        Table t = new Table("method", "samples", "share");
        counts.entrySet().stream().sorted(Map.Entry.<String, Integer>comparingByValue(Comparator.reverseOrder()))
                .limit(15).forEach(e -> t.row(e.getKey(), e.getValue(), Table.fmt(100.0 * e.getValue() / samples, 1)
                        + " %"));
        t.print(title + " (" + samples + " samples)");
    }
}
