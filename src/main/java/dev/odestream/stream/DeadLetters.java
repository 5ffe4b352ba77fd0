package dev.odestream.stream;

import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;

import java.util.Optional;

/** Builds the records the processors set aside, with {@link DeadLetter} headers naming the reason and the source. */
final class DeadLetters {

    private DeadLetters() {
    }

    /**
     * @param context the processor's context, for the source coordinates
     * @param source the input record; its headers are kept (copied)
     * @param key the key to send
     * @param value the value to send
     */
    static <K, V> Record<K, V> of(ProcessorContext<?, ?> context, Record<?, ?> source, K key, V value,
                                  RejectReason reason, String detail) {
        Optional<RecordMetadata> meta = context.recordMetadata();
        DeadLetter letter = new DeadLetter(reason, detail, meta.map(RecordMetadata::topic).orElse("unknown"),
                meta.map(RecordMetadata::partition).orElse(-1), meta.map(RecordMetadata::offset).orElse(-1L),
                source.timestamp());
        RecordHeaders headers = new RecordHeaders(source.headers().toArray());
        letter.addTo(headers);
        return new Record<>(key, value, source.timestamp(), headers);
    }
}
