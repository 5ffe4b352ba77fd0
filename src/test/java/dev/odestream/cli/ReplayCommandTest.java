package dev.odestream.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The acceptance of "bring your own data": a file replayed through the live engine on the in-process broker, in
 * event-time order, scores as the offline model does. The engine and {@code ModelForecaster} run the same
 * {@code SeriesModel} on the same checkpoint, and the engine's JSON numbers read back to the same doubles, so the rows
 * must agree to rounding: every metric within a relative 1e-12.
 */
@Tag("integration")
class ReplayCommandTest {

    private static final long HOUR = 3_600_000L;
    private static final double TOLERANCE = 1e-12;

    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);

    /** Six series of two values, one often missing, gaps of hours, and two events at one time in a test tail. */
    private static Path csv(Path dir) throws Exception {
        SplittableRandom rng = new SplittableRandom(11);
        StringBuilder text = new StringBuilder("host,at,temp,load\n");
        for (int s = 0; s < 6; s++) {
            long t = 1_700_000_000_000L;
            double level = rng.nextDouble(-3, 3);
            for (int i = 0; i < 12; i++) {
                t += s == 0 && i == 11 ? 0 : (long) (HOUR * rng.nextDouble(0.3, 2.5));
                text.append(String.format(Locale.ROOT, "h%d,%d,%.3f,%s%n", s, t, level + rng.nextGaussian() * 0.3,
                        i % 4 == 3 ? "" : String.format(Locale.ROOT, "%.4f", Math.exp(rng.nextGaussian()))));
            }
        }
        Path file = dir.resolve("hosts.csv");
        Files.writeString(file, text);
        return file;
    }

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void shouldScoreTheReplayedEngineAsTheOfflineModel(@TempDir Path dir) throws Exception {
        Path data = csv(dir);
        String[] file = {"--data", data.toString(), "--key", "host", "--time", "at"};
        Path model = dir.resolve("out/model.odsc");
        assertEquals(0, TrainCommand.run(concat(file, "--out", dir.resolve("out").toString(), "--iterations", "10",
                "--evaluate-every", "5", "--threads", "1", "--hidden", "8"), out), printed());

        Path recorded = dir.resolve("recorded.jsonl");
        assertEquals(0, ReplayCommand.run(concat(file, "--checkpoint", model.toString(), "--out",
                recorded.toString()), out), printed());
        assertTrue(printed().contains("0 refused"), printed());

        Path json = dir.resolve("scores.json");
        assertEquals(0, EvaluateCommand.run(concat(file, "--checkpoint", model.toString(), "--forecasts",
                recorded.toString(), "--json", json.toString()), out), printed());
        assertTrue(printed().contains("0 without a recorded forecast"), printed());
        JsonNode rows = new ObjectMapper().readTree(json.toFile()).get("forecasters");
        JsonNode offline = rows.get(rows.size() - 2);
        JsonNode replayed = rows.get(rows.size() - 1);
        assertEquals("latent-ode v1", offline.get("name").asText());
        assertEquals("recorded (recorded.jsonl)", replayed.get("name").asText());
        assertTrue(offline.get("values").get("scored").asLong() > 0, offline.toString());
        assertTrue(offline.get("events").get("scored").asLong() > 0, offline.toString());
        assertAgree("", offline.get("values"), replayed.get("values"));
        assertAgree("", offline.get("events"), replayed.get("events"));
    }

    /** Every number of {@code b} equals that of {@code a} within the relative tolerance; the rest is equal. */
    private static void assertAgree(String path, JsonNode a, JsonNode b) {
        if (a.isNumber()) {
            double x = a.asDouble();
            double y = b.asDouble();
            assertTrue(Math.abs(x - y) <= TOLERANCE * Math.max(1, Math.abs(x)), path + ": " + x + " vs " + y);
        } else if (a.isContainerNode()) {
            assertEquals(a.size(), b.size(), path);
            if (a.isArray()) {
                for (int i = 0; i < a.size(); i++) {
                    assertAgree(path + "[" + i + "]", a.get(i), b.get(i));
                }
            }
            for (Iterator<Map.Entry<String, JsonNode>> fields = a.fields(); fields.hasNext(); ) {
                Map.Entry<String, JsonNode> f = fields.next();
                assertAgree(path + "." + f.getKey(), f.getValue(), b.get(f.getKey()));
            }
        } else {
            assertEquals(a, b, path);
        }
    }

    private static String[] concat(String[] head, String... tail) {
        String[] all = new String[head.length + tail.length];
        System.arraycopy(head, 0, all, 0, head.length);
        System.arraycopy(tail, 0, all, head.length, tail.length);
        return all;
    }

    private String printed() {
        return bytes.toString(StandardCharsets.UTF_8);
    }
}
