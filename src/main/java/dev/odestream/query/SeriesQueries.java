package dev.odestream.query;

import dev.odestream.metrics.EngineMetrics;
import dev.odestream.model.ForecastPoint;
import dev.odestream.model.checkpoint.ModelSlot;
import dev.odestream.stream.EngineConfig;
import dev.odestream.stream.ForecastRecord;
import dev.odestream.stream.IntensityRecord;
import dev.odestream.stream.RecordJson;
import dev.odestream.stream.SeriesModel;
import dev.odestream.stream.SeriesSnapshot;
import dev.odestream.stream.SnapshotCodec;

import java.io.ByteArrayOutputStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The answers of the series endpoints for a series this instance owns. Forecasts use the newest model in the
 * {@code models} store (re-encoding the series from its ring in memory when it was computed by another version), on
 * one model instance per query thread.
 */
final class SeriesQueries {

    private final QueryBackend backend;
    private final EngineConfig config;
    private final ThreadLocal<ModelSlot<SeriesModel>> slots;

    SeriesQueries(QueryBackend backend, EngineConfig config, EngineMetrics metrics) {
        this.backend = backend;
        this.config = config;
        this.slots = ThreadLocal.withInitial(() -> config.modelSlot(metrics, false));
    }

    /** {@code GET /v1/series/{id}/forecast?at=...|horizon=...}. */
    Response forecast(String series, Map<String, String> params) throws Exception {
        Optional<SeriesSnapshot> found = backend.snapshot(series);
        if (found.isEmpty()) {
            return unknown(series);
        }
        SeriesSnapshot s = found.get();
        SeriesModel model = slots.get().current(config.modelRecord(backend.models()));
        long[] times = QueryTimes.parse(params.get("at"), params.get("horizon"), s.lastTimeMs(), null,
                model.loaded().spec().timeUnitMs());
        SeriesModel.Answer answer = model.answer(s, times);
        return Response.json(200, RecordJson.write(new ForecastRecord(series, model.version(), s.lastTimeMs(),
                System.currentTimeMillis(), s.events(), answer.points(), answer.source())));
    }

    /** {@code GET /v1/series/{id}/intensity?at=...|horizon=...}, at the last event time by default. */
    Response intensity(String series, Map<String, String> params) throws Exception {
        Optional<SeriesSnapshot> found = backend.snapshot(series);
        if (found.isEmpty()) {
            return unknown(series);
        }
        SeriesSnapshot s = found.get();
        long tau = s.lastTimeMs();
        SeriesModel model = slots.get().current(config.modelRecord(backend.models()));
        long[] times = QueryTimes.parse(params.get("at"), params.get("horizon"), tau, new long[] {tau},
                model.loaded().spec().timeUnitMs());
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.write('[');
        SeriesModel.Answer answer = model.answer(s, times);
        List<ForecastPoint> points = answer.points();
        for (int i = 0; i < points.size(); i++) {
            ForecastPoint p = points.get(i);
            body.write(i == 0 ? new byte[0] : new byte[] {','});
            body.write(RecordJson.write(new IntensityRecord(series, model.version(), tau, times[i], s.events(),
                    p.intensity(), p.expectedCount(), p.probabilityNoEvent(), answer.source())));
        }
        body.write(']');
        return Response.json(200, body.toByteArray());
    }

    /** {@code GET /v1/series/{id}}: what the store holds, without the hidden state. */
    Response summary(String series) throws Exception {
        Optional<SeriesSnapshot> found = backend.snapshot(series);
        if (found.isEmpty()) {
            return unknown(series);
        }
        SeriesSnapshot s = found.get();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("series", series);
        body.put("modelVersion", s.modelVersion());
        body.put("events", s.events());
        body.put("tau", s.lastTimeMs());
        body.put("ringSize", s.ring().size());
        body.put("ringStart", s.ring().getFirst().timeMs());
        body.put("replayableFrom", s.baseBoundMs() == SeriesSnapshot.NO_BOUND ? null : s.baseBoundMs());
        body.put("stateBytes", SnapshotCodec.encode(s).length);
        body.put("seenAt", s.seenAtMs() == SeriesSnapshot.NEVER ? null : s.seenAtMs());
        body.put("intensity", intensity(s.intensity()));
        return Response.json(200, body);
    }

    private static Map<String, Object> intensity(SeriesSnapshot.LastIntensity i) {
        if (i == null) {
            return null;
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("time", i.timeMs());
        body.put("lambda", i.lambda());
        body.put("expectedCount", i.expectedCount());
        return body;
    }

    private static Response unknown(String series) {
        return Response.error(404, "unknown series '" + Response.clip(series) + "'");
    }
}
