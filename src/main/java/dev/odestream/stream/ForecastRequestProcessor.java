package dev.odestream.stream;

import dev.odestream.metrics.EngineMetrics;
import dev.odestream.model.ForecastPoint;
import dev.odestream.model.checkpoint.ModelSlot;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;

/**
 * Answers forecast requests from the {@code forecast-requests} topic on {@code forecast-responses}, for clients that
 * speak only Kafka. It shares its sub-topology, and so its tasks, with {@link SeriesProcessor}: the request topic is
 * co-partitioned with {@code events} (same partition count, same key), so the task that owns a series' state also
 * gets the requests for it, and reads the {@code series-state} store directly. A request is answered after the
 * events the task processed before it (Kafka Streams picks the next record of a task by timestamp across its input
 * topics).
 *
 * <p>The answer's points come from {@link SeriesModel#points}, as the HTTP forecast endpoint's do, with the same
 * limits ({@link ForecastTimes}), so both give the same numbers for the same series, model and times. A request
 * without a readable correlation id goes to the dead-letter sink with reason headers; every other failure is
 * answered: {@code not_found}, {@code bad_request} or {@code error}. Each request is counted once in
 * {@code odestream.queries.topic{status}} ({@code dead_letter} for the first case).
 */
final class ForecastRequestProcessor implements Processor<byte[], byte[], Object, Object> {

    /** The {@code status} tag of requests sent to the dead-letter topic. */
    static final String DEAD_LETTER = "dead_letter";

    private static final Logger LOG = LoggerFactory.getLogger(ForecastRequestProcessor.class);

    private final EngineConfig config;
    private final EngineMetrics metrics;
    private final EventValidation validation;
    private ProcessorContext<Object, Object> context;
    private ReadOnlyKeyValueStore<String, SeriesSnapshot> store;
    private ReadOnlyKeyValueStore<String, byte[]> models;
    private ModelSlot<SeriesModel> slot;

    ForecastRequestProcessor(EngineConfig config, EngineMetrics metrics) {
        this.config = config;
        this.metrics = metrics;
        this.validation = EventValidation.of(config);
    }

    @Override
    public void init(ProcessorContext<Object, Object> context) {
        this.context = context;
        this.store = context.getStateStore(EngineConfig.SERIES_STORE);
        this.models = context.getStateStore(EngineConfig.MODELS_STORE);
        this.slot = config.modelSlot(metrics, false);
    }

    @Override
    public void process(Record<byte[], byte[]> record) {
        ForecastRequest request;
        try {
            request = RequestJson.parseRequest(record.value());
        } catch (InvalidEventException e) {
            metrics.topicQuery(DEAD_LETTER);
            context.forward(DeadLetters.of(context, record, record.key(), record.value(), e.reason(),
                    e.getMessage(), config.limits().maxDeadLetterBytes()), EngineTopology.DLQ_SINK);
            return;
        } catch (RequestJson.BadRequestException e) {
            answer(record, ForecastResponse.failed(e.correlationId(), readableKey(record.key()),
                    ForecastResponse.Status.BAD_REQUEST, slot.current(config.modelRecord(models)).version(), e.getMessage()));
            return;
        }
        answer(record, respond(record.key(), request));
    }

    private ForecastResponse respond(byte[] key, ForecastRequest request) {
        SeriesModel model = slot.current(config.modelRecord(models));
        String id = request.correlationId();
        String series;
        try {
            series = validation.series(key);
        } catch (InvalidEventException e) {
            return ForecastResponse.failed(id, null, ForecastResponse.Status.BAD_REQUEST, model.version(),
                    e.getMessage());
        }
        SeriesSnapshot s = store.get(series);
        if (s == null) {
            return ForecastResponse.failed(id, series, ForecastResponse.Status.NOT_FOUND, model.version(),
                    "unknown series '" + series + "'");
        }
        long[] times;
        try {
            times = request.times(s.lastTimeMs(), model.loaded().spec().timeUnitMs());
        } catch (IllegalArgumentException e) {
            return ForecastResponse.failed(id, series, ForecastResponse.Status.BAD_REQUEST, model.version(),
                    e.getMessage());
        }
        try {
            SeriesModel.Answer answer = model.answer(s, times);
            return ForecastResponse.ok(id, series, model.version(), request.kind(), s, answer.points(),
                    answer.source());
        } catch (RuntimeException e) {
            LOG.warn("series {}: forecast request {} failed: {}", series, id, e.toString());
            return ForecastResponse.failed(id, series, ForecastResponse.Status.ERROR, model.version(),
                    e.getClass().getSimpleName() + ": " + e.getMessage());
        }
    }

    private void answer(Record<byte[], byte[]> request, ForecastResponse response) {
        ForecastResponse sent = response;
        byte[] json;
        try {
            json = RequestJson.write(response);
        } catch (IllegalArgumentException e) {
            sent = ForecastResponse.failed(response.correlationId(), response.series(),
                    ForecastResponse.Status.ERROR, response.modelVersion(), "the forecast is not finite");
            json = RequestJson.write(sent);
        }
        metrics.topicQuery(sent.status().code());
        context.forward(new Record<>(sent.series(), json, request.timestamp()), EngineTopology.RESPONSES_SINK);
    }

    private String readableKey(byte[] key) {
        try {
            return validation.series(key);
        } catch (InvalidEventException e) {
            return null;
        }
    }
}
