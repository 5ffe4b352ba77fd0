package dev.odestream.stream;

import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Optional;

/**
 * Builds the records the processors set aside, with {@link DeadLetter} headers naming the reason and the source.
 *
 * <p><b>Always publishable.</b> A dead letter adds headers to a record that the broker already took, so a record just
 * under the producer's limit would come out over it, and a producer error stops a stream thread. A dead letter larger
 * than {@link Limits#maxDeadLetterBytes} is therefore cut: the original headers go first if they alone take more than
 * a quarter of the bound, then the value, then the key, are cut to a prefix, and for each part cut a header gives its
 * original size and SHA-256 ({@link DeadLetter#ORIGINAL_VALUE_BYTES} and the others), so the original can still be
 * found and matched.
 */
final class DeadLetters {

    /** Room kept for the size and hash headers of a cut letter. */
    private static final int CUT_HEADERS_RESERVE = 512;
    /** Per-header framing in a record: a generous bound on the varints of the name and value lengths. */
    private static final int HEADER_FRAMING = 10;

    private DeadLetters() {
    }

    /**
     * @param context the processor's context, for the source coordinates
     * @param source the input record; its headers are kept (copied), unless they are too large
     * @param key the key to send
     * @param value the value to send
     * @param maxBytes the most bytes of key, value and headers the letter may have
     */
    static Record<byte[], byte[]> of(ProcessorContext<?, ?> context, Record<?, ?> source, byte[] key, byte[] value,
                                     RejectReason reason, String detail, int maxBytes) {
        Optional<RecordMetadata> meta = context.recordMetadata();
        DeadLetter letter = new DeadLetter(reason, detail, meta.map(RecordMetadata::topic).orElse("unknown"),
                meta.map(RecordMetadata::partition).orElse(-1), meta.map(RecordMetadata::offset).orElse(-1L),
                source.timestamp());
        Cut cut = cut(letter, source.headers(), key, value, maxBytes);
        return new Record<>(cut.key(), cut.value(), source.timestamp(), cut.headers());
    }

    /**
     * A dead letter's parts, cut to fit.
     *
     * @param key the key, or a prefix of it
     * @param value the value, or a prefix of it
     * @param headers the letter's headers, with the original sizes and hashes of what was cut
     */
    record Cut(byte[] key, byte[] value, Headers headers) {
    }

    /**
     * @param letter the reason and source
     * @param original the original record's headers. Not modified.
     * @param key the key, may be null. Not modified.
     * @param value the value, may be null. Not modified.
     * @param maxBytes the most bytes of key, value and headers the result may have
     */
    static Cut cut(DeadLetter letter, Headers original, byte[] key, byte[] value, int maxBytes) {
        RecordHeaders headers = new RecordHeaders(original.toArray());
        letter.addTo(headers);
        if (length(key) + length(value) + size(headers) <= maxBytes) {
            return new Cut(key, value, headers);
        }
        if (size(original) > maxBytes / 4) {
            headers = new RecordHeaders();
            letter.addTo(headers);
            mark(headers, DeadLetter.ORIGINAL_HEADERS_BYTES, Integer.toString(size(original)));
        }
        int budget = Math.max(0, maxBytes - size(headers) - CUT_HEADERS_RESERVE);
        int keyKeep = Math.min(length(key), budget - Math.min(length(value), budget / 2));
        int valueKeep = Math.min(length(value), budget - keyKeep);
        byte[] k = keep(key, keyKeep, headers, DeadLetter.ORIGINAL_KEY_BYTES, DeadLetter.ORIGINAL_KEY_SHA256);
        byte[] v = keep(value, valueKeep, headers, DeadLetter.ORIGINAL_VALUE_BYTES,
                DeadLetter.ORIGINAL_VALUE_SHA256);
        return new Cut(k, v, headers);
    }

    private static byte[] keep(byte[] bytes, int keep, Headers headers, String sizeHeader, String hashHeader) {
        if (bytes == null || keep >= bytes.length) {
            return bytes;
        }
        mark(headers, sizeHeader, Integer.toString(bytes.length));
        mark(headers, hashHeader, sha256(bytes));
        return Arrays.copyOf(bytes, keep);
    }

    private static void mark(Headers headers, String name, String text) {
        headers.remove(name).add(name, text.getBytes(StandardCharsets.UTF_8));
    }

    /** @return the SHA-256 of the bytes, 64 lower-case hex digits */
    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    private static int length(byte[] bytes) {
        return bytes == null ? 0 : bytes.length;
    }

    /** @return the bytes the headers take in a record, bounded from above */
    static int size(Headers headers) {
        int size = 0;
        for (Header h : headers) {
            size += HEADER_FRAMING + h.key().getBytes(StandardCharsets.UTF_8).length + length(h.value());
        }
        return size;
    }
}
