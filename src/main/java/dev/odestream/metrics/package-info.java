/**
 * The engine's metrics on Micrometer, exported in Prometheus format at {@code /metrics}.
 *
 * <h2>Design</h2>
 * <ul>
 *   <li>One {@link dev.odestream.metrics.EngineMetrics} per engine, shared by all stream threads: meters are
 *       thread-safe and registered once, so recording costs no lookup per event.</li>
 *   <li>The counters make the engine's accounting checkable: every input record is counted once as accepted,
 *       rejected (by reason) or late.</li>
 * </ul>
 */
package dev.odestream.metrics;
