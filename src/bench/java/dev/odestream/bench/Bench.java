package dev.odestream.bench;

import java.util.Arrays;
import java.util.Collection;
import java.util.Map;
import org.openjdk.jmh.profile.GCProfiler;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.CommandLineOptions;
import org.openjdk.jmh.runner.options.OptionsBuilder;

/**
 * The bench command: {@code mvn -Pbench verify -Dbench.args="<what>"} with {@code what} one of
 * <ul>
 *   <li>{@code all} (default): every table below;</li>
 *   <li>{@code solvers}: dopri5 against Hipparchus' DormandPrince54Integrator, side by side;</li>
 *   <li>{@code mlp}: neural dynamics forward and VJP in JMH with the GC profiler (ns/op, GFLOP/s, B/op);</li>
 *   <li>{@code perevent}: per-event {@code observe} and one-horizon {@code forecast} at the reference size in JMH
 *       (median µs, B/op), with each forecast's derivative evaluations, which do not depend on the load;</li>
 *   <li>{@code heap}: peak heap against the number of steps, adjoint re-integration against direct backprop;</li>
 *   <li>{@code train [rounds [threads [batched]]]}: seconds per latent ODE training iteration on the work of
 *       torchdiffeq's {@code examples/latent_ode.py} (not part of {@code all}: it takes minutes);</li>
 *   <li>{@code gpu [iterations [threads [batch...]]]}: training samples per second, CUDA backend against CPU
 *       backend, at minibatches of 256, 1024 and 4096 ({@link GpuTraining}; prints the probe's reason and returns
 *       without a device; not part of {@code all});</li>
 *   <li>{@code engine [--quick] [options]}: the engine on an in-process broker: sustained throughput against a plain
 *       Kafka Streams application, state bytes per series, forecast query latency under load ({@link EngineBench};
 *       not part of {@code all});</li>
 *   <li>{@code soak [--quick] [options]}: ten minutes at 80 % of the measured maximum throughput with queries, a
 *       per-minute table and a verdict ({@link SoakBench}; not part of {@code all});</li>
 *   <li>{@code flood [options]}: valid-event throughput with and without a flood of bad records, on an in-process
 *       broker, and with {@code --profile} where the stream threads spend the flood ({@link FloodBench}; not part
 *       of {@code all});</li>
 *   <li>{@code jmh <JMH options>}: JMH itself, e.g. {@code jmh MlpDynamics -prof gc}.</li>
 * </ul>
 * Every figure is a median, and every comparison is taken in the same run, interleaved where it can be.
 */
public final class Bench {

    private Bench() {
    }

    public static void main(String[] args) throws Exception {
        String what = args.length == 0 ? "all" : args[0];
        switch (what) {
            case "all" -> {
                dev.odestream.ode.SolverComparison.run();
                AdjointMemory.run();
                mlp();
            }
            case "solvers" -> dev.odestream.ode.SolverComparison.run();
            case "heap" -> AdjointMemory.run();
            case "mlp" -> mlp();
            case "perevent" -> perEvent();
            case "train" -> TrainingSpeed.run(Arrays.copyOfRange(args, 1, args.length));
            case "gpu" -> GpuTraining.run(Arrays.copyOfRange(args, 1, args.length));
            case "engine" -> EngineBench.run(Arrays.copyOfRange(args, 1, args.length));
            case "soak" -> SoakBench.run(Arrays.copyOfRange(args, 1, args.length));
            case "flood" -> FloodBench.run(Arrays.copyOfRange(args, 1, args.length));
            case "jmh" -> new Runner(new CommandLineOptions(Arrays.copyOfRange(args, 1, args.length))).run();
            default -> throw new IllegalArgumentException("unknown bench '" + what
                    + "': all|solvers|mlp|perevent|heap|train|gpu|engine|soak|flood|jmh");
        }
    }

    private static void mlp() throws RunnerException {
        Collection<RunResult> results = new Runner(new OptionsBuilder()
                .include(MlpDynamicsBenchmark.class.getName())
                .addProfiler(GCProfiler.class)
                .forks(1).warmupIterations(3).warmupTime(seconds(1))
                .measurementIterations(5).measurementTime(seconds(1))
                .build()).run();
        Table table = new Table("benchmark", "batch", "latent", "hidden", "median ns/op", "GFLOP/s", "B/op");
        for (RunResult r : results) {
            var p = r.getParams();
            String name = p.getBenchmark().substring(p.getBenchmark().lastIndexOf('.') + 1);
            int batch = Integer.parseInt(p.getParam("batch"));
            int latent = Integer.parseInt(p.getParam("latent"));
            int hidden = Integer.parseInt(p.getParam("hidden"));
            double ns = r.getPrimaryResult().getStatistics().getPercentile(50);
            double gflops = MlpDynamicsBenchmark.flops(name, batch, latent, hidden) / ns;
            table.row(name, batch, latent, hidden, Table.fmt(ns, 1), Table.fmt(gflops, 2),
                    Table.fmt(secondary(r.getSecondaryResults(), "gc.alloc.rate.norm"), 2));
        }
        table.print("MLP dynamics, forward and forward + VJP (JMH, 1 fork, 5 x 1 s)");
    }

    private static void perEvent() throws Exception {
        Collection<RunResult> results = new Runner(new OptionsBuilder()
                .include(PerEventBenchmark.class.getName())
                .addProfiler(GCProfiler.class)
                .forks(1).warmupIterations(3).warmupTime(seconds(1))
                .measurementIterations(5).measurementTime(seconds(1))
                .build()).run();
        Table table = new Table("benchmark", "gap / horizon", "forecast rtol", "parameters", "first step", "NFE", "median µs/op",
                "B/op");
        for (RunResult r : results) {
            var p = r.getParams();
            String name = p.getBenchmark().substring(p.getBenchmark().lastIndexOf('.') + 1);
            boolean forecast = name.startsWith("forecast");
            String span = forecast ? p.getParam("horizon") : p.getParam("gap");
            String rtol = forecast ? p.getParam("forecastRtol") : "-";
            String parameters = forecast ? p.getParam("parameters") : "seeded";
            String firstStep = forecast ? p.getParam("firstStep") : "-";
            String nfe = forecast ? Long.toString(PerEventBenchmark.forecastNfe(Double.parseDouble(span),
                    Double.parseDouble(rtol), parameters, firstStep)) : "-";
            table.row(name, span, rtol, parameters, firstStep, nfe,
                    Table.fmt(r.getPrimaryResult().getStatistics().getPercentile(50), 1),
                    Table.fmt(secondary(r.getSecondaryResults(), "gc.alloc.rate.norm"), 2));
        }
        table.print("Per-event cost at the reference size (JMH, 1 fork, 5 x 1 s)");
    }

    private static double secondary(Map<String, Result> results, String suffix) {
        return results.entrySet().stream().filter(e -> e.getKey().endsWith(suffix))
                .mapToDouble(e -> e.getValue().getScore()).findFirst().orElse(Double.NaN);
    }

    private static org.openjdk.jmh.runner.options.TimeValue seconds(int s) {
        return org.openjdk.jmh.runner.options.TimeValue.seconds(s);
    }
}
