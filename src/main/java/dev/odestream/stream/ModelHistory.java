package dev.odestream.stream;

import dev.odestream.model.checkpoint.LoadedModel;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.Map;

/**
 * Which parameters each model version number has named, per model name, since this engine instance started: the one
 * version check, made where checkpoints are read ({@link ModelStoreUpdater}). A version must name one model: a
 * checkpoint that reuses a number with other parameters (seed, architecture, data spec or values) is refused, however
 * many checkpoints came between. The engine's initial model counts as its version.
 *
 * <p>Shared by the processors of one topology's global store, so that the history built while the store is restored
 * from the {@code models} topic on a start (Kafka Streams runs the updater over the topic then) is the one used
 * afterwards: a restart refuses what the running engine refused, as long as the topic still holds both records.
 * Thread-safe.
 */
final class ModelHistory {

    private final Map<String, Map<Long, String>> fingerprints = new HashMap<>();
    private final LoadedModel initial;

    /** @param initial the engine's initial model; its version is taken unless it is the baseline (no model) */
    ModelHistory(LoadedModel initial) {
        this.initial = initial;
    }

    /**
     * @return {@code null} if the version is new or names this same model; otherwise why it is refused
     */
    synchronized String conflict(String name, LoadedModel model) {
        String before = versions(name).get(model.version());
        return before == null || before.equals(fingerprint(model)) ? null : "checkpoint reuses version "
                + model.version() + " with other parameters (a version number names one model); publish it under a"
                + " new version";
    }

    /** Records an accepted version: from now on its number names this model. */
    synchronized void accepted(String name, LoadedModel model) {
        versions(name).putIfAbsent(model.version(), fingerprint(model));
    }

    private Map<Long, String> versions(String name) {
        return fingerprints.computeIfAbsent(name, n -> seeded());
    }

    private Map<Long, String> seeded() {
        Map<Long, String> map = new HashMap<>();
        if (!initial.isBaseline()) {
            map.put(initial.version(), fingerprint(initial));
        }
        return map;
    }

    /** @return the SHA-256 of what {@link LoadedModel#equals} compares, apart from the version */
    static String fingerprint(LoadedModel model) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            digest.update((model.seed() + "|" + model.config() + "|" + model.spec() + "|")
                    .getBytes(StandardCharsets.UTF_8));
            double[] parameters = model.parameters();
            ByteBuffer bits = ByteBuffer.allocate(Long.BYTES * parameters.length);
            for (double p : parameters) {
                bits.putLong(Double.doubleToLongBits(p));
            }
            digest.update(bits.array());
            return java.util.HexFormat.of().formatHex(digest.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
