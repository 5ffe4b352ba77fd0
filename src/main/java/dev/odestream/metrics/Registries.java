package dev.odestream.metrics;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.config.MeterFilterReply;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.apache.kafka.streams.KafkaStreams;

import java.util.List;

/**
 * The engine's Prometheus registry: JVM and process meters, and a filtered selection of the Kafka Streams client
 * metrics. Kafka Streams reports hundreds of series per thread, most per task, store or client internals; the
 * engine exports only the few that say whether it keeps up ({@link #KAFKA_KEPT}).
 */
public final class Registries {

    /** Prefixes of the Kafka meters that are exported; every other {@code kafka.*} meter is dropped. */
    public static final List<String> KAFKA_KEPT = List.of("kafka.stream.thread.process.", "kafka.stream.thread.commit.",
            "kafka.stream.thread.poll.", "kafka.consumer.fetch.manager.records.lag.max",
            "kafka.stream.alive.stream.threads", "kafka.stream.failed.stream.threads");

    private Registries() {
    }

    /** @return a Prometheus registry with JVM, process and uptime meters and the Kafka filter installed. */
    public static PrometheusMeterRegistry prometheus() {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        registry.config().meterFilter(kafkaFilter());
        new JvmMemoryMetrics().bindTo(registry);
        new JvmGcMetrics().bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ClassLoaderMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        return registry;
    }

    /** @return a filter that denies every {@code kafka.*} meter not in {@link #KAFKA_KEPT}. */
    public static MeterFilter kafkaFilter() {
        return new MeterFilter() {
            @Override
            public MeterFilterReply accept(Meter.Id id) {
                String name = id.getName();
                if (!name.startsWith("kafka.")) {
                    return MeterFilterReply.NEUTRAL;
                }
                return KAFKA_KEPT.stream().anyMatch(name::startsWith) ? MeterFilterReply.ACCEPT
                        : MeterFilterReply.DENY;
            }
        };
    }

    /**
     * Binds a Kafka Streams instance's client metrics to a registry (filtered if the registry came from
     * {@link #prometheus()}).
     *
     * @return the binder; close it when the instance closes
     */
    public static KafkaStreamsMetrics bind(KafkaStreams streams, MeterRegistry registry) {
        KafkaStreamsMetrics binder = new KafkaStreamsMetrics(streams);
        binder.bindTo(registry);
        return binder;
    }
}
