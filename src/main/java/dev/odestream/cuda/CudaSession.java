package dev.odestream.cuda;

import dev.odestream.model.BatchedElbo;
import dev.odestream.model.LatentOdeModel;
import dev.odestream.model.Window;
import dev.odestream.nn.AdamSettings;
import dev.odestream.ode.OdeSolverException;
import dev.odestream.train.LatentOdeTrainable;
import dev.odestream.train.TrainingBackend;
import dev.odestream.train.TrainingSettings;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * One model trained on the device, step for step as {@code Trainer} trains {@code LatentOdeTrainable} with one
 * shard: minibatches drawn by the same seeded shuffle, the same reparameterisation noise per window and iteration,
 * the mean loss and gradient over the minibatch, clipping by the global norm, a skipped step when the loss or norm
 * is not finite, and Adam with the paper's bias correction. Parameters and moments never leave the device during a
 * call; the host reads back the error norm of each solver step and a few sums per optimizer step.
 *
 * <p>The KL weight is 1 and the learning rate constant, as the CPU backend's trainer has them. Like
 * {@code Trainer.train}, each call starts its iterations (and so its noise and minibatch order) afresh from the seed
 * and keeps the optimizer's moments. Not thread-safe.
 */
final class CudaSession implements TrainingBackend.Session {

    private static final double BETA = 1.0;

    private final Device kernels;
    private final Device driver;
    private final TrainingSettings settings;
    private final AdamSettings adam;
    private final int latent;
    private final DeviceElbo elbo;
    private final Reducer reducer;
    private final DeviceMemory memory;
    private final long first;
    private final long second;
    private final double[] noise;
    private final int size;
    private double beta1Power = 1.0;
    private double beta2Power = 1.0;

    /**
     * A session with the JVM path's default stepping.
     *
     * @param model the starting parameters and the configuration. Not modified.
     */
    CudaSession(Device kernels, LatentOdeModel model, TrainingSettings settings) {
        this(kernels, model, settings, LatentOdeTrainable.Options.defaults().stepping());
    }

    /**
     * @param model the starting parameters and the configuration. Not modified.
     * @param stepping how the solves choose their steps, as {@code LatentOdeTrainable}'s option of that name
     */
    CudaSession(Device kernels, LatentOdeModel model, TrainingSettings settings,
                BatchedElbo.Stepping stepping) {
        DeviceMlp.code(model.config().activation());
        this.kernels = kernels;
        this.driver = kernels;
        this.settings = settings;
        this.adam = AdamSettings.of(settings.learningRate());
        this.latent = model.config().latentDim();
        this.size = model.parameters().size();
        this.elbo = new DeviceElbo(kernels, model.config(), model.parameters(), settings.batchSize(),
                stepping);
        this.memory = new DeviceMemory(driver);
        this.reducer = new Reducer(kernels, memory);
        this.first = memory.doubles(size);
        this.second = memory.doubles(size);
        this.noise = new double[settings.batchSize() * latent];
        driver.upload(model.parameters().values(), 0, size, elbo.theta());
        driver.zero(first, size);
        driver.zero(second, size);
    }

    @Override
    public TrainingBackend.RoundStats train(List<Window> windows) {
        driver.makeCurrent();
        List<Series> series = windows.stream().map(Series::of).toList();
        Sampler sampler = new Sampler(series.size(), settings.batchSize(), settings.seed());
        long forwardBefore = elbo.totals().forwardNfe();
        long backwardBefore = elbo.totals().backwardNfe();
        long start = System.nanoTime();
        long skipped = 0;
        double lossSum = 0.0;
        int batch = Math.min(settings.batchSize(), series.size());
        for (long iteration = 1; iteration <= settings.iterations(); iteration++) {
            double loss = step(sampler.next(series), iteration);
            if (Double.isNaN(loss)) {
                skipped++;
            } else {
                lossSum += loss;
            }
        }
        double seconds = (System.nanoTime() - start) * 1e-9;
        long steps = settings.iterations();
        long taken = steps - skipped;
        return new TrainingBackend.RoundStats(steps, skipped, taken > 0 ? lossSum / taken : Double.NaN,
                seconds / steps, (double) batch * steps / seconds, elbo.totals().forwardNfe() - forwardBefore,
                elbo.totals().backwardNfe() - backwardBefore);
    }

    /** One optimizer step; @return the mean loss, or NaN when the step was skipped */
    double step(List<Series> batch, long iteration) {
        double loss = meanLossAndGradient(batch, iteration);
        double clip = settings.clipNorm();
        double norm = reducer.globalNorm(elbo.gradient(), size);
        if (clip < Double.POSITIVE_INFINITY && norm > clip && norm < Double.POSITIVE_INFINITY) {
            kernels.run("scale_by", size, elbo.gradient(), size, clip / norm);
        }
        if (!Double.isFinite(loss) || !Double.isFinite(norm)) {
            return Double.NaN;
        }
        adamStep();
        return loss;
    }

    /**
     * The mean loss of a minibatch with the noise of {@code iteration}, its mean gradient left on the device.
     *
     * @return the mean loss; NaN if a solve failed
     */
    double meanLossAndGradient(List<Series> batch, long iteration) {
        for (int b = 0; b < batch.size(); b++) {
            LatentOdeTrainable.fillNoise(settings.seed(), iteration, batch.get(b).window(), noise, b * latent, latent);
        }
        driver.zero(elbo.gradient(), size);
        double sum;
        try {
            sum = elbo.run(batch, noise, BETA, true);
        } catch (OdeSolverException e) {
            return Double.NaN;
        }
        kernels.run("divide_by", size, elbo.gradient(), size, (double) batch.size());
        return sum / batch.size();
    }

    private void adamStep() {
        beta1Power *= adam.beta1();
        beta2Power *= adam.beta2();
        double c1 = 1.0 / (1.0 - beta1Power);
        double c2 = 1.0 / (1.0 - beta2Power);
        double lr = adam.learningRate();
        kernels.run("adam_update", size, elbo.theta(), elbo.gradient(), first, second, size, lr, adam.beta1(),
                adam.beta2(), c1, c2, adam.epsilon(), lr * adam.weightDecay());
    }

    /** @return the mean gradient of the last {@link #meanLossAndGradient}, copied to the host */
    double[] gradient() {
        double[] g = new double[size];
        driver.download(elbo.gradient(), g, 0, size);
        return g;
    }

    @Override
    public double[] parameters() {
        driver.makeCurrent();
        double[] values = new double[size];
        driver.download(elbo.theta(), values, 0, size);
        return values;
    }

    @Override
    public void close() {
        driver.makeCurrent();
        elbo.close();
        memory.close();
    }

    /** {@code Trainer}'s minibatch order: a seeded Fisher-Yates shuffle, reshuffled whenever a batch would overrun. */
    static final class Sampler {

        private final int[] order;
        private final int batchSize;
        private final Random rng;
        private int position;

        Sampler(int items, int batchSize, long seed) {
            if (items == 0) {
                throw new IllegalArgumentException("empty training set");
            }
            this.order = new int[items];
            this.batchSize = Math.min(batchSize, items);
            this.rng = new Random(seed);
            this.position = items;
            for (int i = 0; i < items; i++) {
                order[i] = i;
            }
        }

        <T> List<T> next(List<T> items) {
            if (position + batchSize > order.length) {
                for (int i = order.length - 1; i > 0; i--) {
                    int j = rng.nextInt(i + 1);
                    int swap = order[i];
                    order[i] = order[j];
                    order[j] = swap;
                }
                position = 0;
            }
            List<T> batch = new ArrayList<>(batchSize);
            for (int i = 0; i < batchSize; i++) {
                batch.add(items.get(order[position + i]));
            }
            position += batchSize;
            return batch;
        }
    }
}
