package dev.odestream.ode;

/**
 * The answer of {@link Odeint#odeint}.
 *
 * @param y {@code y[i]} is the state at the i-th requested time; {@code y[0]} is the initial state
 * @param stats the solver's counters for the call
 */
public record OdeResult(double[][] y, SolveStatistics stats) {
}
