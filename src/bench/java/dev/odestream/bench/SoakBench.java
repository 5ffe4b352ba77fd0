package dev.odestream.bench;

import dev.odestream.data.IrregularSeriesConfig;
import dev.odestream.metrics.EngineMetrics;
import dev.odestream.model.checkpoint.LoadedModel;
import dev.odestream.query.QueryServer;
import dev.odestream.query.StreamsBackend;
import dev.odestream.stream.Engine;
import dev.odestream.stream.EngineConfig;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/**
 * The {@code soak} bench: the engine with the bundled trained model ({@link dev.odestream.cli.DefaultModel}, the
 * reference architecture) under a steady load for a long time, sampled once per interval, with a verdict
 * ({@link SoakVerdict}). Each interval also prints the work per accepted event (derivative evaluations and mean
 * update time), which stays flat for a trained model and grows with {@code --untrained} (a freshly initialised model
 * of the same size, whose encoder state drifts without bound).
 * <ol>
 *   <li>Every series gets a few events as fast as the engine takes them; that run also measures the maximum
 *       throughput, unless {@code --rate} gives the input rate.</li>
 *   <li>Input then arrives at {@code --load} (0.8) times that maximum, open loop, for {@code --duration}, with
 *       forecast queries over HTTP at {@code --query-rate} per second, open loop too.</li>
 *   <li>At the end of each {@code --interval} the bench forces a full collection and reads the heap after it (the
 *       usage-after-collection of the heap pools), and records the accepted rate, the backlog, the p99 of the
 *       engine's update latency ({@code odestream.update.latency}, from its histogram), the query latency and
 *       every kind of error: non-2xx answers, failed queries, dead letters, late events, failed forecasts,
 *       stream-thread exceptions, producer errors.</li>
 * </ol>
 * The verdict: heap after GC grows by at most {@code --heap-growth} (10 %) from the first interval to the last, no
 * errors, the last interval's update and query p99 at most {@code --p99-factor} (1.5) times the first's, and a
 * backlog at the end of at most {@code --max-backlog} seconds of input (10). Everything, broker and load generator
 * included, runs in this JVM, so the heap is theirs too.
 *
 * <p>{@code mvn -Pbench verify -Dbench.args="soak"}: 10,000 series for 10 minutes. {@code soak --quick}: 1000
 * series, 2 minutes in 20 s intervals. Options: {@code --series --duration --interval --rate --load --query-rate
 * --calibrate-events-per-series --threads --partitions --heap-growth --p99-factor --max-backlog --seed --untrained}.
 */
final class SoakBench {

    private SoakBench() {
    }

    private record Options(int series, Duration duration, Duration interval, double rate, double load,
                           double queryRate, double calibrateEvents, int threads, int partitions,
                           SoakVerdict.Limits limits, double maxBacklogSeconds, long seed,
                           boolean untrained) {

        static Options parse(String[] args) {
            BenchArgs a = new BenchArgs(args, Set.of("quick", "untrained"));
            boolean quick = a.flag("quick");
            int threads = a.integer("threads", Runtime.getRuntime().availableProcessors());
            double backlogSeconds = a.real("max-backlog", 10);
            Options o = new Options(a.integer("series", quick ? 1_000 : 10_000),
                    a.duration("duration", Duration.ofMinutes(quick ? 2 : 10)),
                    a.duration("interval", Duration.ofSeconds(quick ? 20 : 60)), a.real("rate", 0),
                    a.real("load", 0.8), a.real("query-rate", 200), a.real("calibrate-events-per-series", 4),
                    threads, a.integer("partitions", threads),
                    new SoakVerdict.Limits(a.real("heap-growth", 0.10), a.real("p99-factor", 1.5), 0),
                    backlogSeconds, a.integer("seed", 1), a.flag("untrained"));
            a.done();
            return o;
        }
    }

    /** The cumulative counts an interval's sample is the difference of. */
    private record Totals(long nanos, long eventsIn, long produced, LatencyRecorder.Snapshot queries,
                          TimerWindow.Reading updates, SoakVerdict.Errors errors) {
    }

    static void run(String[] args) throws Exception {
        Options o = Options.parse(args);
        LoadedModel model = LoadRig.model(o.untrained(), o.seed());
        EngineConfig config = EngineConfig.defaults(model);
        IrregularSeriesConfig shape = Workload.config(o.series(), o.calibrateEvents(), model.config());
        List<Workload.Payload> preload = Workload.onceEndingNow(shape, o.seed());
        PrometheusMeterRegistry registry = LoadRig.registry();
        EngineMetrics metrics = new EngineMetrics(registry);
        LongAdder streamExceptions = new LongAdder();
        try (LoadRig rig = LoadRig.start(o.partitions());
             Engine engine = rig.startEngine(config, o.threads(), metrics, streamExceptions);
             QueryServer http = QueryServer.start(new InetSocketAddress("localhost", 0),
                     new StreamsBackend(engine.streams(), null), config, metrics, registry, 4);
             QueryLoad queries = new QueryLoad(http.port(), EngineBench.seriesIn(preload), "horizon=1s,5s,15s",
                     o.seed())) {
            LoadRig.Throughput max = rig.saturate(config.topics().events(), config.topics().forecasts(), preload,
                    Duration.ofMinutes(2));
            double rate = o.rate() > 0 ? o.rate() : o.load() * max.eventsPerSecond();
            System.out.printf("bench soak: %d series, preload %d events at %.0f events/s; steady input %.0f"
                    + " events/s, queries %.0f/s, for %s%n", o.series(), preload.size(), max.eventsPerSecond(),
                    rate, o.queryRate(), o.duration());
            SoakVerdict.Limits limits = new SoakVerdict.Limits(o.limits().heapGrowth(), o.limits().p99Factor(),
                    Math.round(o.maxBacklogSeconds() * rate));
            List<SoakVerdict.Sample> samples = soak(o, rig, engine, registry, queries, shape, rate, streamExceptions);
            print(o, rate, max, samples, limits);
        }
    }

    private static List<SoakVerdict.Sample> soak(Options o, LoadRig rig, Engine engine,
                                                 PrometheusMeterRegistry registry, QueryLoad queries,
                                                 IrregularSeriesConfig shape, double rate, LongAdder streamExceptions)
            throws InterruptedException {
        long start = System.nanoTime();
        long end = start + o.duration().toNanos();
        Thread producer = rig.steady(engine.config().topics().events(), Workload.endless(shape, o.seed() + 1,
                System.currentTimeMillis(), Workload.msPerUnit(o.series(), rate)), rate, end);
        Thread querying = queries.start(o.queryRate(), end);
        Timer update = registry.get("odestream.update.latency").timer();
        Counter forecastFailures = registry.get("odestream.forecast.failures").counter();
        Probe probe = () -> new Totals(System.nanoTime(), engine.metrics().eventsIn(), rig.acked(),
                queries.latency.snapshot(), TimerWindow.read(update), new SoakVerdict.Errors(queries.non2xx.sum(),
                queries.failed.sum(), engine.metrics().eventsRejected(), engine.metrics().eventsLate(),
                (long) forecastFailures.count(), streamExceptions.sum(), rig.producerErrors()));
        List<SoakVerdict.Sample> samples = new ArrayList<>();
        Totals previous = probe.read();
        Work work = Work.read(registry);
        for (int i = 1; System.nanoTime() < end - o.interval().toNanos() / 2; i++) {
            long due = Math.min(start + i * o.interval().toNanos(), end);
            Thread.sleep(Math.max(0, due - System.nanoTime()) / 1_000_000);
            double heap = heapAfterGcMb();
            Totals now = probe.read();
            samples.add(sample(i, previous, now, heap));
            SoakVerdict.Sample s = samples.getLast();
            System.out.printf("bench soak: #%d %.0f events/s, backlog %d, heap %.1f MiB, update p99 %.3f ms, query"
                    + " p99 %.2f ms, errors %d%n", i, s.eventsPerSecond(), s.backlog(), s.heapAfterGcMb(),
                    s.updateP99Ms(), s.queryP99Ms(), s.errors().total());
            Work nowWork = Work.read(registry);
            System.out.printf("bench soak: #%d %s%n", i, nowWork.since(work));
            work = nowWork;
            previous = now;
        }
        producer.join();
        querying.join();
        queries.drain(Duration.ofSeconds(15));
        return samples;
    }

    /**
     * The engine's cumulative work counters: derivative evaluations per accepted event (count and sum of
     * {@code odestream.update.nfe}), update time, re-encoded series and reordered events.
     */
    private record Work(double events, double evaluations, double updates, double updateMicros, double reencoded,
                        double reordered) {

        static Work read(PrometheusMeterRegistry registry) {
            DistributionSummary nfe = registry.get("odestream.update.nfe").summary();
            Timer update = registry.get("odestream.update.latency").timer();
            return new Work(nfe.count(), nfe.totalAmount(), update.count(), update.totalTime(TimeUnit.MICROSECONDS),
                    registry.get("odestream.series.reencoded").counter().count(),
                    registry.get("odestream.events.reordered").counter().count());
        }

        /** @return the work per event between {@code before} and this reading, as one line. */
        String since(Work before) {
            return String.format(Locale.ROOT, "work per event: %.1f derivative evaluations, %.0f us update mean;"
                    + " re-encoded %.0f, reordered %.0f", (evaluations - before.evaluations)
                    / Math.max(1, events - before.events), (updateMicros - before.updateMicros)
                    / Math.max(1, updates - before.updates), reencoded - before.reencoded,
                    reordered - before.reordered);
        }
    }

    @FunctionalInterface
    private interface Probe {
        Totals read();
    }

    private static SoakVerdict.Sample sample(int index, Totals a, Totals b, double heapMb) {
        double seconds = (b.nanos() - a.nanos()) / 1e9;
        LatencyRecorder.Snapshot q = b.queries().minus(a.queries());
        SoakVerdict.Errors e = b.errors();
        SoakVerdict.Errors d = a.errors();
        return new SoakVerdict.Sample(index, (b.eventsIn() - a.eventsIn()) / seconds, b.produced() - b.eventsIn(),
                heapMb, b.updates().millisAt(a.updates(), 0.99), q.millisAt(0.5), q.millisAt(0.99), q.count(),
                new SoakVerdict.Errors(e.httpNon2xx() - d.httpNon2xx(), e.httpFailed() - d.httpFailed(),
                        e.deadLetters() - d.deadLetters(), e.late() - d.late(),
                        e.forecastFailures() - d.forecastFailures(), e.streamExceptions() - d.streamExceptions(),
                        e.producerErrors() - d.producerErrors()));
    }

    /** Forces a full collection and sums what the heap pools hold after it. */
    static double heapAfterGcMb() {
        System.gc();
        long used = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            MemoryUsage after = pool.getType() == MemoryType.HEAP ? pool.getCollectionUsage() : null;
            used += after == null ? 0 : after.getUsed();
        }
        return used / (1024.0 * 1024.0);
    }

    private static void print(Options o, double rate, LoadRig.Throughput max, List<SoakVerdict.Sample> samples,
                              SoakVerdict.Limits limits) {
        Table table = new Table("interval", "events/s", "backlog", "heap after GC MiB", "update p99 ms",
                "queries", "query p50 ms", "query p99 ms", "non-2xx", "failed", "DLQ", "late", "forecast fail",
                "stream exc", "producer err");
        for (SoakVerdict.Sample s : samples) {
            SoakVerdict.Errors e = s.errors();
            table.row(s.index(), Table.fmt(s.eventsPerSecond(), 0), s.backlog(), Table.fmt(s.heapAfterGcMb(), 1),
                    Table.fmt(s.updateP99Ms(), 3), s.queries(), Table.fmt(s.queryP50Ms(), 2),
                    Table.fmt(s.queryP99Ms(), 2), e.httpNon2xx(), e.httpFailed(), e.deadLetters(), e.late(),
                    e.forecastFailures(), e.streamExceptions(), e.producerErrors());
        }
        table.print("Soak, " + o.series() + " series, " + (o.untrained() ? "untrained" : "bundled") + " model: input "
                + Table.fmt(rate, 0) + " events/s ("
                + (o.rate() > 0 ? "given" : Table.fmt(o.load(), 2) + " x measured max " + Table.fmt(
                max.eventsPerSecond(), 0)) + "), queries " + Table.fmt(o.queryRate(), 0) + "/s, "
                + o.interval().toSeconds() + " s intervals");
        List<SoakVerdict.Check> checks = SoakVerdict.judge(samples, limits);
        Table verdict = new Table("check", "result", "first interval -> last");
        checks.forEach(c -> verdict.row(c.name(), c.passed() ? "pass" : "FAIL", c.detail()));
        verdict.print("Soak verdict: " + (SoakVerdict.passed(checks) ? "PASS" : "FAIL"));
    }
}
