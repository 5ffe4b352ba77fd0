package dev.odestream.train;

/**
 * One training round.
 *
 * @param iterations optimizer steps per round
 * @param batchSize windows per minibatch
 * @param learningRate Adam's learning rate
 * @param clipNorm the largest global gradient norm
 * @param threads threads of the CPU backend
 * @param minWindows the fewest training windows worth a round
 * @param seed seeds the minibatch order and the reparameterisation noise
 */
public record TrainingSettings(int iterations, int batchSize, double learningRate, double clipNorm, int threads,
                               int minWindows, long seed) {

    /** Checks the ranges. */
    public TrainingSettings {
        if (iterations < 1 || batchSize < 1 || !(learningRate > 0) || !(clipNorm > 0) || threads < 1
                || minWindows < 1) {
            throw new IllegalArgumentException("need positive iterations, batchSize, learningRate, clipNorm,"
                    + " threads and minWindows, got " + this);
        }
    }

    /** 200 steps of 32 windows at 0.005, clipped at 10, every processor, at least 32 windows, seed 1. */
    public static TrainingSettings defaults() {
        return new TrainingSettings(200, 32, 0.005, 10.0, Runtime.getRuntime().availableProcessors(), 32, 1);
    }
}
