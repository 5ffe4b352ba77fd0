package dev.odestream.evaluate;

/** Welford's running mean and sum of squared deviations. */
final class RunningMoments {

    private long count;
    private double mean;
    private double squares;

    void add(double x) {
        count++;
        double delta = x - mean;
        mean += delta / count;
        squares += delta * (x - mean);
    }

    long count() {
        return count;
    }

    double mean() {
        return mean;
    }

    /** @return the sum of squared deviations from the mean. */
    double squares() {
        return squares;
    }
}
