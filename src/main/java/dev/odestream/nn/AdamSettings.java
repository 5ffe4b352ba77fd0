package dev.odestream.nn;

/**
 * Hyper-parameters shared by {@link Adam} and {@link Adamax}, named as in Kingma and Ba 2015.
 *
 * @param learningRate step size alpha
 * @param beta1 decay of the first moment, in [0, 1)
 * @param beta2 decay of the second moment (Adam) or of the infinity norm (Adamax), in [0, 1)
 * @param epsilon added to the denominator against division by zero
 * @param weightDecay decoupled weight decay lambda (Loshchilov and Hutter 2019): each step also subtracts
 *                    {@code learningRate * lambda * theta}; 0 turns it off. Unlike an L2 term in the loss, it is not
 *                    rescaled by the moment estimates.
 */
public record AdamSettings(double learningRate, double beta1, double beta2, double epsilon, double weightDecay) {

    public AdamSettings {
        if (!(learningRate > 0) || !(beta1 >= 0 && beta1 < 1) || !(beta2 >= 0 && beta2 < 1)
                || !(epsilon >= 0) || !(weightDecay >= 0)) {
            throw new IllegalArgumentException("invalid optimizer settings " + this);
        }
    }

    /** @return the paper's defaults (beta1 0.9, beta2 0.999, epsilon 1e-8) with the given learning rate, no decay. */
    public static AdamSettings of(double learningRate) {
        return new AdamSettings(learningRate, 0.9, 0.999, 1e-8, 0.0);
    }

    /** @return a copy with another weight decay. */
    public AdamSettings withWeightDecay(double lambda) {
        return new AdamSettings(learningRate, beta1, beta2, epsilon, lambda);
    }

    /** @return a copy with other moment decays. */
    public AdamSettings withBetas(double b1, double b2) {
        return new AdamSettings(learningRate, b1, b2, epsilon, weightDecay);
    }

    /** @return a copy with another epsilon. */
    public AdamSettings withEpsilon(double eps) {
        return new AdamSettings(learningRate, beta1, beta2, eps, weightDecay);
    }
}
