/**
 * Model versions: versioned, self-checking checkpoints (the unit a trainer publishes and a running engine hot-swaps),
 * and the life of a version once loaded.
 *
 * <p>Design note. A {@link dev.odestream.model.checkpoint.Checkpoint} is an immutable record whose constructor
 * enforces everything a loader must trust (a layout of uniquely named blocks that tiles the flat parameter vector,
 * finite values, a parent older than the child), so a decoded checkpoint is valid by construction.
 * {@link dev.odestream.model.checkpoint.CheckpointCodec} owns the bytes: magic {@code ODSC}, a u16 format version,
 * tagged sections (typed key/value metadata, layout, big-endian IEEE 754 parameters) and a CRC32C trailer. It checks
 * cheap things first (magic, version, declared length) so that a wrong or truncated file gets a precise message
 * rather than a checksum failure, and it never trusts a length it has not bounds-checked.
 *
 * <p>Metadata is binary in the file because the core has no JSON library; {@code Checkpoint.metadataJson()} renders
 * the same metadata as JSON for people and tools, described by {@code schemas/checkpoint-metadata.schema.json}.
 * Compatibility is by hyperparameters: {@code requireCompatible} compares the checkpoint's architecture with the
 * loading model's and names every difference.
 *
 * <p>Lifecycle. {@link dev.odestream.model.checkpoint.LoadedModel} is one checked version of the latent ODE (version,
 * seed, configuration, parameters): it reads a checkpoint or a {@link dev.odestream.model.checkpoint.CheckpointEnvelope}
 * (the JSON form on the {@code models} topic), refuses what does not fit with a
 * {@link dev.odestream.model.checkpoint.ModelRejectedException}, and writes itself back as a checkpoint.
 * {@link dev.odestream.model.checkpoint.ModelSlot} keeps one thread's served version in step with the latest published
 * record. The engine, the worker and the backends use these; none of them loads a model its own way.
 */
package dev.odestream.model.checkpoint;
