package dev.odestream.stream;

import dev.odestream.metrics.EngineMetrics;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;


/**
 * The first processor: turns raw records into {@link Event}s the model can take ({@link EventValidation}), or sends
 * them to the dead-letter sink with the original key and value bytes and a reason.
 */
final class ValidateProcessor implements Processor<byte[], byte[], Object, Object> {

    private final EventValidation validation;
    private final EngineMetrics metrics;
    private final int maxDeadLetterBytes;
    private ProcessorContext<Object, Object> context;

    ValidateProcessor(EngineConfig config, EngineMetrics metrics) {
        this.validation = EventValidation.of(config);
        this.metrics = metrics;
        this.maxDeadLetterBytes = config.limits().maxDeadLetterBytes();
    }

    @Override
    public void init(ProcessorContext<Object, Object> context) {
        this.context = context;
    }

    @Override
    public void process(Record<byte[], byte[]> record) {
        metrics.eventIn();
        try {
            String series = validation.series(record.key());
            Event event = validation.event(record.value(), record.timestamp(), context.currentSystemTimeMs());
            context.forward(new Record<>(series, event, record.timestamp(), record.headers()),
                    EngineTopology.SERIES_PROCESSOR);
        } catch (InvalidEventException e) {
            metrics.rejected(e.reason().code());
            context.forward(DeadLetters.of(context, record, record.key(), record.value(), e.reason(), e.getMessage(),
                    maxDeadLetterBytes),
                    EngineTopology.DLQ_SINK);
        }
    }
}
