package dev.odestream.model;

import dev.odestream.nn.Activation;
import dev.odestream.nn.Linear;
import dev.odestream.nn.BatchDynamics;
import dev.odestream.nn.ParameterRange;
import dev.odestream.nn.Parameters;
import dev.odestream.ode.ParametricOdeSystem;

import java.util.Arrays;

/**
 * The latent path and the cumulative intensities as one ODE, for a batch of {@code rows} samples:
 * <pre>
 *   dz/dt        = f_theta(z)                        (L per sample)
 *   dLambda_k/dt = lambda_k(z) = softplus(w_k . z + b_k)   (K per sample)
 * </pre>
 * so one solver call gives the path and the integral of the intensity along it (Chen et al. 2018, section 5).
 *
 * <p><b>State layout: blocks, not interleaved rows.</b> The state is {@code [z_0 .. z_{rows-1}, Lambda_0 ..
 * Lambda_{rows-1}]}: all samples' {@code z} first ({@code rows x L}, row-major), then all samples' {@code Lambda}
 * ({@code rows x K}). The layers read and write row-major batches from index 0, so with the {@code z} block first the
 * dynamics, the intensity head and the decoder work on the state directly, with no gather or scatter.
 *
 * <p>Parameters: {@code dynamics.*} then {@code intensity.*}, contiguous, so {@link #parameterRange()} is the index
 * space of {@link #vjp}'s {@code aDfDTheta}, ready for the adjoint. Allocation-free; not thread-safe.
 */
public final class LatentSystem implements ParametricOdeSystem {

    private final BatchDynamics dynamics;
    private final Linear intensity;
    private final ParameterRange range;
    private final int latent;
    private final int types;
    private final int maxRows;
    private final double[] pre;
    private final double[] rate;
    private final double[] dPre;
    private final double[] dzIntensity;
    private final double[] zDot;
    private final double[] sigma;
    private int rows;

    /**
     * Registers {@code dynamics.*} (dynamics of the configuration's kind around an MLP {@code L -> dynamicsHidden -> L})
     * and {@code intensity.*} ({@code L -> K}).
     *
     * @param params Modified.
     * @param config sizes and activation; {@code forecastSamples} is the largest batch
     */
    public LatentSystem(Parameters params, ModelConfig config) {
        int start = params.size();
        this.latent = config.latentDim();
        this.types = config.eventTypes();
        this.maxRows = config.forecastSamples();
        this.dynamics = BatchDynamics.create(config.dynamics(), params, "dynamics", latent,
                new int[] {config.dynamicsHidden()}, config.activation(), maxRows);
        this.intensity = new Linear(params, "intensity", latent, types, maxRows);
        this.range = params.rangeFrom(start);
        this.pre = new double[maxRows * types];
        this.rate = new double[maxRows * types];
        this.dPre = new double[maxRows * types];
        this.dzIntensity = new double[maxRows * latent];
        this.zDot = new double[maxRows * latent];
        this.sigma = new double[latent];
        this.rows = maxRows;
    }

    /**
     * Sets the number of samples, and so {@link #dimension()}.
     *
     * @param count in {@code [1, maxRows()]}
     */
    public void setRows(int count) {
        dynamics.setBatch(count);
        rows = count;
    }

    @Override
    public int dimension() {
        return rows * (latent + types);
    }

    @Override
    public int parameterCount() {
        return range.count();
    }

    @Override
    public void derivatives(double t, double[] y, double[] yDot) {
        dynamics.forward(y, yDot);
        intensities(y, rate);
        System.arraycopy(rate, 0, yDot, rows * latent, rows * types);
    }

    /**
     * The initial state at {@code tau}: reparameterised samples {@code z_s = mu + exp(log sigma^2 / 2) * eps_s} and
     * {@code Lambda = 0}.
     *
     * @param muLogVar {@code mu} in {@code [0, L)}, {@code log sigma^2} in {@code [L, 2L)}. Not modified.
     * @param epsilon standard-normal draws, {@code rows x L} row-major (at least that long). Not modified.
     * @param y0 receives the state, length at least {@link #dimension()}. Modified.
     */
    public void initialState(double[] muLogVar, double[] epsilon, double[] y0) {
        // sigma is shared by the samples: L exponentials, not rows x L
        for (int l = 0; l < latent; l++) {
            sigma[l] = Math.exp(0.5 * muLogVar[latent + l]);
        }
        for (int s = 0; s < rows; s++) {
            for (int l = 0; l < latent; l++) {
                y0[s * latent + l] = muLogVar[l] + sigma[l] * epsilon[s * latent + l];
            }
        }
        Arrays.fill(y0, rows * latent, rows * (latent + types), 0.0);
    }

    /**
     * The intensities {@code lambda_k(z)} of every sample.
     *
     * @param state a state of this system (only the {@code z} block is read). Not modified.
     * @param out receives {@code rows x K}, row-major. Modified.
     */
    public void intensities(double[] state, double[] out) {
        intensity.forward(state, pre, rows);
        Activation.SOFTPLUS.forward(pre, out, rows * types);
    }

    @Override
    public double vjp(double t, double[] y, double[] a, double[] aDfDy, double[] aDfDTheta) {
        dynamics.forward(y, zDot);
        intensity.forward(y, pre, rows);
        return backward(a, aDfDy, aDfDTheta);
    }

    /** One forward pass of each module serves both the derivative and the products. */
    @Override
    public double derivativesAndVjp(double t, double[] y, double[] a, double[] yDot, double[] aDfDy,
                                    double[] aDfDTheta) {
        derivatives(t, y, yDot);
        return backward(a, aDfDy, aDfDTheta);
    }

    /** Through the cached forward passes; {@code Lambda} does not feed back, so its rows of the Jacobian are zero. */
    private double backward(double[] a, double[] aDfDy, double[] aDfDTheta) {
        Arrays.fill(aDfDTheta, 0, range.count(), 0.0);
        dynamics.backward(a, aDfDy, aDfDTheta, range.offset());
        int zSize = rows * latent;
        for (int i = 0; i < rows * types; i++) {
            dPre[i] = a[zSize + i] * Activation.SIGMOID.value(pre[i]);
        }
        intensity.backward(dPre, dzIntensity, rows, aDfDTheta, range.offset());
        for (int i = 0; i < zSize; i++) {
            aDfDy[i] += dzIntensity[i];
        }
        Arrays.fill(aDfDy, zSize, zSize + rows * types, 0.0);
        return 0.0;
    }

    /** @return the flat slice of {@code dynamics.*} and {@code intensity.*}, the order of {@code aDfDTheta}. */
    public ParameterRange parameterRange() {
        return range;
    }

    /** @return the latent dynamics {@code f_theta}, blocks {@code dynamics.*}. */
    public BatchDynamics dynamics() {
        return dynamics;
    }

    /** @return the intensity head before its softplus, blocks {@code intensity.*}. */
    public Linear intensityHead() {
        return intensity;
    }

    /** @return the current number of samples. */
    public int rows() {
        return rows;
    }

    /** @return the largest number of samples. */
    public int maxRows() {
        return maxRows;
    }

    /** @return index of sample {@code row}'s {@code Lambda_0} in a state of the current size. */
    public int cumulativeOffset(int row) {
        return rows * latent + row * types;
    }
}
