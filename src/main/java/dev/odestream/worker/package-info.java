/**
 * The trainer worker: it closes the loop, so the engine learns from the events it serves without a restart.
 *
 * <h2>Design</h2>
 * <ul>
 *   <li><b>A separate consumer of the same topics.</b> The {@link dev.odestream.worker.Worker} reads {@code events}
 *       in its own consumer group with the engine's own JSON code and checks ({@link dev.odestream.worker.EventReader};
 *       what the engine dead-letters it skips and counts), and follows the compacted {@code models} topic. It
 *       publishes a candidate there as a plain ODSC checkpoint; the engines swap it in as they swap any model.</li>
 *   <li><b>Bounded memory.</b> The {@link dev.odestream.worker.TrainingBuffer} keeps the recent events of at most
 *       {@code maxSeries} series, {@code maxEventsPerSeries} each, and cuts them into windows on demand: each series'
 *       newest window is held out, never trained on.</li>
 *   <li><b>Live error, measured as the engine serves.</b> The worker runs the model in use over every event with
 *       the engine's per-event calls and scores the forecast made for the event before folding it in
 *       ({@link dev.odestream.worker.OnlineScorer}); a moving average of the RMSE and of the event NLL
 *       ({@link dev.odestream.worker.LiveError}) is compared with the model's reference error, the same measure on
 *       held-out data at promotion, written into the checkpoint so a restarted worker has it too.</li>
 *   <li><b>Triggers</b> ({@link dev.odestream.worker.Triggers}): a schedule (time or event count) and drift.</li>
 *   <li><b>Rounds are Kafka-free</b> ({@link dev.odestream.worker.TrainingRound}): warm start from the model in use,
 *       train, score both on the held-out windows, and let the {@link dev.odestream.worker.Gate} decide; an accepted
 *       candidate carries its lineage (parent, data range, metrics) in the checkpoint's training metadata.</li>
 *   <li><b>A backend owns whole training steps</b> ({@link dev.odestream.train.TrainingBackend}, in {@code train}): a
 *       session keeps parameters and optimizer state where it computes, so a device backend can keep them resident.
 *       {@link dev.odestream.worker.TrainingBackends} picks one: CUDA when the driver finds a device, else the CPU
 *       reference, saying why.</li>
 * </ul>
 */
package dev.odestream.worker;
