package dev.odestream.bench;

import dev.odestream.data.IrregularSeriesConfig;
import dev.odestream.metrics.EngineMetrics;
import dev.odestream.model.ModelConfig;
import dev.odestream.model.checkpoint.LoadedModel;
import dev.odestream.query.QueryServer;
import dev.odestream.query.StreamsBackend;
import dev.odestream.stream.Engine;
import dev.odestream.stream.EngineConfig;
import dev.odestream.stream.EventJson;
import dev.odestream.stream.SeriesModel;
import dev.odestream.stream.SeriesSnapshot;
import dev.odestream.stream.SnapshotCodec;
import dev.odestream.stream.Topics;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.atomic.LongAdder;

/**
 * The {@code engine} bench: the real engine with the bundled trained model ({@link dev.odestream.cli.DefaultModel},
 * the reference architecture {@link ModelConfig#reference()}) on an in-process broker, three measurements in one run.
 * {@code --untrained} serves a freshly initialised model of the same size instead; its encoder state grows from
 * event to event (nothing taught it to stay bounded), so its forecasts get costlier as series age.
 * <ol>
 *   <li><b>Sustained throughput.</b> A pre-generated irregular workload ({@code --series} series, about
 *       {@code --events-per-series} events each) is produced as fast as the producer goes; the time runs from the
 *       first send until a read_committed consumer has read the last output. The plain running-mean application
 *       ({@link RunningMeanApp}: same JSON parsing, persistent cached changelogged store, {@code exactly_once_v2},
 *       same threads and partitions) gets the same events first, and the ratio is engine over plain (target at
 *       least 0.5).</li>
 *   <li><b>State per series</b>: the encoded snapshot with a full 32-event ring (target at most 2 KB), the mean
 *       over the store after the run, and RocksDB's files on disk per series after the engine closed.</li>
 *   <li><b>Query latency</b>: forecast queries over HTTP at {@code --query-rate} per second on an open-loop
 *       schedule, latency counted from each query's due time, while input arrives at a steady
 *       {@code --ingest-rate} (default: half the measured throughput). Target p99 at most 10 ms.</li>
 * </ol>
 * {@code mvn -Pbench verify -Dbench.args="engine"} runs the full size; {@code engine --quick} a short one (1000
 * series, 8 events each, 15 s of queries). Options: {@code --series --events-per-series --threads --partitions
 * --query-rate --query-duration --warmup --ingest-rate --seed --untrained}.
 */
final class EngineBench {

    private static final Duration STALL = Duration.ofMinutes(2);

    private EngineBench() {
    }

    /** The options, with their defaults. */
    private record Options(int series, double eventsPerSeries, int threads, int partitions, double queryRate,
                           Duration queryDuration, Duration warmup, double ingestRate, long seed,
                           boolean untrained) {

        static Options parse(String[] args) {
            BenchArgs a = new BenchArgs(args, Set.of("quick", "untrained"));
            boolean quick = a.flag("quick");
            int threads = a.integer("threads", Runtime.getRuntime().availableProcessors());
            Options o = new Options(a.integer("series", quick ? 1_000 : 10_000),
                    a.real("events-per-series", quick ? 8 : 40), threads, a.integer("partitions", threads),
                    a.real("query-rate", 200), a.duration("query-duration", Duration.ofSeconds(quick ? 15 : 60)),
                    a.duration("warmup", Duration.ofSeconds(quick ? 3 : 10)), a.real("ingest-rate", 0),
                    a.integer("seed", 1), a.flag("untrained"));
            a.done();
            return o;
        }
    }

    static void run(String[] args) throws Exception {
        Options o = Options.parse(args);
        LoadedModel model = LoadRig.model(o.untrained(), o.seed());
        EngineConfig config = EngineConfig.defaults(model);
        IrregularSeriesConfig shape = Workload.config(o.series(), o.eventsPerSeries(), model.config());
        List<Workload.Payload> payloads = Workload.onceEndingNow(shape, o.seed());
        System.out.printf("bench engine: %d series, %d events, %d threads, %d partitions%n", o.series(),
                payloads.size(), o.threads(), o.partitions());
        try (LoadRig rig = LoadRig.start(o.partitions())) {
            LoadRig.Throughput plain = plain(rig, o, payloads);
            System.out.printf("bench engine: plain app %.0f events/s%n", plain.eventsPerSecond());
            PrometheusMeterRegistry registry = LoadRig.registry();
            EngineMetrics metrics = new EngineMetrics(registry);
            Engine engine = rig.startEngine(config, o.threads(), metrics, new LongAdder());
            LoadRig.Throughput measured;
            Table state;
            Table queries;
            try (engine) {
                measured = rig.saturate(config.topics().events(), config.topics().forecasts(), payloads, STALL);
                System.out.printf("bench engine: engine %.0f events/s%n", measured.eventsPerSecond());
                state = storeState(engine.streams(), config, shape, o.seed());
                queries = queries(rig, engine, registry, o, shape, seriesIn(payloads),
                        o.ingestRate() > 0 ? o.ingestRate() : measured.eventsPerSecond() / 2);
            }
            throughputTable(plain, measured).print("Sustained end-to-end throughput, " + o.series() + " series,"
                    + (o.untrained() ? " untrained" : " bundled") + " model, exactly_once_v2, " + o.threads()
                    + " threads, " + o.partitions()
                    + " partitions (first send to last output read, read_committed)");
            long sst = LoadRig.bytesUnder(rig.stateDir("odestream-engine"), EngineConfig.SERIES_STORE, ".sst");
            long all = LoadRig.bytesUnder(rig.stateDir("odestream-engine"), EngineConfig.SERIES_STORE, "");
            state.row("RocksDB SST files after close / series", Table.fmt((double) sst / o.series(), 0), "-");
            state.row("RocksDB all files after close / series", Table.fmt((double) all / o.series(), 0), "-");
            state.print("State per series, 32-event ring (target <= 2048 bytes)");
            queries.print("Forecast query latency over HTTP, open loop at " + Table.fmt(o.queryRate(), 0)
                    + "/s for " + o.queryDuration().toSeconds() + " s while ingesting (target p99 <= 10 ms)");
        }
    }

    private static LoadRig.Throughput plain(LoadRig rig, Options o, List<Workload.Payload> payloads)
            throws Exception {
        LongAdder invalid = new LongAdder();
        try (KafkaStreams plain = rig.startPlain(o.threads(), invalid)) {
            LoadRig.Throughput t = rig.saturate(LoadRig.PLAIN_EVENTS, LoadRig.PLAIN_MEANS, payloads, STALL);
            if (invalid.sum() > 0) {
                throw new IllegalStateException("the plain application refused " + invalid.sum() + " events");
            }
            return t;
        }
    }

    private static Table throughputTable(LoadRig.Throughput plain, LoadRig.Throughput engine) {
        Table table = new Table("application", "events", "outputs read", "produce s", "end-to-end s", "events/s",
                "vs plain");
        for (var row : List.of(List.of("plain running mean", plain), List.of("odestream engine", engine))) {
            LoadRig.Throughput t = (LoadRig.Throughput) row.get(1);
            table.row(row.get(0) + (t.complete() ? "" : " (incomplete)"), t.events(), t.outputs(),
                    Table.fmt(t.produceSeconds(), 2), Table.fmt(t.seconds(), 2), Table.fmt(t.eventsPerSecond(), 0),
                    Table.fmt(t.eventsPerSecond() / plain.eventsPerSecond(), 3));
        }
        return table;
    }

    /** @return the series ids that have at least one event in the workload. */
    static String[] seriesIn(List<Workload.Payload> payloads) {
        Set<String> ids = new LinkedHashSet<>();
        payloads.forEach(p -> ids.add(new String(p.key(), StandardCharsets.UTF_8)));
        return ids.toArray(String[]::new);
    }

    private static Table storeState(KafkaStreams streams, EngineConfig config, IrregularSeriesConfig shape,
                                    long seed) throws Exception {
        Table table = new Table("measure", "bytes / series", "series");
        table.row("encoded snapshot, full ring (one series offline)", fullRingBytes(config, shape, seed), 1);
        ReadOnlyKeyValueStore<String, SeriesSnapshot> store = streams.store(StoreQueryParameters.fromNameAndType(
                EngineConfig.SERIES_STORE, QueryableStoreTypes.keyValueStore()));
        long n = 0;
        long bytes = 0;
        long ring = 0;
        long full = 0;
        long fullBytes = 0;
        try (KeyValueIterator<String, SeriesSnapshot> it = store.all()) {
            while (it.hasNext()) {
                KeyValue<String, SeriesSnapshot> kv = it.next();
                int size = SnapshotCodec.encode(kv.value).length;
                n++;
                bytes += size;
                ring += kv.value.ring().size();
                if (kv.value.ring().size() == config.ringCapacity()) {
                    full++;
                    fullBytes += size;
                }
            }
        }
        table.row("encoded snapshot, store mean (mean ring " + Table.fmt((double) ring / n, 1) + ")",
                Table.fmt((double) bytes / n, 0), n);
        table.row("encoded snapshot, store mean of full rings", full == 0 ? "-" : Table.fmt((double) fullBytes / full,
                0), full);
        return table;
    }

    /** @return the encoded size of one series' snapshot after more events than the ring holds. */
    private static int fullRingBytes(EngineConfig config, IrregularSeriesConfig shape, long seed) throws Exception {
        SeriesModel model = config.seriesModel(config.initialModel());
        IrregularSeriesConfig one = Workload.config(1, 2.0 * config.ringCapacity() + 8,
                config.modelConfig());
        SeriesSnapshot s = null;
        for (Workload.Payload p : Workload.once(one, seed, System.currentTimeMillis() - 3_600_000, 1000)) {
            SeriesModel.Outcome outcome = model.update(s, EventJson.parse(p.value(), OptionalLong.empty()));
            s = ((SeriesModel.Updated) outcome).snapshot();
        }
        if (s == null || s.ring().size() != config.ringCapacity()) {
            throw new IllegalStateException("the ring did not fill: " + (s == null ? 0 : s.ring().size()));
        }
        return SnapshotCodec.encode(s).length;
    }

    private static Table queries(LoadRig rig, Engine engine, PrometheusMeterRegistry registry, Options o,
                                 IrregularSeriesConfig shape, String[] series, double ingestRate) throws Exception {
        EngineConfig config = engine.config();
        Topics topics = config.topics();
        try (QueryServer http = QueryServer.start(new InetSocketAddress("localhost", 0),
                new StreamsBackend(engine.streams(), null), config, engine.metrics(), registry, 4);
             QueryLoad load = new QueryLoad(http.port(), series, "horizon=1s,5s,15s", o.seed())) {
            long now = System.nanoTime();
            long measureFrom = now + o.warmup().toNanos();
            long end = measureFrom + o.queryDuration().toNanos();
            Thread producer = rig.steady(topics.events(), Workload.endless(shape, o.seed() + 1,
                    System.currentTimeMillis(), Workload.msPerUnit(o.series(), ingestRate)), ingestRate, end);
            Thread warm = load.start(o.queryRate(), measureFrom);
            warm.join();
            load.drain(Duration.ofSeconds(5));
            Timer update = registry.get("odestream.update.latency").timer();
            TimerWindow.Reading updatesBefore = TimerWindow.read(update);
            LatencyRecorder.Snapshot before = load.latency.snapshot();
            long non2xx = load.non2xx.sum();
            long failed = load.failed.sum();
            long eventsBefore = engine.metrics().eventsIn();
            long began = System.nanoTime();
            load.start(o.queryRate(), end).join();
            producer.join();
            double seconds = (System.nanoTime() - began) / 1e9;
            double ingested = (engine.metrics().eventsIn() - eventsBefore) / seconds;
            load.drain(Duration.ofSeconds(15));
            LatencyRecorder.Snapshot q = load.latency.snapshot().minus(before);
            double updateP99 = TimerWindow.read(update).millisAt(updatesBefore, 0.99);
            Table table = new Table("queries", "q/s", "p50 ms", "p90 ms", "p99 ms", "p99.9 ms", "max ms", "non-2xx",
                    "failed", "ingest target/s", "ingested/s", "update p99 ms", "p99 <= 10 ms");
            table.row(q.count(), Table.fmt(q.count() / seconds, 1), Table.fmt(q.millisAt(0.5), 2),
                    Table.fmt(q.millisAt(0.9), 2), Table.fmt(q.millisAt(0.99), 2), Table.fmt(q.millisAt(0.999), 2),
                    Table.fmt(q.max() / 1e6, 2), load.non2xx.sum() - non2xx, load.failed.sum() - failed,
                    Table.fmt(ingestRate, 0), Table.fmt(ingested, 0), Table.fmt(updateP99, 3),
                    q.millisAt(0.99) <= 10 ? "yes" : "no");
            return table;
        }
    }
}
