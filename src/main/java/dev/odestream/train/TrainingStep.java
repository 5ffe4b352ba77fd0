package dev.odestream.train;

/**
 * What a model needs to know about the optimizer step it computes a gradient for.
 *
 * @param iteration the 1-based training iteration; 0 outside training (a gradient computed for a test)
 * @param beta the weight of the KL term of an ELBO at this iteration, from the trainer's annealing
 *             {@link Schedule}; models without a KL term ignore it
 */
public record TrainingStep(long iteration, double beta) {

    /** A step outside training: iteration 0, full KL weight. */
    public static final TrainingStep OUTSIDE_TRAINING = new TrainingStep(0, 1.0);

    public TrainingStep {
        if (iteration < 0 || !(beta >= 0) || !Double.isFinite(beta)) {
            throw new IllegalArgumentException("need iteration >= 0 and a finite beta >= 0, got " + iteration
                    + ", " + beta);
        }
    }
}
