package dev.odestream.nn;

/**
 * Adam (Kingma and Ba 2015, Algorithm 1), with bias-corrected moments:
 * <pre>
 *   m = beta1 m + (1 - beta1) g          v = beta2 v + (1 - beta2) g^2
 *   theta -= alpha * (m / (1 - beta1^t)) / (sqrt(v / (1 - beta2^t)) + epsilon)  [+ alpha * lambda * theta]
 * </pre>
 * The epsilon sits outside the bias correction, as in the paper's Algorithm 1 (not its "more efficient" variant).
 */
public final class Adam extends MomentOptimizer {

    private double beta2Power;

    /**
     * @param size number of parameters, the length of the arrays passed to {@link #step}
     * @param settings hyper-parameters
     */
    public Adam(int size, AdamSettings settings) {
        super(size, settings);
    }

    @Override
    void update(double[] values, double[] grads) {
        beta2Power *= settings.beta2();
        double b1 = settings.beta1();
        double b2 = settings.beta2();
        double c1 = 1.0 / (1.0 - beta1Power);
        double c2 = 1.0 / (1.0 - beta2Power);
        double eps = settings.epsilon();
        double decay = learningRate * settings.weightDecay();
        double[] v = second;
        for (int i = 0; i < m.length; i++) {
            double g = grads[i];
            m[i] = b1 * m[i] + (1.0 - b1) * g;
            v[i] = b2 * v[i] + (1.0 - b2) * g * g;
            values[i] -= learningRate * (m[i] * c1) / (Math.sqrt(v[i] * c2) + eps) + decay * values[i];
        }
    }

    @Override
    public void reset() {
        super.reset();
        beta2Power = 1.0;
    }
}
