/**
 * Load-test parts of the engine and soak benchmarks ({@code src/bench/java}), kept with the test sources so that the
 * normal test suite checks them: a lock-free latency histogram, an open-loop send schedule, interval percentiles of
 * the engine's Micrometer timers, the plain Kafka Streams application the engine is compared with, and the soak
 * verdict.
 *
 * <h2>Design</h2>
 * <ul>
 *   <li><b>Open loop, latency from the due time.</b> Queries and input go out on a fixed schedule whatever the
 *       answers do, and a query's latency counts from when it was due, so a stall anywhere shows in full instead of
 *       slowing the load down (coordinated omission).</li>
 *   <li><b>Intervals by difference.</b> Histograms only ever count up; an interval's distribution is the
 *       difference of two readings, so writers are never reset or paused.</li>
 *   <li><b>Like with like.</b> The plain application parses the same JSON, keeps a persistent, cached, changelogged
 *       store and runs {@code exactly_once_v2} with the engine's properties, so the throughput ratio is the cost of
 *       the model and nothing else.</li>
 * </ul>
 */
package dev.odestream.bench;
