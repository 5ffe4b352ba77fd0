/**
 * The streaming engine on Kafka Streams: value types, serdes, the validation and per-series processors, and the
 * topology that wires them.
 *
 * <h2>Design</h2>
 * <ul>
 *   <li><b>Value types are immutable records</b> ({@link dev.odestream.stream.Event},
 *       {@link dev.odestream.stream.ForecastRecord}, {@link dev.odestream.stream.IntensityRecord},
 *       {@link dev.odestream.stream.DeadLetter}, {@link dev.odestream.stream.SeriesSnapshot}). What crosses a topic is
 *       JSON described by a schema in {@code schemas/}; the per-series state is a versioned binary format
 *       ({@link dev.odestream.stream.SnapshotCodec}), under 2 KB at the reference size, with the intensity and
 *       expected count per event type as last evaluated.</li>
 *   <li><b>JSON is read through a tree, not data binding</b>, so that a rejected event says which field and why;
 *       the reason becomes a header on the dead-letter record, whose value stays the original bytes.</li>
 *   <li><b>No single record stops the engine.</b> {@link dev.odestream.stream.Limits} bounds a series id, the
 *       earliest event time and a dead letter's size, so every record the engine makes fits the producer; a larger
 *       dead letter is cut, with the original sizes and hashes in headers.</li>
 *   <li><b>Nothing is silently dropped</b>: every input record updates a series, or goes to {@code events.dlq} or
 *       {@code events.late} with a reason, and {@link dev.odestream.metrics.EngineMetrics} counts each case.</li>
 *   <li><b>Out of order, in-order state.</b> A series keeps a ring of its recent events and the encoder state just
 *       before the ring; an event that arrives late but within the grace is inserted and the ring replayed, so the
 *       state is bit for bit what in-order arrival gives ({@link dev.odestream.stream.SeriesModel}).</li>
 *   <li><b>Questions over Kafka too.</b> {@link dev.odestream.stream.ForecastRequestProcessor} answers the
 *       {@code forecast-requests} topic from the same store and with the same code as the HTTP endpoint
 *       ({@link dev.odestream.stream.SeriesModel#points}); it sits in the series processor's sub-topology, so the
 *       request topic is co-partitioned with {@code events}.</li>
 *   <li><b>Bounded state on the wall clock.</b> An optional sweep ({@link dev.odestream.stream.IdleSweep})
 *       publishes the intensity of series that have gone quiet and deletes those quiet past a TTL; quiet is
 *       measured from the arrival of the last event, so replayed history is not swept away.</li>
 *   <li><b>Hot swap without a stop.</b> Checkpoints (a JSON
 *       {@link dev.odestream.model.checkpoint.CheckpointEnvelope} or raw ODSC) arrive on the compacted {@code models}
 *       topic into a global store. They are judged once, where they are read ({@link
 *       dev.odestream.stream.ModelStoreUpdater}: decoding, one model per version number, a canary run on live
 *       series), so every thread, which follows the store through its own
 *       {@link dev.odestream.model.checkpoint.ModelSlot}, serves the same version; a tombstone brings back the
 *       initial model everywhere. The engine only consumes models: decoding them is the model layer's job. A series computed by an older version is re-encoded from its ring when it is
 *       next touched, so a swap costs nothing up front.</li>
 *   <li><b>Kafka-free core, thin processors.</b> {@link dev.odestream.stream.SeriesModel} holds the per-series
 *       logic and knows nothing of Kafka; the processors only read and write stores and forward records.
 *       {@code exactly_once_v2} is the default ({@link dev.odestream.stream.Engine#streamsProperties}).</li>
 * </ul>
 */
package dev.odestream.stream;
