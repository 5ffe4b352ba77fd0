/**
 * The entry point: one command that runs the whole engine on a fresh machine.
 *
 * <h2>Design</h2>
 * <ul>
 *   <li><b>Embedded by default.</b> With no {@code --bootstrap-servers}, {@link dev.odestream.cli.Main} starts a
 *       one-node KRaft broker in-process ({@link dev.odestream.cli.EmbeddedKafka}, the only class that touches
 *       Kafka's internal server API), creates the topics, and starts the engine, the query server and a demo
 *       producer that replays the generated irregular workload.</li>
 *   <li><b>Against a real cluster</b> every property in {@code --properties} passes through to Kafka and Kafka
 *       Streams unchanged, so TLS and SASL need no code here.</li>
 *   <li>Progress (events per second, series, model version, set-aside records) goes to standard output every few
 *       seconds; logs stay at warnings except the engine's own.</li>
 * </ul>
 */
package dev.odestream.cli;
