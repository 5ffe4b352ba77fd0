/**
 * Command-line entry points. {@link dev.odestream.cli.TrainCommand} runs the reproductions (latent ODE on the
 * bidirectional spirals next to the GRU baseline; the Poisson toy), prints progress, and writes a checkpoint, SVG
 * figures and a Markdown summary. Each command is one self-contained class with a {@code main}; the parsing is
 * deliberately plain (no dependency) and every option is checked before any work starts.
 */
package dev.odestream.cli;
