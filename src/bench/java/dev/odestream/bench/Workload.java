package dev.odestream.bench;

import dev.odestream.data.IrregularSeries;
import dev.odestream.data.IrregularSeriesConfig;
import dev.odestream.data.SeriesEvent;
import dev.odestream.model.ModelConfig;
import dev.odestream.stream.Event;
import dev.odestream.stream.EventJson;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;

/**
 * The input of the load benches: the irregular multi-series workload ({@link IrregularSeries}) as events-topic
 * records (UTF-8 series id, event JSON), with workload time unit {@code u} mapped to {@code startMs + u * msPerUnit}.
 * Every series has the same mean rate (one event per time unit, exponential gaps) and a fifth of the values are
 * missing, so events carry masks.
 */
final class Workload {

    /** One record's key and value bytes. */
    record Payload(byte[] key, byte[] value) {
    }

    private Workload() {
    }

    /** @return about {@code eventsPerSeries} events per series over one cycle, values of the model's dimension. */
    static IrregularSeriesConfig config(int series, double eventsPerSeries, ModelConfig model) {
        return IrregularSeriesConfig.demo(series).withDimension(model.observationDim()).withUniformRate(1.0)
                .withHorizon(eventsPerSeries).withMissingProbability(0.2);
    }

    /** @return one cycle of the workload, in time order. */
    static List<Payload> once(IrregularSeriesConfig config, long seed, long startMs, double msPerUnit) {
        List<Payload> all = new ArrayList<>();
        for (Iterator<SeriesEvent> it = IrregularSeries.replay(config, seed); it.hasNext(); ) {
            all.add(payload(it.next(), startMs, msPerUnit));
        }
        return all;
    }

    /** @return one cycle of the workload at one time unit per second, ending now: what the load benches preload. */
    static List<Payload> onceEndingNow(IrregularSeriesConfig config, long seed) {
        return once(config, seed, System.currentTimeMillis() - Math.round(config.horizon() * 1000), 1000);
    }

    /**
     * @return the workload repeated without end, cycle {@code k} shifted by {@code k} horizons, so each series'
     *     events stay in time order
     */
    static Iterator<Payload> endless(IrregularSeriesConfig config, long seed, long startMs, double msPerUnit) {
        return new Iterator<>() {
            private long cycle;
            private Iterator<SeriesEvent> current = IrregularSeries.replay(config, seed);

            @Override
            public boolean hasNext() {
                return true;
            }

            @Override
            public Payload next() {
                if (!current.hasNext()) {
                    cycle++;
                    current = IrregularSeries.replay(config, seed + cycle);
                    if (!current.hasNext()) {
                        throw new NoSuchElementException("the workload has no events");
                    }
                }
                return payload(current.next(), startMs + Math.round(cycle * config.horizon() * msPerUnit),
                        msPerUnit);
            }
        };
    }

    /** @return time units per millisecond such that {@code series} series send {@code rate} events per second. */
    static double msPerUnit(int series, double rate) {
        return 1000.0 * series / rate;
    }

    private static Payload payload(SeriesEvent e, long startMs, double msPerUnit) {
        boolean[] observed = e.observed();
        boolean all = true;
        for (boolean o : observed) {
            all &= o;
        }
        Event event = new Event(startMs + Math.round(e.time() * msPerUnit), e.values(), all ? null : observed, 0);
        return new Payload(e.key().getBytes(StandardCharsets.UTF_8), EventJson.write(event));
    }
}
