package dev.odestream.bench;

import dev.odestream.stream.Event;
import dev.odestream.stream.EventJson;
import dev.odestream.stream.InvalidEventException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.OptionalLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * The plain stateful Kafka Streams application that the engine's throughput is measured against: per series, the
 * running mean of each value dimension over its observed values. Around its arithmetic it does what the engine does
 * around its model: the same JSON event parsing ({@link EventJson#parse}), a persistent, cached and changelogged
 * key-value store, one JSON output record per event; run it with the engine's properties
 * ({@code Engine.streamsProperties}: {@code exactly_once_v2}) to compare like with like. A record that is not a
 * valid event is counted and skipped.
 */
public final class RunningMeanApp {

    /** The store of running means. */
    public static final String STORE = "running-mean";

    private RunningMeanApp() {
    }

    /**
     * @param input the events topic (byte keys and JSON values, as the engine reads)
     * @param output where one record per event goes: the series id, and {@code {"events":n,"mean":[...]}}
     * @param invalid counts records that are not valid events
     */
    public static Topology topology(String input, String output, LongAdder invalid) {
        Topology topology = new Topology();
        topology.addSource("source", new ByteArrayDeserializer(), new ByteArrayDeserializer(), input);
        topology.addProcessor("mean", () -> new MeanProcessor(invalid), "source");
        topology.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(STORE), Serdes.String(),
                Mean.SERDE).withCachingEnabled(), "mean");
        topology.addSink("sink", output, new StringSerializer(), new ByteArraySerializer(), "mean");
        return topology;
    }

    private static final class MeanProcessor implements Processor<byte[], byte[], String, byte[]> {

        private final LongAdder invalid;
        private ProcessorContext<String, byte[]> context;
        private KeyValueStore<String, Mean> store;

        MeanProcessor(LongAdder invalid) {
            this.invalid = invalid;
        }

        @Override
        public void init(ProcessorContext<String, byte[]> context) {
            this.context = context;
            this.store = context.getStateStore(STORE);
        }

        @Override
        public void process(Record<byte[], byte[]> record) {
            Event event;
            try {
                event = EventJson.parse(record.value(), OptionalLong.empty());
            } catch (InvalidEventException e) {
                invalid.increment();
                return;
            }
            if (record.key() == null || record.key().length == 0) {
                invalid.increment();
                return;
            }
            String series = new String(record.key(), StandardCharsets.UTF_8);
            Mean mean = Mean.plus(store.get(series), event);
            store.put(series, mean);
            context.forward(new Record<>(series, mean.json(), record.timestamp()));
        }
    }

    /**
     * Events seen, and per dimension the observed values' count and sum. Immutable.
     *
     * @param events events folded in, point events included
     * @param observed per dimension, values observed
     * @param sums per dimension, their sum
     */
    public record Mean(long events, long[] observed, double[] sums) {

        /** Binary: i64 events | u16 d | d x (i64 observed, f64 sum). */
        static final Serde<Mean> SERDE = Serdes.serdeFrom((topic, m) -> m == null ? null : m.encode(),
                (topic, bytes) -> bytes == null ? null : decode(bytes));

        /** Copies. */
        public Mean {
            observed = observed.clone();
            sums = sums.clone();
        }

        /** @return {@code prior} (none: {@code null}) with one more event. */
        static Mean plus(Mean prior, Event event) {
            int d = event.isPoint() ? (prior == null ? 0 : prior.sums.length)
                    : Math.max(event.dimension(), prior == null ? 0 : prior.sums.length);
            long[] observed = new long[d];
            double[] sums = new double[d];
            if (prior != null) {
                System.arraycopy(prior.observed, 0, observed, 0, prior.observed.length);
                System.arraycopy(prior.sums, 0, sums, 0, prior.sums.length);
            }
            if (!event.isPoint()) {
                double[] values = event.values();
                boolean[] mask = event.mask();
                for (int j = 0; j < values.length; j++) {
                    if (mask == null || mask[j]) {
                        observed[j]++;
                        sums[j] += values[j];
                    }
                }
            }
            return new Mean(prior == null ? 1 : prior.events + 1, observed, sums);
        }

        /** @return the mean of dimension {@code j}, NaN if nothing was observed there. */
        public double mean(int j) {
            return observed[j] == 0 ? Double.NaN : sums[j] / observed[j];
        }

        byte[] json() {
            StringBuilder b = new StringBuilder(32 + 24 * sums.length).append("{\"events\":").append(events)
                    .append(",\"mean\":[");
            for (int j = 0; j < sums.length; j++) {
                b.append(j == 0 ? "" : ",").append(observed[j] == 0 ? "null" : Double.toString(mean(j)));
            }
            return b.append("]}").toString().getBytes(StandardCharsets.UTF_8);
        }

        byte[] encode() {
            ByteBuffer out = ByteBuffer.allocate(10 + 16 * sums.length).putLong(events).putShort((short) sums.length);
            for (int j = 0; j < sums.length; j++) {
                out.putLong(observed[j]).putDouble(sums[j]);
            }
            return out.array();
        }

        static Mean decode(byte[] bytes) {
            ByteBuffer in = ByteBuffer.wrap(bytes);
            long events = in.getLong();
            int d = Short.toUnsignedInt(in.getShort());
            long[] observed = new long[d];
            double[] sums = new double[d];
            for (int j = 0; j < d; j++) {
                observed[j] = in.getLong();
                sums[j] = in.getDouble();
            }
            return new Mean(events, observed, sums);
        }

        @Override
        public long[] observed() {
            return observed.clone();
        }

        @Override
        public double[] sums() {
            return sums.clone();
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Mean m && events == m.events && Arrays.equals(observed, m.observed)
                    && Arrays.equals(sums, m.sums);
        }

        @Override
        public int hashCode() {
            return (Long.hashCode(events) * 31 + Arrays.hashCode(observed)) * 31 + Arrays.hashCode(sums);
        }
    }
}
