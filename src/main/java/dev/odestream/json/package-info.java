/**
 * Strict JSON reading shared by every JSON format odestream reads: events, forecast requests and checkpoint
 * envelopes. One parser configuration (strict UTF-8, no duplicate fields, no trailing tokens; NaN and Infinity tokens
 * are read so that they get their own reason), and helpers that
 * check a node's shape and say where it went wrong by its path. It depends on Jackson alone, so both the model layer
 * (checkpoint envelopes) and the engine (events) can use it.
 */
package dev.odestream.json;
