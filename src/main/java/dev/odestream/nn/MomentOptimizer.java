package dev.odestream.nn;

import java.util.Arrays;

/**
 * What Adam and Adamax share: the settings, the first moment {@code m} with its bias correction {@code beta1^t}, a
 * second per-parameter statistic, the learning rate that schedules change, and the step count. Subclasses supply the
 * update rule.
 */
abstract sealed class MomentOptimizer implements Optimizer permits Adam, Adamax {

    final AdamSettings settings;
    final double[] m;
    /** The second statistic: Adam's {@code v}, Adamax's {@code u}. */
    final double[] second;
    double learningRate;
    double beta1Power;
    private long steps;

    MomentOptimizer(int size, AdamSettings settings) {
        this.settings = settings;
        this.m = new double[size];
        this.second = new double[size];
        this.learningRate = settings.learningRate();
        reset();
    }

    @Override
    public final void step(double[] values, double[] grads) {
        if (values.length < m.length || grads.length < m.length) {
            throw new IllegalArgumentException("optimizer sized for " + m.length + " parameters, got arrays of "
                    + values.length + " and " + grads.length);
        }
        steps++;
        beta1Power *= settings.beta1();
        update(values, grads);
    }

    /** One update with {@link #steps()} and {@code beta1Power} already advanced. Allocates nothing. */
    abstract void update(double[] values, double[] grads);

    @Override
    public void reset() {
        Arrays.fill(m, 0.0);
        Arrays.fill(second, 0.0);
        beta1Power = 1.0;
        steps = 0;
    }

    @Override
    public final long steps() {
        return steps;
    }

    @Override
    public final double learningRate() {
        return learningRate;
    }

    @Override
    public final void setLearningRate(double learningRate) {
        if (!(learningRate > 0)) {
            throw new IllegalArgumentException("learning rate must be positive: " + learningRate);
        }
        this.learningRate = learningRate;
    }

    /** @return the settings given at construction (the learning rate there is the initial one). */
    public final AdamSettings settings() {
        return settings;
    }
}
