package dev.odestream.model;

/**
 * The terms of the negative evidence lower bound of one window, or their mean over a batch. Each likelihood is the
 * Monte Carlo mean over the reparameterised samples.
 *
 * @param gaussianLogLikelihood {@code sum log N(x_j,d; g(z(t_j))_d, sigma^2)} over the scored target values
 * @param poissonLogLikelihood {@code sum_e log lambda_{k_e}(t_e) - sum_k Lambda_k(T)} over the target events
 * @param kl {@code KL(q(z(tau)) || N(0, I))}, in closed form
 * @param beta the weight of the KL term
 */
public record ElboTerms(double gaussianLogLikelihood, double poissonLogLikelihood, double kl, double beta) {

    private static final double LOG_TWO_PI = Math.log(2 * Math.PI);

    /** @return {@code -(gaussian + poisson) + beta * KL}, the loss to minimise. */
    public double negativeElbo() {
        return negativeElbo(gaussianLogLikelihood, poissonLogLikelihood, kl, beta);
    }

    /** @return {@code -(gaussian + poisson) + beta * kl}, the loss to minimise, of terms summed elsewhere */
    public static double negativeElbo(double gaussian, double poisson, double kl, double beta) {
        return -(gaussian + poisson) + beta * kl;
    }

    /**
     * @param sigma the observation noise's standard deviation
     * @return {@code log N(x; x, sigma^2) = -log(2 pi) / 2 - log sigma}, the Gaussian term of a value without its
     *     {@code -((x - mean) / sigma)^2 / 2}
     */
    public static double gaussianConstant(double sigma) {
        return -0.5 * LOG_TWO_PI - Math.log(sigma);
    }
}
