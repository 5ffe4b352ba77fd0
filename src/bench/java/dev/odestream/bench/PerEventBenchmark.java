package dev.odestream.bench;

import dev.odestream.model.Forecast;
import dev.odestream.model.LatentOdeModel;
import dev.odestream.model.ModelConfig;
import dev.odestream.model.SeriesState;
import dev.odestream.model.checkpoint.CheckpointCodec;
import dev.odestream.model.checkpoint.LoadedModel;
import java.io.InputStream;
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
        snapshot = history(model);
    }

    /** 50 events at gaps of 0.05 to 1 with values in [-1, 1], the same for every model. */
    static SeriesState history(LatentOdeModel model) {
        SeriesState state = model.newState();
        SplittableRandom rng = new SplittableRandom(11L);
        double t = 0.0;
        for (int i = 0; i < 50; i++) {
            t += rng.nextDouble(0.05, 1.0);
            model.observe(state, t, rng.doubles(4, -1, 1).toArray(), null, 0);
        }
        return state;
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

    /**
     * Workspace of {@link #forecastOneHorizon}, with a model of its own: the forecast tolerance and the parameters
     * vary here, while the history observed is the one of {@link #setUp()}.
     */
    @State(Scope.Thread)
    public static class ForecastInput {

        /** Forecast horizon past the last event. */
        @Param({"0.25", "1.0", "4.0"})
        public double horizon;

        /**
         * The forecast solve's rtol (atol a hundredth of it): 1e-3 is {@link ModelConfig#reference()}'s forecast
         * setting, 1e-5 the model's own tolerance, which forecasts used before they had their own.
         */
        @Param({"1e-3", "1e-5"})
        public double forecastRtol;

        /** {@code seeded}: the untrained initial model of seed 7; {@code bundled}: the engine's default model. */
        @Param({"seeded", "bundled"})
        public String parameters;

        /** {@code span}: the first step tries the whole horizon, bounded (the default); {@code hairer}: the estimate. */
        @Param({"span", "hairer"})
        public String firstStep = "span";

        final double[] times = new double[1];
        LatentOdeModel model;
        SeriesState snapshot;
        Forecast forecast;

        @Setup
        public void setUp() throws Exception {
            ModelConfig config = ModelConfig.reference().withForecastTolerances(forecastRtol, forecastRtol / 100);
            LatentOdeModel source = parameters.equals("bundled") ? bundled() : new LatentOdeModel(config, 7L);
            model = new LatentOdeModel(config, source.seed());
            model.forecastSpanFirst(firstStep.equals("span"));
            System.arraycopy(source.parameters().values(), 0, model.parameters().values(), 0,
                    model.parameters().size());
            snapshot = history(model);
            forecast = model.newForecast(1);
        }

        private static LatentOdeModel bundled() throws Exception {
            try (InputStream in = PerEventBenchmark.class.getResourceAsStream("/models/default.odsc")) {
                return LoadedModel.load(CheckpointCodec.decode(in.readAllBytes()));
            }
        }
    }

    /** @return the derivative evaluations of one forecast of a {@link ForecastInput} with these parameters. */
    static long forecastNfe(double horizon, double forecastRtol, String parameters, String firstStep)
            throws Exception {
        ForecastInput in = new ForecastInput();
        in.firstStep = firstStep;
        in.horizon = horizon;
        in.forecastRtol = forecastRtol;
        in.parameters = parameters;
        in.setUp();
        in.times[0] = in.snapshot.lastTime() + horizon;
        in.model.forecast(in.snapshot, in.times, in.forecast);
        return in.model.lastNfe();
    }

    @Benchmark
    public SeriesState observe(ObserveInput in) {
        in.state.copyFrom(snapshot);
        model.observe(in.state, snapshot.lastTime() + in.gap, in.values, in.mask, 0);
        return in.state;
    }

    @Benchmark
    public Forecast forecastOneHorizon(ForecastInput in) {
        in.times[0] = in.snapshot.lastTime() + in.horizon;
        in.model.forecast(in.snapshot, in.times, in.forecast);
        return in.forecast;
    }
}
