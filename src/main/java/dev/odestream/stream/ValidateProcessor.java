package dev.odestream.stream;

import dev.odestream.metrics.EngineMetrics;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.OptionalLong;

/**
 * The first processor: turns raw records into {@link Event}s the model can take, or sends them to the dead-letter
 * sink with the original key and value bytes and a reason. Checks, in order: the key (a non-empty UTF-8 series id),
 * the JSON ({@link EventJson}: malformed, schema, non-finite), the dimension and event type against the model, and
 * how far the event time lies after the wall clock.
 */
final class ValidateProcessor implements Processor<byte[], byte[], Object, Object> {

    private final EngineConfig config;
    private final EngineMetrics metrics;
    private final long maxFutureMs;
    private ProcessorContext<Object, Object> context;

    ValidateProcessor(EngineConfig config, EngineMetrics metrics) {
        this.config = config;
        this.metrics = metrics;
        this.maxFutureMs = config.maxFuture().toMillis();
    }

    @Override
    public void init(ProcessorContext<Object, Object> context) {
        this.context = context;
    }

    @Override
    public void process(Record<byte[], byte[]> record) {
        metrics.eventIn();
        try {
            String series = seriesId(record.key());
            OptionalLong recordTime = config.eventTimeFromRecord() ? OptionalLong.of(record.timestamp())
                    : OptionalLong.empty();
            Event event = check(EventJson.parse(record.value(), recordTime));
            context.forward(new Record<>(series, event, record.timestamp(), record.headers()),
                    EngineTopology.SERIES_PROCESSOR);
        } catch (InvalidEventException e) {
            metrics.rejected(e.reason().code());
            context.forward(DeadLetters.of(context, record, record.key(), record.value(), e.reason(), e.getMessage()),
                    EngineTopology.DLQ_SINK);
        }
    }

    /** @return the series id a record key names: non-empty UTF-8. */
    static String seriesId(byte[] key) throws InvalidEventException {
        if (key == null || key.length == 0) {
            throw new InvalidEventException(RejectReason.BAD_KEY, "the record key (the series id) is missing");
        }
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(key)).toString();
        } catch (CharacterCodingException e) {
            throw new InvalidEventException(RejectReason.BAD_KEY, "the record key is not UTF-8");
        }
    }

    private Event check(Event event) throws InvalidEventException {
        int dim = config.modelConfig().observationDim();
        if (!event.isPoint() && event.dimension() != dim) {
            throw new InvalidEventException(RejectReason.DIMENSION_MISMATCH, "values have " + event.dimension()
                    + " entries, the model expects " + dim);
        }
        int types = config.modelConfig().eventTypes();
        if (event.type() >= types) {
            throw new InvalidEventException(RejectReason.UNKNOWN_EVENT_TYPE, "event type " + event.type()
                    + " is not below the model's " + types + " types");
        }
        long now = context.currentSystemTimeMs();
        if (event.timeMs() - now > maxFutureMs) {
            throw new InvalidEventException(RejectReason.FUTURE_TIME, "event time " + EventJson.iso(event.timeMs())
                    + " is " + (event.timeMs() - now) + " ms after the wall clock (" + EventJson.iso(now)
                    + "), more than the allowed " + maxFutureMs + " ms");
        }
        return event;
    }
}
