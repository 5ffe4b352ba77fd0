package dev.odestream.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.odestream.model.DataSpec;
import dev.odestream.model.checkpoint.LoadedModel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code train --data} then {@code evaluate --checkpoint}, the path a user takes with their own file. */
class TrainDataCommandTest {

    private static final long HOUR = 3_600_000L;

    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);

    /** Series whose level differs per key, with positive skewed 'load' and signed 'temp', gaps of hours. */
    private static Path csv(Path dir) throws Exception {
        SplittableRandom rng = new SplittableRandom(5);
        StringBuilder text = new StringBuilder("host,at,temp,load\n");
        for (int s = 0; s < 24; s++) {
            long t = 1_700_000_000_000L;
            double level = rng.nextDouble(-5, 5);
            for (int i = 0; i < 14; i++) {
                t += (long) (HOUR * rng.nextDouble(0.3, 2.5));
                text.append(String.format(Locale.ROOT, "h%02d,%d,%.3f,%s%n", s, t, level + rng.nextGaussian() * 0.3,
                        i % 5 == 3 ? "" : String.format(Locale.ROOT, "%.4f", Math.exp(rng.nextGaussian()))));
            }
        }
        Path file = dir.resolve("hosts.csv");
        Files.writeString(file, text);
        return file;
    }

    @Test
    void shouldTrainOnAFileWithItsShapeAndUnitsAndScoreItBesideTheBaselines(@TempDir Path dir) throws Exception {
        Path data = csv(dir);
        Path outDir = dir.resolve("out");
        int status = TrainCommand.run(new String[] {"--data", data.toString(), "--key", "host", "--time", "at",
            "--out", outDir.toString(), "--iterations", "30", "--evaluate-every", "10", "--threads", "1",
            "--hidden", "8"}, out);
        String printed = bytes.toString(StandardCharsets.UTF_8);
        assertEquals(0, status, printed);

        LoadedModel model = LoadedModel.read(Files.readAllBytes(outDir.resolve("model.odsc")));
        DataSpec spec = model.spec();
        assertEquals(List.of("temp", "load"), spec.valueNames());
        assertEquals(HOUR, spec.timeUnitMs(), 0.0, "median gap about an hour and a half");
        assertFalse(spec.transforms().get(0).log(), "signed values are not logged");
        assertTrue(spec.transforms().get(1).log(), "positive skewed values are");
        assertEquals(2, model.config().observationDim());
        String summary = Files.readString(outDir.resolve("summary.md"));
        assertTrue(summary.contains("one model time unit = 1 h 0 min"), summary);
        assertTrue(summary.contains("not used"), "the summary says the test tail was left alone");
        for (String figure : List.of("forecast.svg", "calibration.svg")) {
            assertTrue(Files.readString(outDir.resolve(figure)).contains("<svg"), figure);
        }

        Path json = dir.resolve("scores.json");
        assertEquals(0, EvaluateCommand.run(new String[] {"--data", data.toString(), "--key", "host", "--time", "at",
            "--checkpoint", outDir.resolve("model.odsc").toString(), "--json", json.toString()}, out));
        JsonNode rows = new ObjectMapper().readTree(json.toFile()).get("forecasters");
        assertEquals(List.of("last-value", "ewma", "running-mean", "poisson-rate", "latent-ode v1"),
                rows.valueStream().map(r -> r.get("name").asText()).toList());
        JsonNode modelRow = rows.get(4);
        assertTrue(modelRow.get("values").get("scored").asLong() > 0, modelRow.toString());
        assertTrue(Double.isFinite(modelRow.get("values").get("rmse").asDouble()), modelRow.toString());
        assertTrue(modelRow.get("events").get("scored").asLong() > 0, modelRow.toString());
    }

    @Test
    void shouldTrainAndScorePointEventsOnly(@TempDir Path dir) throws Exception {
        SplittableRandom rng = new SplittableRandom(9);
        StringBuilder text = new StringBuilder("key,time\n");
        for (int s = 0; s < 6; s++) {
            long t = 1_700_000_000_000L;
            for (int i = 0; i < 20; i++) {
                t += (long) (HOUR * -Math.log(rng.nextDouble()));
                text.append("s").append(s).append(',').append(t).append('\n');
            }
        }
        Path data = dir.resolve("arrivals.csv");
        Files.writeString(data, text);
        Path outDir = dir.resolve("out");
        assertEquals(0, TrainCommand.run(new String[] {"--data", data.toString(), "--out", outDir.toString(),
            "--iterations", "20", "--evaluate-every", "10", "--threads", "1", "--hidden", "8"}, out),
                bytes.toString(StandardCharsets.UTF_8));
        Path json = dir.resolve("scores.json");
        assertEquals(0, EvaluateCommand.run(new String[] {"--data", data.toString(), "--checkpoint",
            outDir.resolve("model.odsc").toString(), "--json", json.toString()}, out));
        JsonNode rows = new ObjectMapper().readTree(json.toFile()).get("forecasters");
        JsonNode modelRow = rows.get(rows.size() - 1);
        assertEquals("latent-ode v1", modelRow.get("name").asText());
        assertEquals(0, modelRow.get("values").get("scored").asLong(), "no values to score");
        assertTrue(modelRow.get("events").get("scored").asLong() > 0, modelRow.toString());
    }

    @Test
    void shouldExplainABadOption() {
        assertEquals(2, TrainCommand.run(new String[] {"--data", "x.csv", "--log", "sometimes"}, out));
        assertTrue(bytes.toString(StandardCharsets.UTF_8).contains("--log must be one of"));
    }
}
