/**
 * The entry points, each one self-contained class with a {@code main}: {@link dev.odestream.cli.Main} runs the whole
 * engine on a fresh machine, {@link dev.odestream.cli.TrainCommand} runs the training reproductions and trains the
 * default model, {@link dev.odestream.cli.DemoFigureCommand} draws that model's forecast of a demo series, and
 * {@link dev.odestream.cli.WorkerCommand} runs the trainer worker as its own process (the demo runs it in-process
 * unless {@code --no-worker}).
 *
 * <h2>Design</h2>
 * <ul>
 *   <li><b>Embedded by default.</b> With no {@code --bootstrap-servers}, {@link dev.odestream.cli.Main} starts a
 *       one-node KRaft broker in-process ({@link dev.odestream.cli.EmbeddedKafka}, the only class that touches
 *       Kafka's internal server API), creates the topics, and starts the engine, the query server and a demo
 *       producer that replays the generated irregular workload.</li>
 *   <li><b>Against a real cluster</b> every property in {@code --properties} passes through to Kafka and Kafka
 *       Streams unchanged, so TLS and SASL need no code here.</li>
 *   <li><b>A trained model out of the box.</b> The engine starts from {@link dev.odestream.cli.DefaultModel}, a
 *       checkpoint bundled as a resource (version 1, trained by {@code train --experiment demo} on the workload the
 *       demo producer replays), unless {@code --checkpoint} names another or {@code --untrained} asks for the seeded
 *       initial model (version 0).</li>
 *   <li>Progress (events per second, series, model version, set-aside records) goes to standard output every few
 *       seconds; logs stay at warnings except the engine's own.</li>
 *   <li>{@code train} runs the latent ODE on the bidirectional spirals next to the GRU baseline, or the Poisson toy;
 *       it prints progress, and writes a checkpoint, SVG figures and a Markdown summary. Options are parsed plainly
 *       (no dependency), and every option is checked before any work starts.</li>
 *   <li>{@link dev.odestream.cli.ReplayCommand} checks the engine against the offline scoreboard: it plays a user's
 *       file through a live engine on the in-process broker ({@link dev.odestream.cli.ReplayEngine}, wired as
 *       {@code Main} wires one) and records, over real HTTP, the forecast the engine answers at each held-out event
 *       before producing it, for {@code evaluate --forecasts}.</li>
 * </ul>
 */
package dev.odestream.cli;
