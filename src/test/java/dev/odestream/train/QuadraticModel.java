package dev.odestream.train;

import dev.odestream.nn.Parameters;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * A toy model with a known minimiser: the window loss is {@code 0.5 |theta - w|^2 + 0.25 sum_i theta_i^4 c} for a
 * target vector {@code w}; with {@code c = 0} the minimiser of the mean loss is the mean target. The quartic term
 * (when {@code c > 0}) makes the gradient nonlinear in theta, so rounding depends on the order of the reduction.
 * The validation score is the same loss, summed, counted per window.
 */
final class QuadraticModel implements TrainableModel<double[]> {

    final Parameters params = new Parameters();
    private final int dim;
    private final double quartic;
    /** NaN loss at this training iteration (-1: never), to exercise skipped steps. */
    long poisonIteration = -1;
    /** Every training step any replica saw, shared by a model and its replicas. */
    final List<TrainingStep> seen;
    private long calls;

    QuadraticModel(int dim, double quartic) {
        this(dim, quartic, Collections.synchronizedList(new ArrayList<>()));
    }

    private QuadraticModel(int dim, double quartic, List<TrainingStep> seen) {
        this.dim = dim;
        this.quartic = quartic;
        this.seen = seen;
        params.register("theta", dim);
    }

    @Override
    public Parameters parameters() {
        return params;
    }

    @Override
    public QuadraticModel replicate() {
        QuadraticModel copy = new QuadraticModel(dim, quartic, seen);
        copy.poisonIteration = poisonIteration;
        System.arraycopy(params.values(), 0, copy.params.values(), 0, dim);
        return copy;
    }

    @Override
    public double lossAndGradient(List<double[]> windows, TrainingStep step, double[] gradOut) {
        calls++;
        seen.add(step);
        return loss(windows, step, gradOut);
    }

    private double loss(List<double[]> windows, TrainingStep step, double[] gradOut) {
        double[] theta = params.values();
        double loss = 0.0;
        for (double[] w : windows) {
            for (int i = 0; i < dim; i++) {
                double e = theta[i] - w[i];
                loss += 0.5 * e * e + 0.25 * quartic * Math.pow(theta[i], 4);
                gradOut[i] += e + quartic * Math.pow(theta[i], 3);
            }
        }
        return step.iteration() == poisonIteration ? Double.NaN : loss;
    }

    @Override
    public Evaluation evaluate(List<double[]> windows) {
        double[] unused = new double[dim];
        return new Evaluation(loss(windows, TrainingStep.OUTSIDE_TRAINING, unused), windows.size());
    }

    @Override
    public Map<String, String> hyperparameters() {
        return Map.of("model", "quadratic", "dim", Integer.toString(dim));
    }

    @Override
    public Map<String, Number> counters() {
        return Map.of("calls", calls);
    }

    @Override
    public void resetCounters() {
        calls = 0;
    }
}
