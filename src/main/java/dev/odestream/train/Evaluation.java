package dev.odestream.train;

/**
 * An additive partial result of a validation pass: a sum of per-item scores (squared errors, negative
 * log-likelihoods) and how many items it sums. Partial results of disjoint slices add up, which is what lets the
 * trainer evaluate a validation set in parallel and reduce the slices in a fixed order; the model then turns the
 * total into its metric with {@link TrainableModel#metric(Evaluation)}.
 *
 * @param sum sum of the scores
 * @param count number of scored items (points, coordinates or windows, as the model defines), non-negative
 */
public record Evaluation(double sum, long count) {

    /** Nothing scored. */
    public static final Evaluation EMPTY = new Evaluation(0.0, 0);

    public Evaluation {
        if (count < 0) {
            throw new IllegalArgumentException("negative count " + count);
        }
    }

    /** @return the sum of both parts. */
    public Evaluation plus(Evaluation other) {
        return new Evaluation(sum + other.sum, count + other.count);
    }

    /** @return {@code sum / count}; NaN when nothing was scored. */
    public double mean() {
        return count == 0 ? Double.NaN : sum / count;
    }
}
