package dev.odestream.train.experiments;

import dev.odestream.model.LatentOdeModel;
import dev.odestream.model.LatentSystem;
import dev.odestream.model.ModelConfig;
import dev.odestream.model.Window;
import dev.odestream.ode.Method;
import dev.odestream.ode.OdeSolver;
import dev.odestream.ode.SolverOptions;

import java.util.Arrays;

/**
 * The latent path of a window's posterior mean ({@code z(tau) = mu}, {@code eps = 0}), decoded at any times: after
 * {@code tau} it is the extrapolation the spirals are scored on; before {@code tau} the autonomous latent ODE is
 * integrated backward from {@code z(tau)}, a reconstruction of the observed window (Chen et al. 2018, Figure 9). The
 * intensity along the same path is the Poisson toy's learned {@code lambda(t)}.
 *
 * <p>For reports and plots: allocates freely. Uses the model's modules, so it runs on the model's thread.
 *
 * @param times the query times, increasing
 * @param values decoded {@code x_hat(t_i)}, {@code times.length x D}
 * @param intensities {@code lambda_k(z(t_i))}, {@code times.length x K}
 */
record PosteriorMeanPath(double[] times, double[][] values, double[][] intensities) {

    /**
     * @param model the model. Not modified (its workspaces are).
     * @param window the window whose context is encoded. Not modified.
     * @param times query times, strictly increasing, on either side of {@code tau}. Not modified.
     */
    static PosteriorMeanPath of(LatentOdeModel model, Window window, double[] times) {
        ModelConfig c = model.config();
        double[] mu = new double[c.latentDim()];
        model.encode(window, mu, new double[c.latentDim()]);
        double tau = window.tau();
        LatentSystem latent = model.latentSystem();
        latent.setRows(1);
        double[] y0 = Arrays.copyOf(mu, c.latentStateSize());
        double[][] states = new double[times.length][c.latentStateSize()];
        OdeSolver solver = new OdeSolver(c.latentStateSize(), SolverOptions.of(Method.DOPRI5, c.rtol(), c.atol()));
        int split = firstAfter(times, tau);
        solveBackward(solver, latent, tau, y0, Arrays.copyOfRange(times, 0, split), states);
        solveForward(solver, latent, tau, y0, Arrays.copyOfRange(times, split, times.length), states, split);
        double[][] values = new double[times.length][c.observationDim()];
        double[][] intensities = new double[times.length][c.eventTypes()];
        for (int i = 0; i < times.length; i++) {
            model.decoder().forward(states[i], values[i], 1);
            latent.intensities(states[i], intensities[i]);
        }
        return new PosteriorMeanPath(times.clone(), values, intensities);
    }

    /** @return the index of the first time not before {@code tau}. */
    private static int firstAfter(double[] times, double tau) {
        int i = 0;
        while (i < times.length && times[i] < tau) {
            i++;
        }
        return i;
    }

    private static void solveBackward(OdeSolver solver, LatentSystem latent, double tau, double[] y0,
                                      double[] before, double[][] states) {
        if (before.length == 0) {
            return;
        }
        double[] descending = new double[before.length];
        double[][] out = new double[before.length][];
        for (int i = 0; i < before.length; i++) {
            descending[i] = before[before.length - 1 - i];
            out[i] = states[before.length - 1 - i];
        }
        solver.integrate(latent, tau, y0, descending, out);
    }

    private static void solveForward(OdeSolver solver, LatentSystem latent, double tau, double[] y0, double[] after,
                                     double[][] states, int offset) {
        if (after.length == 0) {
            return;
        }
        solver.integrate(latent, tau, y0, after, Arrays.copyOfRange(states, offset, states.length));
    }

    /** @return coordinate {@code d} of every decoded value, scaled by {@code scale}. */
    double[] coordinate(int d, double scale) {
        double[] out = new double[times.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = scale * values[i][d];
        }
        return out;
    }

    /** @return the intensity of type {@code k} at every time. */
    double[] intensity(int k) {
        double[] out = new double[times.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = intensities[i][k];
        }
        return out;
    }
}
