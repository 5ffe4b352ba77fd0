package dev.odestream.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RegistriesTest {

    @Test
    void shouldExportOnlyTheChosenKafkaMetersAndEverythingElse() {
        PrometheusMeterRegistry registry = Registries.prometheus();
        Counter.builder("kafka.stream.thread.process.total").register(registry).increment();
        Counter.builder("kafka.stream.state.put.total").register(registry).increment();
        Counter.builder("kafka.producer.record.send.total").register(registry).increment();
        new EngineMetrics(registry).eventIn();
        String text = registry.scrape();
        assertTrue(text.contains("kafka_stream_thread_process_total"), text);
        assertFalse(text.contains("kafka_stream_state_put"), text);
        assertFalse(text.contains("kafka_producer_record_send"), text);
        assertTrue(text.contains("odestream_events_in_total 1.0"), text);
        assertTrue(text.contains("jvm_memory_used_bytes"), text);
    }

    @Test
    void shouldCountRejectionsByReasonAndKeepTheAccounts() {
        EngineMetrics m = EngineMetrics.inMemory();
        for (int i = 0; i < 5; i++) {
            m.eventIn();
        }
        m.rejected("malformed-json");
        m.rejected("malformed-json");
        m.rejected("future-time");
        m.late();
        m.accepted(1_000, 30, false);
        assertTrue(m.eventsIn() == m.eventsAccepted() + m.eventsRejected() + m.eventsLate());
        assertTrue(m.eventsRejected("malformed-json") == 2 && m.eventsRejected("bad-key") == 0);
    }
}
