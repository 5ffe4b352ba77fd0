/**
 * A tiny dependency-free SVG plotting writer for experiment reports: line series, scatter points, shaded bands
 * (mean plus or minus a spread), event ticks, axes with nice ticks and labels, legends, and panels in a grid.
 *
 * <p>Design note. {@link dev.odestream.plot.Figure} and {@link dev.odestream.plot.Panel} are small builders; the
 * marks they collect are immutable records, and rendering is a pure function of them into one SVG string. Each
 * panel's data sit in their own {@code <g class="data">} group clipped to the plot area, so fixed axis ranges can cut
 * lines off cleanly, and tests can count what was drawn. Non-finite values are skipped (they break a line) and
 * coordinates are clamped, so the output always parses and holds only finite numbers. Not a hot path: it allocates
 * freely.
 */
package dev.odestream.plot;
