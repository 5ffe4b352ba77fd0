package dev.odestream.ode;

/**
 * The passes in which a stepper forms {@code out = from + sum_j w_j k_j} over its stages: up to {@link #TERMS}
 * terms per pass over the arrays, left to right, the first pass reading {@code from} and each later one the output.
 * That is the same operations in the same order (so the same bits) as one loop per term, with a third of the loads
 * and stores of the output for a 7-stage method. {@link OdeSolver} runs the passes over arrays and the CUDA backend's
 * solver as kernel launches, so both add the same terms in the same order. Allocates nothing; not thread-safe.
 */
public final class StagePasses {

    /** Stage terms summed per pass. */
    public static final int TERMS = 4;

    /** Runs one pass over the terms {@link #weight(int)} and {@link #stage(int)} below {@code terms}. */
    @FunctionalInterface
    public interface Runner {

        /**
         * @param first whether this is the first pass (which reads {@code from}; later ones read the output)
         * @param terms the terms of this pass, 0 to {@link #TERMS} (0: a copy)
         */
        void pass(boolean first, int terms);
    }

    private final double[] weights = new double[TERMS];
    private final int[] stages = new int[TERMS];

    /** @return the weight of term {@code i} of the current pass */
    public double weight(int i) {
        return weights[i];
    }

    /** @return the stage index of term {@code i} of the current pass */
    public int stage(int i) {
        return stages[i];
    }

    /**
     * {@code out = y + h sum_{j < count} w_j k_j}, skipping the terms whose weight {@code h w_j} is zero; with none,
     * one pass of no terms copies {@code y}.
     */
    public void combine(double h, double[] w, int count, Runner runner) {
        boolean first = true;
        int terms = 0;
        for (int j = 0; j < count; j++) {
            double hw = h * w[j];
            if (hw != 0) {
                terms = add(terms, hw, j);
                if (terms == TERMS) {
                    runner.pass(first, terms);
                    first = false;
                    terms = 0;
                }
            }
        }
        if (terms > 0 || first) {
            runner.pass(first, terms);
        }
    }

    /** {@code out = from + sum_{j < count} w_j k_j} over every term, zero weights too (so a NaN stage shows). */
    public void every(double[] w, int count, Runner runner) {
        int terms = 0;
        boolean first = true;
        for (int j = 0; j < count; j++) {
            terms = add(terms, w[j], j);
            if (terms == TERMS || j == count - 1) {
                runner.pass(first, terms);
                first = false;
                terms = 0;
            }
        }
    }

    private int add(int terms, double weight, int stage) {
        weights[terms] = weight;
        stages[terms] = stage;
        return terms + 1;
    }
}
