package dev.odestream.bench;

import dev.odestream.data.Spiral;
import dev.odestream.data.SpiralConfig;
import dev.odestream.data.Spirals;
import dev.odestream.model.BatchedElbo.Stepping;
import dev.odestream.model.BatchedElbo;
import dev.odestream.model.LatentOdeModel;
import dev.odestream.model.ModelConfig;
import dev.odestream.model.Window;
import dev.odestream.model.checkpoint.DataRange;
import dev.odestream.nn.Activation;
import dev.odestream.nn.DynamicsKind;
import dev.odestream.nn.AdamSettings;
import dev.odestream.train.LatentOdeTrainable;
import dev.odestream.train.Progress;
import dev.odestream.train.TrainableModel;
import dev.odestream.train.Trainer;
import dev.odestream.train.TrainerConfig;
import dev.odestream.train.TrainingResult;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * Seconds per training iteration of the latent ODE on the work of torchdiffeq's {@code examples/latent_ode.py}:
 * 1000 spirals of 100 points, latent 4, dynamics and decoder hidden 20, a recognition network of 25 units, dopri5 at
 * {@code rtol 1e-7, atol 1e-9}, the whole data set as one batch, gradients by the adjoint (re-integrating mode).
 *
 * <p>Each spiral is a window whose context is its 100 observed points and whose targets are 100 points after them,
 * so an iteration encodes 100 points, solves the latent ODE through 100 output times and decodes 100 points per
 * spiral, as the reference does. Two differences stay: the recognition network here is an ODE-RNN (an ODE of width
 * 25 between observations, 99 extra solves per spiral, forward and adjoint), where the reference's is a plain RNN;
 * and in the per-series rows each spiral is a batch of its own (its own adaptive steps, spread over the threads),
 * where the reference solves the 1000 spirals as one 4000-dimensional system on their shared grid. The second row
 * takes the encoder out (a context of one point) to show what the latent solve, decoder and their adjoint cost alone.
 *
 * <p>The batched rows ({@link LatentOdeTrainable}) solve each worker's slice (500 spirals on two threads) as one
 * system on the union grid, forward and adjoint, as the reference does; one of them uses a GRU with no ODE between
 * observations, the nearest to the reference's plain recurrent recognition network. Each batched row runs twice, with
 * {@link BatchedElbo.Stepping#RESTART} (a solve and a first-step estimate per grid segment) and with
 * {@link BatchedElbo.Stepping#CONTINUOUS} (one dense-output pass, steps carried from segment to segment),
 * and the "vs restart" column divides the first's time by the second's.
 *
 * <p>{@code mvn -Pbench verify -Dbench.args="train [rounds [threads [batched]]]"}; defaults 3, 2 and every row;
 * {@code batched} leaves out the per-series rows, which take minutes. The rows take turns: each round runs every row
 * for one warm-up and one timed iteration; the table gives the median over the rounds.
 */
public final class TrainingSpeed {

    private static final int SPIRALS = 1000;

    private TrainingSpeed() {
    }

    public static void run(String[] args) {
        int iterations = args.length > 0 ? Integer.parseInt(args[0]) : 3;
        int threads = args.length > 1 ? Integer.parseInt(args[1]) : 2;
        boolean batchedOnly = args.length > 2 && args[2].equals("batched");
        List<Spiral> spirals = Spirals.generate(SpiralConfig.paper(100).withCount(SPIRALS), 1L).spirals();
        Table table = new Table("path", "stepping", "recognition", "context points", "threads", "median s/it",
                "vs per-series", "vs restart", "NFE forward/it", "NFE backward/it", "ms per spiral (1 thread equiv.)");
        Map<Variant, List<Progress>> runs = interleaved(spirals, iterations, threads, batchedOnly);
        double[] perSeries = {Double.NaN, Double.NaN};
        double restart = Double.NaN;
        for (Map.Entry<Variant, List<Progress>> run : runs.entrySet()) {
            Variant v = run.getKey();
            List<Progress> timed = run.getValue();
            double seconds = median(timed.stream().mapToDouble(Progress::secondsPerIteration).toArray());
            int reference = v.context > 1 ? 0 : 1;
            if (v.batched == null) {
                perSeries[reference] = seconds;
            } else if (v.stepping == BatchedElbo.Stepping.RESTART) {
                restart = seconds;
            }
            boolean continuous = v.stepping == BatchedElbo.Stepping.CONTINUOUS;
            table.row(v.batched == null ? "per series" : "batched", v.batched == null ? "-" : v.stepping, v.label,
                    v.context, threads, Table.fmt(seconds, 3), ratio(perSeries[reference], seconds),
                    continuous ? ratio(restart, seconds) : "-",
                    Table.fmt(mean(timed, "nfe.forward"), 0), Table.fmt(mean(timed, "nfe.backward"), 0),
                    Table.fmt(1000 * seconds * threads / SPIRALS, 2));
        }
        table.print("Latent ODE training speed, latent_ode.py work (1000 spirals x 100 points, dopri5 1e-7/1e-9,"
                + " full batch, adjoint)");
    }

    /**
     * One timed iteration of every row per round, the rows taking turns, so that a change in the machine's load
     * during the run falls on every row alike rather than on whichever ran then: the ratios between rows hold up on
     * a shared machine even when the seconds do not.
     */
    private static Map<Variant, List<Progress>> interleaved(List<Spiral> spirals, int rounds, int threads,
                                                            boolean batchedOnly) {
        Map<Variant, List<Progress>> runs = new EnumMap<>(Variant.class);
        for (int round = 0; round < rounds; round++) {
            for (Variant v : Variant.values()) {
                if (!batchedOnly || v.batched != null) {
                    runs.computeIfAbsent(v, k -> new ArrayList<>())
                            .addAll(measure(v, windows(spirals, v.context), 1, threads));
                }
            }
        }
        return runs;
    }

    /**
     * The rows of the table: each path with the ODE-RNN encoder, and without an encoder (a context of one point);
     * the batched path also with the plain recurrent encoder, the reference's kind of recognition network. The
     * "vs per-series" column divides the per-series row with the same context by the row's time.
     */
    private enum Variant {
        PER_SERIES_ODE_RNN(null, null, "ODE-RNN 25 (ode 25)", 100),
        PER_SERIES_NONE(null, null, "none (one point)", 1),
        BATCHED_ODE_RNN_RESTART(BatchedElbo.Recognition.ODE_RNN, Stepping.RESTART, "ODE-RNN 25 (ode 25)",
                100),
        BATCHED_ODE_RNN(BatchedElbo.Recognition.ODE_RNN, Stepping.CONTINUOUS, "ODE-RNN 25 (ode 25)", 100),
        BATCHED_RNN_RESTART(BatchedElbo.Recognition.RNN, Stepping.RESTART, RNN_LABEL, 100),
        BATCHED_RNN(BatchedElbo.Recognition.RNN, Stepping.CONTINUOUS, RNN_LABEL, 100),
        BATCHED_NONE_RESTART(BatchedElbo.Recognition.ODE_RNN, Stepping.RESTART, "none (one point)", 1),
        BATCHED_NONE(BatchedElbo.Recognition.ODE_RNN, Stepping.CONTINUOUS, "none (one point)", 1);

        final BatchedElbo.Recognition batched;
        final Stepping stepping;
        final String label;
        final int context;

        Variant(BatchedElbo.Recognition batched, Stepping stepping, String label, int context) {
            this.batched = batched;
            this.stepping = stepping;
            this.label = label;
            this.context = context;
        }
    }

    private static final String RNN_LABEL = "GRU 25, no ODE (like the reference's RNN)";

    /** @return the progress of every timed iteration, after one warm-up iteration */
    private static List<Progress> measure(Variant v, List<Window> windows, int iterations, int threads) {
        ModelConfig config = new ModelConfig(Spiral.DIMENSION, 1, 4, 25, 25, 20, 20, Activation.TANH, 0.3, 1, 1e-7,
                1e-9).withDynamics(DynamicsKind.MLP, ModelConfig.NO_GAP_LIMIT);
        LatentOdeModel latent = new LatentOdeModel(config, 1L);
        TrainableModel<Window> model = v.batched == null
                ? new LatentOdeTrainable(latent, LatentOdeTrainable.Validation.RMSE, 1L)
                : new LatentOdeTrainable(latent, LatentOdeTrainable.Validation.RMSE, 1L, 1.0,
                        new LatentOdeTrainable.Options(v.batched, SPIRALS, v.stepping));
        TrainerConfig trainer = TrainerConfig.builder().iterations(iterations + 1).batchSize(windows.size())
                .threads(threads).shards(threads).seed(1L).adam(AdamSettings.of(0.01)).evaluateEvery(iterations + 1)
                .logEvery(1).build();
        TrainingResult result;
        try (Trainer<Window> t = new Trainer<>(model, trainer, line -> System.out.println("  " + line))) {
            result = t.train(windows, List.of(), new DataRange(Instant.EPOCH, Instant.EPOCH, 0));
        }
        return result.progress().subList(1, result.progress().size());
    }

    private static List<Window> windows(List<Spiral> spirals, int contextPoints) {
        List<Window> out = new ArrayList<>(spirals.size());
        for (Spiral s : spirals) {
            Window.Builder b = Window.builder();
            for (int i = s.observedCount() - contextPoints; i < s.observedCount(); i++) {
                b.context(s.observedTime(i), new double[] {s.observedValue(i, 0), s.observedValue(i, 1)}, null, 0);
            }
            for (int j = 0; j < s.targetCount(); j++) {
                b.target(s.targetTime(j), new double[] {s.targetValue(j, 0), s.targetValue(j, 1)}, null);
            }
            out.add(b.build());
        }
        return out;
    }

    /** @return {@code reference / seconds} as "2.0x", or "-" when the reference row was not run */
    private static String ratio(double reference, double seconds) {
        return Double.isNaN(reference) ? "-" : Table.fmt(reference / seconds, 2) + "x";
    }

    private static double mean(List<Progress> progress, String counter) {
        return progress.stream().mapToDouble(p -> p.counters().getOrDefault(counter, Double.NaN)).average()
                .orElse(Double.NaN);
    }

    private static double median(double[] values) {
        double[] v = values.clone();
        Arrays.sort(v);
        return v.length % 2 == 1 ? v[v.length / 2] : 0.5 * (v[v.length / 2 - 1] + v[v.length / 2]);
    }
}
