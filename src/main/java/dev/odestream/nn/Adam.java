package dev.odestream.nn;

import java.util.Arrays;

/**
 * Adam (Kingma and Ba 2015, Algorithm 1), with bias-corrected moments:
 * <pre>
 *   m = beta1 m + (1 - beta1) g          v = beta2 v + (1 - beta2) g^2
 *   theta -= alpha * (m / (1 - beta1^t)) / (sqrt(v / (1 - beta2^t)) + epsilon)  [+ alpha * lambda * theta]
 * </pre>
 * The epsilon sits outside the bias correction, as in the paper's Algorithm 1 (not its "more efficient" variant).
 */
public final class Adam implements Optimizer {

    private final AdamSettings settings;
    private final double[] m;
    private final double[] v;
    private double learningRate;
    private double beta1Power;
    private double beta2Power;
    private long steps;

    /**
     * @param size number of parameters, the length of the arrays passed to {@link #step}
     * @param settings hyper-parameters
     */
    public Adam(int size, AdamSettings settings) {
        this.settings = settings;
        this.m = new double[size];
        this.v = new double[size];
        this.learningRate = settings.learningRate();
        reset();
    }

    @Override
    public void step(double[] values, double[] grads) {
        checkLength(values, grads, m.length);
        steps++;
        beta1Power *= settings.beta1();
        beta2Power *= settings.beta2();
        double b1 = settings.beta1();
        double b2 = settings.beta2();
        double c1 = 1.0 / (1.0 - beta1Power);
        double c2 = 1.0 / (1.0 - beta2Power);
        double eps = settings.epsilon();
        double decay = learningRate * settings.weightDecay();
        for (int i = 0; i < m.length; i++) {
            double g = grads[i];
            m[i] = b1 * m[i] + (1.0 - b1) * g;
            v[i] = b2 * v[i] + (1.0 - b2) * g * g;
            values[i] -= learningRate * (m[i] * c1) / (Math.sqrt(v[i] * c2) + eps) + decay * values[i];
        }
    }

    @Override
    public void reset() {
        Arrays.fill(m, 0.0);
        Arrays.fill(v, 0.0);
        beta1Power = 1.0;
        beta2Power = 1.0;
        steps = 0;
    }

    @Override
    public long steps() {
        return steps;
    }

    @Override
    public double learningRate() {
        return learningRate;
    }

    @Override
    public void setLearningRate(double learningRate) {
        if (!(learningRate > 0)) {
            throw new IllegalArgumentException("learning rate must be positive: " + learningRate);
        }
        this.learningRate = learningRate;
    }

    /** @return the settings given at construction (the learning rate there is the initial one). */
    public AdamSettings settings() {
        return settings;
    }

    static void checkLength(double[] values, double[] grads, int size) {
        if (values.length < size || grads.length < size) {
            throw new IllegalArgumentException("optimizer sized for " + size + " parameters, got arrays of "
                    + values.length + " and " + grads.length);
        }
    }
}
