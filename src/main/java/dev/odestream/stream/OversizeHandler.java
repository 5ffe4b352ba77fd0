package dev.odestream.stream;

import dev.odestream.metrics.EngineMetrics;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.RecordBatchTooLargeException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.errors.ProductionExceptionHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.Map;

/**
 * The engine's production exception handler: a record the producer refuses as too large is not published, the stream
 * thread goes on, and {@code events.dlq} gets a small dead letter ({@code record-too-large}) with a cut copy of the
 * input record that led to it and the original sizes and SHA-256 ({@link DeadLetters}). Any other production error is
 * left to Kafka Streams, which fails the thread as its default handler does.
 *
 * <p>The engine's own records are kept below the producer's limit ({@link Limits}), so this is the last line, for a
 * producer or topic configured with a smaller limit than the engine's bounds assume. Kafka Streams creates the handler
 * by class name; {@link Engine} passes the dead-letter topic and the metrics in the configuration
 * ({@link #DEAD_LETTER_TOPIC}, {@link #METRICS}).
 */
public final class OversizeHandler implements ProductionExceptionHandler {

    /** Configuration key of the dead-letter topic's name. */
    public static final String DEAD_LETTER_TOPIC = "odestream.dead.letter.topic";
    /** Configuration key of the {@link EngineMetrics} to count in. */
    public static final String METRICS = "odestream.metrics";
    /** The most bytes of key, value and headers of the dead letter this handler writes: small, to be sure it fits. */
    static final int LETTER_BYTES = 16 * 1024;

    private static final Logger LOG = LoggerFactory.getLogger(OversizeHandler.class);

    private String deadLetterTopic = Topics.defaults().deadLetters();
    private EngineMetrics metrics;

    @Override
    public void configure(Map<String, ?> configs) {
        if (configs.get(DEAD_LETTER_TOPIC) instanceof String topic) {
            deadLetterTopic = topic;
        }
        if (configs.get(METRICS) instanceof EngineMetrics m) {
            metrics = m;
        }
    }

    @Override
    public Response handleError(ErrorHandlerContext context, ProducerRecord<byte[], byte[]> record,
                                Exception exception) {
        if (!(exception instanceof RecordTooLargeException || exception instanceof RecordBatchTooLargeException)) {
            return Response.fail();
        }
        if (metrics != null) {
            metrics.recordTooLarge();
        }
        int size = (record.key() == null ? 0 : record.key().length) + (record.value() == null ? 0
                : record.value().length);
        String detail = "a record of " + size + " bytes for topic " + record.topic() + " was too large for the"
                + " producer (" + exception.getMessage() + "); the input record that led to it is cut here";
        LOG.warn("not published, too large: {}", detail);
        DeadLetter letter = new DeadLetter(RejectReason.RECORD_TOO_LARGE, detail, context.topic(),
                context.partition(), context.offset(), context.timestamp());
        DeadLetters.Cut cut = DeadLetters.cut(letter, new RecordHeaders(), context.sourceRawKey(),
                context.sourceRawValue(), LETTER_BYTES);
        return Response.resume(List.of(new ProducerRecord<>(deadLetterTopic, null, context.timestamp(), cut.key(),
                cut.value(), cut.headers())));
    }
}
