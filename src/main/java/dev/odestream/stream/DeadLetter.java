package dev.odestream.stream;

import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Why and from where a record was set aside, carried in the headers of a record on {@code events.dlq} or
 * {@code events.late}. The record's key and value stay the original bytes (for a late event, its canonical JSON), so
 * a fixed record can be replayed as it is; {@code schemas/dead-letter.schema.json} describes these headers.
 *
 * @param reason the category
 * @param detail what exactly was wrong, at most {@link #MAX_DETAIL} characters
 * @param sourceTopic topic of the original record
 * @param sourcePartition its partition, or -1 if unknown
 * @param sourceOffset its offset, or -1 if unknown
 * @param sourceTimestamp its record timestamp, epoch milliseconds
 */
public record DeadLetter(RejectReason reason, String detail, String sourceTopic, int sourcePartition,
                         long sourceOffset, long sourceTimestamp) {

    /** Header with the reason's wire code. */
    public static final String REASON = "odestream.reason";
    /** Header with the human-readable detail. */
    public static final String DETAIL = "odestream.detail";
    /** Header with the source topic. */
    public static final String TOPIC = "odestream.source.topic";
    /** Header with the source partition, decimal. */
    public static final String PARTITION = "odestream.source.partition";
    /** Header with the source offset, decimal. */
    public static final String OFFSET = "odestream.source.offset";
    /** Header with the source record timestamp, decimal epoch milliseconds. */
    public static final String TIMESTAMP = "odestream.source.timestamp";
    /** Header on a cut dead letter: the original key's length in bytes, decimal ({@link DeadLetters}). */
    public static final String ORIGINAL_KEY_BYTES = "odestream.original.key.bytes";
    /** Header on a cut dead letter: the original key's SHA-256, lower-case hex. */
    public static final String ORIGINAL_KEY_SHA256 = "odestream.original.key.sha256";
    /** Header on a cut dead letter: the original value's length in bytes, decimal. */
    public static final String ORIGINAL_VALUE_BYTES = "odestream.original.value.bytes";
    /** Header on a cut dead letter: the original value's SHA-256, lower-case hex. */
    public static final String ORIGINAL_VALUE_SHA256 = "odestream.original.value.sha256";
    /** Header on a dead letter whose original headers were too large to keep: their size in bytes, decimal. */
    public static final String ORIGINAL_HEADERS_BYTES = "odestream.original.headers.bytes";
    /** Longest detail kept; a longer one is cut, so that a huge bad input cannot make huge headers. */
    public static final int MAX_DETAIL = 1000;

    /** Checks the fields and cuts an over-long detail. */
    public DeadLetter {
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(detail, "detail");
        Objects.requireNonNull(sourceTopic, "sourceTopic");
        if (detail.length() > MAX_DETAIL) {
            detail = detail.substring(0, MAX_DETAIL - 3) + "...";
        }
    }

    /** @return the headers as name and UTF-8 text, in a fixed order. */
    public Map<String, String> headerMap() {
        Map<String, String> map = new LinkedHashMap<>();
        map.put(REASON, reason.code());
        map.put(DETAIL, detail);
        map.put(TOPIC, sourceTopic);
        map.put(PARTITION, Integer.toString(sourcePartition));
        map.put(OFFSET, Long.toString(sourceOffset));
        map.put(TIMESTAMP, Long.toString(sourceTimestamp));
        return map;
    }

    /**
     * Adds this dead letter's headers, replacing any of the same names.
     *
     * @param headers the record's headers. Modified.
     * @return {@code headers}
     */
    public Headers addTo(Headers headers) {
        headerMap().forEach((name, value) -> headers.remove(name).add(name, value.getBytes(StandardCharsets.UTF_8)));
        return headers;
    }

    /**
     * Reads the headers that {@link #addTo} wrote.
     *
     * @throws IllegalArgumentException if one is missing or malformed
     */
    public static DeadLetter from(Headers headers) {
        return new DeadLetter(RejectReason.fromCode(text(headers, REASON)), text(headers, DETAIL),
                text(headers, TOPIC), Integer.parseInt(text(headers, PARTITION)), Long.parseLong(text(headers, OFFSET)),
                Long.parseLong(text(headers, TIMESTAMP)));
    }

    private static String text(Headers headers, String name) {
        Header header = headers.lastHeader(name);
        if (header == null || header.value() == null) {
            throw new IllegalArgumentException("missing header " + name);
        }
        return new String(header.value(), StandardCharsets.UTF_8);
    }
}
