package dev.odestream.worker;

/**
 * How well a model forecast one event before it arrived.
 *
 * @param squaredError summed over the event's present values (0 for a point event)
 * @param values present values scored
 * @param nll negative log-likelihood of the event: Gaussian on its present values (the forecast's mean and spread)
 *     plus Poisson on its time and type (the forecast intensity at that time and the expected count since the
 *     series' last event)
 */
public record LiveScore(double squaredError, int values, double nll) {
}
