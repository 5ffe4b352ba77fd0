/**
 * A user's own event files, read into series for training: "bring your own data".
 *
 * <h2>Design</h2>
 * <ul>
 *   <li><b>One event form.</b> A file holds {@link dev.odestream.stream.Event}s, the same values the engine reads
 *       from the events topic, plus the series key. A JSON line is the topic's JSON with a {@code key} field, and
 *       goes through {@link dev.odestream.stream.EventJson} itself, so a file and the topic accept the same events.
 *       CSV is the other form. A {@link dev.odestream.dataset.CsvLayout} names the key, time and value columns and
 *       says how to read the time ({@link dev.odestream.dataset.TimeFormat}). An empty cell is a missing value.</li>
 *   <li><b>Fail on the first bad row, or skip and count.</b> A user-facing tool should stop at a bad row and say
 *       where: {@link dev.odestream.dataset.BadRowException} names the file, the line and a
 *       {@link dev.odestream.dataset.BadRowException.Reason}. {@link dev.odestream.dataset.OnBadRow#SKIP} is for
 *       files known to be dirty: it leaves bad rows out, counts them by reason, and keeps the first few to show.
 *       Some problems are never skipped, because no row after them can be read: a bad CSV header, and a file with
 *       no events.</li>
 *   <li><b>Dimension from the first row.</b> Every row with values must have as many as the first such row, or
 *       the CSV layout's value columns. Point events ({@code values} null) may sit among them.</li>
 *   <li><b>Rows of a CSV file with every value empty are rejected</b> unless the layout reads them as point
 *       events. A blank row in a value file is more often a broken export than an event.</li>
 *   <li><b>A line is a row.</b> Quoted CSV cells may not span lines, so a line number always points at the row.
 *       The CSV splitter is a small one (RFC 4180 quoting, comma only) rather than a new dependency.</li>
 *   <li><b>Order is the reader's job.</b> {@link dev.odestream.dataset.Dataset} groups events by key and sorts each
 *       series by time. The sort is stable, so events that share a time keep the file's order.
 *       {@link dev.odestream.dataset.DatasetSummary} gives the facts to print before training: sizes, time span and
 *       gap quantiles.</li>
 * </ul>
 *
 * <p>From data to a model. {@link dev.odestream.dataset.TimeSplit} cuts each series by time into train, validation
 * and test parts, never shuffled; {@link dev.odestream.dataset.DataTraining} fits the latent ODE to the train parts
 * (the {@link dev.odestream.model.DataSpec} chosen on them, early stopping on the validation parts) and leaves the
 * test parts to {@code evaluate}; {@link dev.odestream.dataset.EventWindows} cuts windows in the model's units, for
 * this and for the worker's buffer alike, subtracting the series' level from the targets when the model has a level
 * rule; {@link dev.odestream.dataset.CalibrationFit} fits a spread and intensity calibration on the validation
 * parts; {@link dev.odestream.dataset.TopicHistory} reads an events topic's retained history instead of a file.
 *
 * <p>Not yet: an event-type column in CSV (every CSV row is type 0; JSON lines carry {@code type}), other separators,
 * and streaming reads of files that do not fit in memory.
 *
 * <p>{@code src/test/resources/datasets/} holds two real data sets in both forms (PBC lab values, coal-mining
 * disasters), with their sources and licences.
 */
package dev.odestream.dataset;
