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
 *       ({@link dev.odestream.stream.SnapshotCodec}), about 2 KB at the reference size.</li>
 *   <li><b>JSON is read through a tree, not data binding</b>, so that a rejected event says which field and why;
 *       the reason becomes a header on the dead-letter record, whose value stays the original bytes.</li>
 *   <li><b>Nothing is silently dropped</b>: every input record updates a series, or goes to {@code events.dlq} or
 *       {@code events.late} with a reason.</li>
 * </ul>
 */
package dev.odestream.stream;
