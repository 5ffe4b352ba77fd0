/**
 * The entry points, each one self-contained class with a {@code main}: {@link dev.odestream.cli.Main} runs the whole
 * engine on a fresh machine, {@link dev.odestream.cli.TrainCommand} runs the training reproductions, {@link dev.odestream.cli.WorkerCommand} runs
 * the trainer worker as its own process (the demo runs it in-process unless {@code --no-worker}).
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
 *   <li>{@code train} runs the latent ODE on the bidirectional spirals next to the GRU baseline, or the Poisson toy;
 *       it prints progress, and writes a checkpoint, SVG figures and a Markdown summary. Options are parsed plainly
 *       (no dependency), and every option is checked before any work starts.</li>
 * </ul>
 */
package dev.odestream.cli;
