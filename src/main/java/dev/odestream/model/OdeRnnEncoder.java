package dev.odestream.model;

import dev.odestream.nn.GruCell;
import dev.odestream.nn.Linear;
import dev.odestream.nn.BatchDynamics;
import dev.odestream.nn.Parameters;
import dev.odestream.ode.Method;
import dev.odestream.ode.OdeSolver;
import dev.odestream.ode.SolverOptions;

import java.util.Arrays;

/**
 * The causal ODE-RNN encoder (Rubanova et al. 2019) and the posterior head. Between events the hidden state evolves
 * by {@code dh/dt = f_enc(h)}; at an event a GRU folds in {@code [x * mask, mask, one-hot(type)]}; at the last event
 * time {@code tau} a linear head maps {@code h} to {@code (mu, log sigma^2)} of {@code q(z(tau))}.
 *
 * <p>The first event of a series starts from {@code h = 0} with no evolution before it. Events at the same time are
 * folded in one after another with no evolution between them.
 *
 * <p>Parameter blocks: {@code encoder.ode.*} (a {@link BatchDynamics} of width {@code H}, of the
 * configuration's kind), {@code encoder.gru.*},
 * {@code posterior.*}. Allocation-free after construction; not thread-safe.
 */
public final class OdeRnnEncoder {

    private final BatchDynamics dynamics;
    private final GruCell gru;
    private final Linear posterior;
    private final OdeSolver solver;
    private final double[] input;
    private final int observationDim;
    private final int eventTypes;
    private final double maxGap;
    private long lastNfe;
    private long lastRejected;

    /**
     * @param params where the blocks are registered. Modified.
     * @param config sizes, activation and tolerances
     */
    public OdeRnnEncoder(Parameters params, ModelConfig config) {
        int hidden = config.encoderHidden();
        this.dynamics = BatchDynamics.create(config.dynamics(), params, "encoder.ode", hidden,
                new int[] {config.encoderOdeHidden()}, config.activation(), 1);
        this.gru = new GruCell(params, "encoder.gru", config.encoderInputSize(), hidden, 1);
        this.posterior = new Linear(params, "posterior", hidden, 2 * config.latentDim(), 1);
        this.solver = new OdeSolver(hidden, SolverOptions.of(Method.DOPRI5, config.rtol(), config.atol()));
        this.input = new double[config.encoderInputSize()];
        this.observationDim = config.observationDim();
        this.eventTypes = config.eventTypes();
        this.maxGap = config.maxGap();
    }

    /**
     * Folds one event into a series' state: evolves {@code h} from {@code t_last} to {@code t} (for at most the
     * configuration's {@code maxGap}), then applies the GRU.
     * Checks the whole event before touching the state, so a rejected event leaves it unchanged.
     *
     * @param state the series. Modified.
     * @param t event time, finite, not before {@link SeriesState#lastTime()}
     * @param values the observation, length {@code D}, or {@code null} for a pure point event. Not modified.
     * @param mask which values are present, length {@code D}; {@code null} means all present (ignored when
     *     {@code values} is {@code null}). Masked-out values are ignored, even NaN. Not modified.
     * @param eventType in {@code [0, K)}
     * @throws IllegalArgumentException for an out-of-order or non-finite time, a non-finite present value, a wrong
     *     length or event type
     * @throws dev.odestream.ode.OdeSolverException if the encoder ODE cannot be integrated over the gap; the state
     *     is then unchanged
     */
    public void observe(SeriesState state, double t, double[] values, boolean[] mask, int eventType) {
        EventChecks.check(state, t, values, mask, eventType, observationDim, eventTypes);
        evolve(state, t);
        fillInput(values, mask, eventType);
        gru.forward(input, state.hidden(), state.hidden(), 1);
        state.advance(t);
    }

    /**
     * Integrates {@code h} over the gap since the last event, the first event having none; the dynamics are
     * autonomous, so a gap longer than {@code maxGap} is the solve of {@code maxGap} (the clock stops there).
     */
    private void evolve(SeriesState state, double t) {
        lastNfe = 0;
        lastRejected = 0;
        if (state.hasEvents() && t > state.lastTime()) {
            double from = state.lastTime();
            double to = t - from > maxGap ? from + maxGap : t;
            solver.integrate(dynamics, from, state.hidden(), to, state.hidden());
            lastNfe = solver.stats().nfe();
            lastRejected = solver.stats().rejected();
        }
    }

    private void fillInput(double[] values, boolean[] mask, int eventType) {
        Arrays.fill(input, 0.0);
        if (values != null) {
            for (int d = 0; d < observationDim; d++) {
                if (mask == null || mask[d]) {
                    input[d] = values[d];
                    input[observationDim + d] = 1.0;
                }
            }
        }
        input[2 * observationDim + eventType] = 1.0;
    }

    /**
     * The posterior head: {@code [mu, log sigma^2] = h W + b}.
     *
     * @param hidden the encoder state, length {@code H}. Not modified.
     * @param muLogVar receives {@code mu} in {@code [0, L)} and {@code log sigma^2} in {@code [L, 2L)}. Modified.
     */
    public void posterior(double[] hidden, double[] muLogVar) {
        posterior.forward(hidden, muLogVar, 1);
    }

    /** @return derivative evaluations of the encoder ODE in the last {@link #observe}; 0 when there was no gap. */
    public long lastNfe() {
        return lastNfe;
    }

    /** @return steps the solver rejected (error too large, retried smaller) in the last observe's ODE segment. */
    public long lastRejectedSteps() {
        return lastRejected;
    }

    /** @return the encoder dynamics {@code f_enc}, blocks {@code encoder.ode.*}. */
    public BatchDynamics dynamics() {
        return dynamics;
    }
}
