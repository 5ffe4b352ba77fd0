package dev.odestream.ode;

/**
 * Counters of one solver call, as an immutable value ({@link SolveCounters#snapshot()}).
 *
 * @param nfe number of derivative evaluations
 * @param accepted accepted steps
 * @param rejected rejected step attempts (error too large or non-finite)
 */
public record SolveStatistics(long nfe, int accepted, int rejected) {
}
