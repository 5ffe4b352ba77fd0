package dev.odestream.cli;

import dev.odestream.stream.Limits;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CliOptionsTest {

    @Test
    void shouldStartEmbeddedWithTheDemoByDefault() {
        CliOptions o = CliOptions.parse();
        assertNull(o.bootstrapServers());
        assertTrue(o.demo());
        assertTrue(o.worker(), "the demo runs the trainer worker in-process");
        assertNull(o.duration());
        assertEquals(8080, o.httpPort());
        assertEquals("0.0.0.0", o.httpBind(), "every interface, as in a container");
        assertFalse(o.help());
    }

    @Test
    void shouldReadEveryOption() {
        CliOptions o = CliOptions.parse("--bootstrap-servers", "k:9093", "--properties", "client.properties",
                "--http-port", "0", "--http-bind", "127.0.0.1", "--series", "10000", "--rate", "2500.5", "--duration",
                "90s", "--checkpoint",
                "model.odsc", "--partitions", "8", "--state-dir", "/var/lib/odestream", "--application-id", "fc",
                "--seed", "-3", "--no-demo", "--no-worker", "--idle-interval", "1m", "--ttl", "2h",
                "--max-series-id-bytes", "200", "--earliest-event-time", "1990-01-01T00:00:00Z", "--max-future", "5m",
                "--max-dead-letter-bytes", "500000");
        assertEquals(new CliOptions("k:9093", Path.of("client.properties"), 0, "127.0.0.1", 10_000, 2500.5,
                Duration.ofSeconds(90), Path.of("model.odsc"), 8, Path.of("/var/lib/odestream"), "fc", false, false, -3,
                false, Duration.ofMinutes(1), Duration.ofHours(2), false, 0, 1,
                new Limits(200, Instant.parse("1990-01-01T00:00:00Z").toEpochMilli(), 500_000),
                Duration.ofMinutes(5)), o);
    }

    @Test
    void shouldBoundRecordsByDefault() {
        CliOptions o = CliOptions.parse();
        assertEquals(Limits.defaults(), o.limits());
        assertEquals(Instant.parse("2000-01-01T00:00:00Z").toEpochMilli(), o.limits().earliestEventTimeMs());
        assertEquals(Duration.ofHours(1), o.maxFuture());
    }

    @Test
    void shouldSweepIdleSeriesEveryThirtySecondsAndKeepThemForEverByDefault() {
        CliOptions o = CliOptions.parse();
        assertEquals(Duration.ofSeconds(30), o.idleInterval());
        assertEquals(Duration.ZERO, o.ttl());
        assertEquals(Duration.ZERO, CliOptions.parse("--idle-interval", "0").idleInterval());
        assertTrue(CliOptions.USAGE.contains("--idle-interval") && CliOptions.USAGE.contains("--ttl"));
    }

    @Test
    void shouldStartFromTheBundledModelUnlessToldOtherwise() {
        assertFalse(CliOptions.parse().untrained());
        assertTrue(CliOptions.parse("--untrained").untrained());
        IllegalArgumentException both = assertThrows(IllegalArgumentException.class,
                () -> CliOptions.parse("--untrained", "--checkpoint", "model.odsc"));
        assertTrue(both.getMessage().contains("--untrained"), both.getMessage());
    }

    @Test
    void shouldReadDurationsInEveryForm() {
        assertEquals(Duration.ofSeconds(90), CliOptions.duration("90"));
        assertEquals(Duration.ofMillis(1500), CliOptions.duration("1500ms"));
        assertEquals(Duration.ofMinutes(5), CliOptions.duration("5m"));
        assertEquals(Duration.ofHours(2), CliOptions.duration("2h"));
        assertEquals(Duration.ofSeconds(75), CliOptions.duration("PT1M15S"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"--series 0", "--rate -1", "--http-port 70000", "--duration soon", "--duration 0s",
        "--frobnicate 1", "--series", "--partitions x", "--ttl 1m --idle-interval 0", "--ttl 30s",
        "--idle-interval -5s", "--ttl soon", "--max-series-id-bytes 0", "--max-dead-letter-bytes 100",
        "--earliest-event-time 1990", "--max-future 0s"})
    void shouldRejectABadCommandLineNamingTheOption(String line) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> CliOptions.parse(line.split(" ")));
        assertTrue(e.getMessage().contains("--"), e.getMessage());
    }

    @Test
    void shouldBoundTheHttpServersConnectionsUnlessTheCommandLineDoes() {
        java.util.Properties system = new java.util.Properties();
        system.setProperty("sun.net.httpserver.idleInterval", "45");
        HttpServerDefaults.apply(system);
        assertEquals("1024", system.getProperty("jdk.httpserver.maxConnections"));
        assertEquals("10", system.getProperty("sun.net.httpserver.maxReqTime"));
        assertEquals("45", system.getProperty("sun.net.httpserver.idleInterval"), "given on the command line");
        HttpServerDefaults.apply(system = new java.util.Properties());
        assertEquals("10", system.getProperty("sun.net.httpserver.idleInterval"));
    }
}
