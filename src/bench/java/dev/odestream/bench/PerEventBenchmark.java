package dev.odestream.bench;

import dev.odestream.model.Forecast;
import dev.odestream.model.LatentOdeModel;
import dev.odestream.model.ModelConfig;
import dev.odestream.model.SeriesState;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * What the streaming engine pays per event at the reference size ({@link ModelConfig#reference()}: {@code D = 4,
 * L = 8, H = 32}, dynamics hidden 64, {@code S = 16}): one {@code observe} (encoder ODE over the gap plus a GRU step)
 * and one single-horizon {@code forecast} (posterior, one solve of {@code [z, Lambda]} over the 16 samples, decode).
 *
 * <p>Each invocation starts from the same series state, restored from a snapshot taken after a warm-up history, so
 * the measured cost is stationary rather than drifting with an ever-longer series; the restore copies 32 doubles.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class PerEventBenchmark {

    private LatentOdeModel model;
    private SeriesState snapshot;

    @Setup
    public void setUp() {
        model = new LatentOdeModel(ModelConfig.reference(), 7L);
        snapshot = model.newState();
        SplittableRandom rng = new SplittableRandom(11L);
        double t = 0.0;
        for (int i = 0; i < 50; i++) {
            t += rng.nextDouble(0.05, 1.0);
            model.observe(snapshot, t, rng.doubles(4, -1, 1).toArray(), null, 0);
        }
    }

    /** Workspace of {@link #observe}; its own state class so that its parameter does not multiply the forecasts. */
    @State(Scope.Thread)
    public static class ObserveInput {

        /** Time since the last event: the encoder ODE's integration span. */
        @Param({"0.1", "1.0"})
        public double gap;

        final double[] values = {0.3, -0.1, 0.8, 0.0};
        final boolean[] mask = {true, true, true, false};
        SeriesState state;

        @Setup
        public void setUp(PerEventBenchmark bench) {
            state = bench.model.newState();
        }
    }

    /** Workspace of {@link #forecastOneHorizon}. */
    @State(Scope.Thread)
    public static class ForecastInput {

        /** Forecast horizon past the last event. */
        @Param({"0.25", "1.0", "4.0"})
        public double horizon;

        final double[] times = new double[1];
        Forecast forecast;

        @Setup
        public void setUp(PerEventBenchmark bench) {
            forecast = bench.model.newForecast(1);
        }
    }

    @Benchmark
    public SeriesState observe(ObserveInput in) {
        in.state.copyFrom(snapshot);
        model.observe(in.state, snapshot.lastTime() + in.gap, in.values, in.mask, 0);
        return in.state;
    }

    @Benchmark
    public Forecast forecastOneHorizon(ForecastInput in) {
        in.times[0] = snapshot.lastTime() + in.horizon;
        model.forecast(snapshot, in.times, in.forecast);
        return in.forecast;
    }
}
