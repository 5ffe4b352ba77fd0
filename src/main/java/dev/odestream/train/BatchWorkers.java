package dev.odestream.train;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Computes a minibatch's loss and gradient, or a validation score, on a fixed pool of worker threads.
 *
 * <p>The batch is cut into {@code shards} contiguous slices. Worker {@code w} owns replica {@code w} and computes
 * shards {@code w, w + threads, ...}, each into its own gradient buffer; the calling thread then adds the buffers in
 * shard order. Floating-point addition is not associative, so this fixed order is what makes the result a function
 * of the data and the shard count alone: bitwise the same for any thread count and any timing.
 */
final class BatchWorkers<W> implements AutoCloseable {

    private final TrainableModel<W> master;
    private final List<TrainableModel<W>> replicas = new ArrayList<>();
    private final int shards;
    private final double[][] shardGradients;
    private final double[] shardLosses;
    private final Evaluation[] shardEvaluations;
    private final ExecutorService pool;
    private final List<Callable<Void>> tasks = new ArrayList<>();
    private List<W> windows = List.of();
    private TrainingStep step = TrainingStep.OUTSIDE_TRAINING;
    private boolean evaluating;

    /**
     * @param master the model whose values are broadcast; not itself run
     * @param threads worker threads; 1 runs everything on the calling thread
     * @param shards slices per batch
     */
    BatchWorkers(TrainableModel<W> master, int threads, int shards) {
        if (threads < 1 || shards < 1) {
            throw new IllegalArgumentException("need threads >= 1 and shards >= 1");
        }
        this.master = master;
        this.shards = shards;
        int workers = Math.min(threads, shards);
        this.shardGradients = new double[shards][master.parameters().size()];
        this.shardLosses = new double[shards];
        this.shardEvaluations = new Evaluation[shards];
        for (int w = 0; w < workers; w++) {
            replicas.add(master.replicate());
            int worker = w;
            tasks.add(() -> runWorker(worker));
        }
        this.pool = workers > 1 ? Executors.newFixedThreadPool(workers, daemonThreads()) : null;
    }

    /**
     * @param batch the minibatch, non-empty. Not modified.
     * @param gradOut receives the gradient of the mean per-window loss. Modified.
     * @return the mean per-window loss
     */
    double lossAndGradient(List<W> batch, TrainingStep trainingStep, double[] gradOut) {
        run(batch, trainingStep, false);
        Arrays.fill(gradOut, 0.0);
        double loss = 0.0;
        for (int s = 0; s < shards; s++) {
            loss += shardLosses[s];
            double[] g = shardGradients[s];
            for (int i = 0; i < gradOut.length; i++) {
                gradOut[i] += g[i];
            }
        }
        int n = batch.size();
        for (int i = 0; i < gradOut.length; i++) {
            gradOut[i] /= n;
        }
        return loss / n;
    }

    /** @return the sum of every shard's evaluation, added in shard order. */
    Evaluation evaluate(List<W> validation) {
        run(validation, TrainingStep.OUTSIDE_TRAINING, true);
        Evaluation total = Evaluation.EMPTY;
        for (Evaluation e : shardEvaluations) {
            total = total.plus(e);
        }
        return total;
    }

    /** @return every replica's counters summed by name, then reset. */
    Map<String, Double> drainCounters() {
        Map<String, Double> sums = new TreeMap<>();
        for (TrainableModel<W> replica : replicas) {
            replica.counters().forEach((name, value) -> sums.merge(name, value.doubleValue(), Double::sum));
            replica.resetCounters();
        }
        return sums;
    }

    private void run(List<W> items, TrainingStep trainingStep, boolean evaluate) {
        if (items.isEmpty()) {
            throw new IllegalArgumentException("nothing to compute: empty batch");
        }
        double[] values = master.parameters().values();
        for (TrainableModel<W> replica : replicas) {
            System.arraycopy(values, 0, replica.parameters().values(), 0, values.length);
        }
        this.windows = items;
        this.step = trainingStep;
        this.evaluating = evaluate;
        if (pool == null) {
            runWorker(0);
        } else {
            invokeAll();
        }
    }

    private Void runWorker(int worker) {
        for (int s = worker; s < shards; s += replicas.size()) {
            runShard(replicas.get(worker), s);
        }
        return null;
    }

    private void runShard(TrainableModel<W> replica, int shard) {
        int n = windows.size();
        List<W> slice = windows.subList((int) ((long) shard * n / shards), (int) ((long) (shard + 1) * n / shards));
        if (evaluating) {
            shardEvaluations[shard] = slice.isEmpty() ? Evaluation.EMPTY : replica.evaluate(slice);
            return;
        }
        Arrays.fill(shardGradients[shard], 0.0);
        shardLosses[shard] = slice.isEmpty() ? 0.0 : replica.lossAndGradient(slice, step, shardGradients[shard]);
    }

    private void invokeAll() {
        try {
            for (Future<Void> f : pool.invokeAll(tasks)) {
                f.get();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while computing a batch", e);
        } catch (ExecutionException e) {
            throw rethrow(e.getCause());
        }
    }

    private static RuntimeException rethrow(Throwable cause) {
        if (cause instanceof RuntimeException r) {
            throw r;
        }
        if (cause instanceof Error err) {
            throw err;
        }
        return new IllegalStateException("a worker failed", cause);
    }

    private static ThreadFactory daemonThreads() {
        AtomicInteger count = new AtomicInteger();
        return task -> {
            Thread t = new Thread(task, "odestream-trainer-" + count.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    /** @return the replicas, one per worker. */
    List<TrainableModel<W>> replicas() {
        return replicas;
    }

    @Override
    public void close() {
        if (pool != null) {
            pool.shutdownNow();
        }
    }
}
