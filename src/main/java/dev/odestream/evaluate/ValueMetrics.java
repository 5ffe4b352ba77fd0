package dev.odestream.evaluate;

import java.util.List;

/**
 * How well a forecaster predicted the values of the test events, over every scored value: a present value (mask true)
 * of a test event that the forecaster predicted. Errors are in the data's units, so the pooled RMSE and MAE weigh
 * dimensions of large units most; {@link #byDimension} gives each alone. A metric with nothing scored is NaN.
 *
 * @param scored the values scored
 * @param skipped the present values the forecaster did not predict (no history of that dimension yet)
 * @param rmse the root mean squared error of the mean, pooled over dimensions
 * @param mae the mean absolute error of the mean, pooled
 * @param nll the Gaussian negative log-likelihood, mean per scored value (in nats, depends on the units)
 * @param crps the Gaussian continuous ranked probability score, mean per scored value, in the data's units
 * @param coverage50 the share of values inside the central 50% interval
 * @param coverage90 the share inside the central 90% interval
 * @param coverage95 the share inside the central 95% interval
 * @param byDimension the same errors for each dimension, in the data's order
 */
public record ValueMetrics(long scored, long skipped, double rmse, double mae, double nll, double crps,
        double coverage50, double coverage90, double coverage95, List<Dimension> byDimension) {

    /** Copies the list. */
    public ValueMetrics {
        byDimension = List.copyOf(byDimension);
    }

    /**
     * The errors of one dimension.
     *
     * @param name the value's name
     * @param scored the values of this dimension scored
     * @param skipped the present values of this dimension not predicted
     * @param rmse root mean squared error, in the value's units
     * @param mae mean absolute error, in the value's units
     * @param nll Gaussian negative log-likelihood, mean per value
     * @param coverage90 the share inside the central 90% interval
     */
    public record Dimension(String name, long scored, long skipped, double rmse, double mae, double nll,
            double coverage90) {
    }
}
