/**
 * Strict JSON reading shared by every JSON format odestream reads: events, forecast requests and checkpoint
 * envelopes. One parser configuration (no NaN tokens, no duplicate fields, no trailing tokens), and helpers that
 * check a node's shape and say where it went wrong by its path. It depends on Jackson alone, so both the model layer
 * (checkpoint envelopes) and the engine (events) can use it.
 */
package dev.odestream.json;
