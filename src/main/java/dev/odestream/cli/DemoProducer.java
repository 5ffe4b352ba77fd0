package dev.odestream.cli;

import dev.odestream.data.IrregularSeries;
import dev.odestream.data.IrregularSeriesConfig;
import dev.odestream.data.SeriesEvent;
import dev.odestream.stream.Event;
import dev.odestream.stream.EventJson;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

import java.util.Iterator;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Replays the generated irregular workload ({@link IrregularSeries}) onto the events topic at a fixed rate, over
 * and over: cycle {@code k} is shifted by {@code k} workload horizons. One workload time unit is one second, and the
 * first cycle ends now, so event times start in the recent past and advance about as fast as the wall clock at the
 * workload's natural rate (about one event per series per second).
 */
final class DemoProducer implements Runnable, AutoCloseable {

    private final KafkaProducer<String, byte[]> producer;
    private final String topic;
    private final IrregularSeriesConfig workload;
    private final long seed;
    private final double rate;
    private final long startMs;
    private final AtomicLong sent = new AtomicLong();
    private volatile boolean running = true;

    /**
     * @param clientProperties connection settings (bootstrap servers, TLS, SASL), passed through
     * @param topic the events topic
     * @param workload the series to replay; its dimension must be the model's
     * @param seed the workload's seed
     * @param rate events per second
     */
    DemoProducer(Properties clientProperties, String topic, IrregularSeriesConfig workload, long seed, double rate) {
        Properties p = new Properties();
        p.putAll(clientProperties);
        p.putAll(Map.of(ProducerConfig.ACKS_CONFIG, "all", ProducerConfig.LINGER_MS_CONFIG, 5));
        this.producer = new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer());
        this.topic = topic;
        this.workload = workload;
        this.seed = seed;
        this.rate = rate;
        this.startMs = System.currentTimeMillis() - Math.round(workload.horizon() * 1000);
    }

    /** @return events sent so far. */
    long sent() {
        return sent.get();
    }

    @Override
    public void run() {
        long began = System.nanoTime();
        for (long cycle = 0; running; cycle++) {
            long offsetMs = startMs + cycle * Math.round(workload.horizon() * 1000);
            for (Iterator<SeriesEvent> it = IrregularSeries.replay(workload, seed); running && it.hasNext(); ) {
                send(it.next(), offsetMs);
                pace(began);
            }
        }
        producer.flush();
    }

    private void send(SeriesEvent e, long offsetMs) {
        boolean[] observed = e.observed();
        boolean all = true;
        for (boolean o : observed) {
            all &= o;
        }
        Event event = new Event(offsetMs + Math.round(e.time() * 1000), e.values(), all ? null : observed, 0);
        producer.send(new ProducerRecord<>(topic, e.key(), EventJson.write(event)));
        sent.incrementAndGet();
    }

    /** Sleeps while ahead of the rate. */
    private void pace(long began) {
        long due = began + (long) (sent.get() * 1e9 / rate);
        long wait = due - System.nanoTime();
        if (wait > 1_000_000) {
            try {
                Thread.sleep(wait / 1_000_000);
            } catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
                running = false;
            }
        }
    }

    @Override
    public void close() {
        running = false;
    }

    /** Closes the producer; call after the thread running {@link #run} has ended. */
    void closeProducer() {
        producer.close();
    }
}
