package dev.odestream.bench;

import dev.odestream.cuda.CudaBackend;
import dev.odestream.cuda.CudaDriver;
import dev.odestream.data.Spiral;
import dev.odestream.data.SpiralConfig;
import dev.odestream.data.Spirals;
import dev.odestream.model.ModelConfig;
import dev.odestream.model.Window;
import dev.odestream.model.checkpoint.LoadedModel;
import dev.odestream.nn.Activation;
import dev.odestream.nn.DynamicsKind;
import dev.odestream.train.CpuBackend;
import dev.odestream.train.TrainingBackend;
import dev.odestream.train.TrainingSettings;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Training samples per second of the worker's backends, GPU against CPU, at minibatches of 256, 1024 and 4096
 * spirals (30 observed points of context, 20 targets each; latent 4, recognition 25, hidden 20, dopri5 at
 * {@code rtol 1e-5, atol 1e-7}). Each backend trains one warm-up step, then the timed round of {@code iterations}
 * steps; the table gives {@code RoundStats.samplesPerSecond} of the timed round.
 *
 * <p>{@code mvn -Pbench verify -Dbench.args="gpu [iterations [threads [batch...]]]"}; defaults 3, every processor,
 * and 256 1024 4096. Without a CUDA device it prints the probe's reason and returns.
 */
public final class GpuTraining {

    private static final ModelConfig CONFIG = new ModelConfig(Spiral.DIMENSION, 1, 4, 25, 25, 20, 20,
            Activation.TANH, 0.3, 1, 1e-5, 1e-7).withDynamics(DynamicsKind.MLP, ModelConfig.NO_GAP_LIMIT);

    private GpuTraining() {
    }

    public static void run(String[] args) {
        CudaDriver.Probe probe = CudaDriver.probe();
        if (!probe.available()) {
            System.out.println("gpu bench: no CUDA device (" + probe.reason() + "); nothing to measure");
            return;
        }
        int iterations = args.length > 0 ? Integer.parseInt(args[0]) : 3;
        int threads = args.length > 1 ? Integer.parseInt(args[1]) : Runtime.getRuntime().availableProcessors();
        int[] batches = args.length > 2 ? Arrays.stream(args, 2, args.length).mapToInt(Integer::parseInt).toArray()
                : new int[] {256, 1024, 4096};
        System.out.println("gpu bench on " + probe.reason());
        Table table = new Table("batch", "cpu samples/s (" + threads + " threads)", "gpu samples/s", "gpu / cpu",
                "gpu s/step", "gpu NFE fwd/step", "gpu NFE bwd/step");
        try (CudaBackend gpu = CudaBackend.open(threads); CpuBackend cpu = new CpuBackend(threads)) {
            for (int batch : batches) {
                List<Window> windows = windows(batch);
                TrainingBackend.RoundStats c = measure(cpu, windows, batch, iterations);
                TrainingBackend.RoundStats g = measure(gpu, windows, batch, iterations);
                table.row(batch, String.format("%.1f", c.samplesPerSecond()),
                        String.format("%.1f", g.samplesPerSecond()),
                        String.format("%.2f", g.samplesPerSecond() / c.samplesPerSecond()),
                        String.format("%.3f", g.secondsPerStep()), g.forwardNfe() / g.steps(),
                        g.backwardNfe() / g.steps());
            }
        }
        table.print("Training throughput, GPU vs CPU backend (" + iterations + " timed steps after one warm-up)");
    }

    private static TrainingBackend.RoundStats measure(TrainingBackend backend, List<Window> windows, int batch,
                                                      int iterations) {
        LoadedModel start = LoadedModel.initial(CONFIG, 1L);
        try (TrainingBackend.Session warm = backend.open(start, settings(1, batch))) {
            warm.train(windows);
        }
        try (TrainingBackend.Session s = backend.open(start, settings(iterations, batch))) {
            return s.train(windows);
        }
    }

    private static TrainingSettings settings(int iterations, int batch) {
        return new TrainingSettings(iterations, batch, 0.005, 10.0, 1, 1, 1L);
    }

    private static List<Window> windows(int count) {
        List<Window> out = new ArrayList<>(count);
        for (Spiral s : Spirals.generate(SpiralConfig.paper(30).withCount(count), 7L).spirals()) {
            Window.Builder b = Window.builder();
            for (int i = 0; i < s.observedCount(); i++) {
                b.context(s.observedTime(i), new double[] {s.observedValue(i, 0), s.observedValue(i, 1)}, null, 0);
            }
            for (int j = 0; j < Math.min(20, s.targetCount()); j++) {
                b.target(s.targetTime(j), new double[] {s.targetValue(j, 0), s.targetValue(j, 1)}, null);
            }
            out.add(b.build());
        }
        return out;
    }
}
