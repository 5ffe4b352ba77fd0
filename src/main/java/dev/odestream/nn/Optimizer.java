package dev.odestream.nn;

/**
 * A first-order optimizer over a model's flat arrays. It keeps its own state (moments) per parameter, sized once at
 * construction; {@link #step} allocates nothing.
 */
public interface Optimizer {

    /**
     * One update {@code values <- values - update(grads)}.
     *
     * @param values the parameters, e.g. {@link Parameters#values()}. Modified.
     * @param grads {@code dL/dvalues}, same length. Not modified.
     */
    void step(double[] values, double[] grads);

    /** @return the number of steps taken since construction or {@link #reset()}. */
    long steps();

    /** Forgets the moments and the step count, as if newly constructed. */
    void reset();

    /** @return the current learning rate. */
    double learningRate();

    /** Changes the learning rate from the next step on, for schedules. */
    void setLearningRate(double learningRate);
}
