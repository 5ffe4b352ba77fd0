package dev.odestream.nn;

/**
 * Adamax (Kingma and Ba 2015, Algorithm 2, section 7.1): Adam with the second moment replaced by an exponentially
 * weighted infinity norm, which needs no bias correction:
 * <pre>
 *   m = beta1 m + (1 - beta1) g          u = max(beta2 u, |g|)
 *   theta -= (alpha / (1 - beta1^t)) * m / (u + epsilon)  [+ alpha * lambda * theta]
 * </pre>
 * The paper has no epsilon; it is added here because {@code u} is zero for a parameter whose gradients have all been
 * zero (then {@code m} is zero too and the step is zero). Set it to 0 for the paper's exact update.
 */
public final class Adamax extends MomentOptimizer {

    /**
     * @param size number of parameters, the length of the arrays passed to {@link #step}
     * @param settings hyper-parameters; the paper suggests a learning rate of 0.002
     */
    public Adamax(int size, AdamSettings settings) {
        super(size, settings);
    }

    @Override
    void update(double[] values, double[] grads) {
        double b1 = settings.beta1();
        double b2 = settings.beta2();
        double rate = learningRate / (1.0 - beta1Power);
        double eps = settings.epsilon();
        double decay = learningRate * settings.weightDecay();
        double[] u = second;
        for (int i = 0; i < m.length; i++) {
            double g = grads[i];
            m[i] = b1 * m[i] + (1.0 - b1) * g;
            u[i] = Math.max(b2 * u[i], Math.abs(g));
            double denominator = u[i] + eps;
            double update = denominator == 0.0 ? 0.0 : rate * m[i] / denominator;
            values[i] -= update + decay * values[i];
        }
    }
}
