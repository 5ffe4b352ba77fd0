package dev.odestream.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.odestream.dataset.CsvLayout;
import dev.odestream.dataset.Dataset;
import dev.odestream.dataset.EventFile;
import dev.odestream.dataset.OnBadRow;
import dev.odestream.dataset.TimeSplit;
import dev.odestream.stream.Event;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The command end to end on the real data sets: structural facts only, never the scores themselves. */
class EvaluateCommandTest {

    private static final Path DATASETS = Path.of("src/test/resources/datasets");
    private static final List<String> METRICS = List.of("rmse", "mae", "nll", "crps", "coverage50", "coverage90",
            "coverage95");

    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);

    private String output() {
        return bytes.toString(StandardCharsets.UTF_8);
    }

    private JsonNode evaluate(Path json, String... args) throws Exception {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("--json", json.toString()));
        assertEquals(0, EvaluateCommand.run(all.toArray(String[]::new), out), output());
        return new ObjectMapper().readTree(json.toFile());
    }

    @Test
    void shouldScoreTheBaselinesOnPbcseq(@TempDir Path dir) throws Exception {
        JsonNode board = evaluate(dir.resolve("pbcseq.json"), "--data", DATASETS.resolve("pbcseq.csv").toString());
        Dataset data = EventFile.readCsv(DATASETS.resolve("pbcseq.csv"), CsvLayout.of("key", "time", "bili",
                "albumin", "chol", "platelet"), OnBadRow.FAIL).dataset();
        List<Event> test = TimeSplit.DEFAULT.splitAll(data.allSeries(), Event::timeMs).values().stream()
                .flatMap(p -> p.test().stream()).toList();
        long present = test.stream().mapToLong(e -> java.util.stream.IntStream.range(0, 4).filter(e::isPresent)
                .count()).sum();
        assertEquals(312, board.get("series").asInt());
        assertEquals(test.size(), board.get("testEvents").asInt());
        assertTrue(board.get("seriesScored").asInt() > 200, board.toString());
        JsonNode rows = board.get("forecasters");
        assertEquals(List.of("last-value", "ewma", "running-mean", "poisson-rate"),
                rows.valueStream().map(r -> r.get("name").asText()).toList());
        for (JsonNode row : rows) {
            JsonNode values = row.get("values");
            assertEquals(present, values.get("scored").asLong() + values.get("skipped").asLong(), row.toString());
            assertEquals(test.size(), row.get("events").get("scored").asLong()
                    + row.get("events").get("skipped").asLong());
        }
        for (JsonNode row : List.of(rows.get(0), rows.get(1), rows.get(2))) {
            assertTrue(row.get("values").get("scored").asLong() > 0.99 * present, row.toString());
            METRICS.forEach(m -> assertTrue(row.get("values").get(m).isDouble(), m + " finite in " + row));
            row.get("values").get("byDimension").forEach(d -> assertTrue(d.get("rmse").isDouble(), d.toString()));
        }
        assertPoissonScored(rows.get(3), test.size());
        assertTrue(output().contains("pbcseq.csv: 312 series, 1945 events") && output().contains("last-value"),
                output());
    }

    @Test
    void shouldScoreThePoissonBaselineOnCoalInBothForms(@TempDir Path dir) throws Exception {
        JsonNode csv = evaluate(dir.resolve("coal.json"), "--data", DATASETS.resolve("coal.csv").toString());
        assertEquals(1, csv.get("seriesScored").asInt());
        assertEquals(38, csv.get("testEvents").asInt(), "a fifth of 191");
        assertEquals(1, csv.get("forecasters").size(), "only the Poisson baseline for point events");
        assertPoissonScored(csv.get("forecasters").get(0), 38);
        JsonNode jsonl = evaluate(dir.resolve("coal-jsonl.json"), "--data", DATASETS.resolve("coal.jsonl")
                .toString());
        assertEquals(csv.get("forecasters"), jsonl.get("forecasters"), "the same events, the same scores");
    }

    private static void assertPoissonScored(JsonNode row, int events) {
        assertEquals("poisson-rate", row.get("name").asText());
        assertEquals(events, row.get("events").get("scored").asInt());
        assertTrue(row.get("events").get("nll").isDouble() && row.get("events").get("pitChiSquare").isDouble());
        long pit = 0;
        for (JsonNode bin : row.get("events").get("pitHistogram")) {
            pit += bin.asLong();
        }
        assertEquals(events, pit);
    }

    @Test
    void shouldRejectBadOptionsWithTheUsage(@TempDir Path dir) {
        assertEquals(2, EvaluateCommand.run(new String[] {"--format", "csv"}, out));
        assertTrue(output().contains("--data is required") && output().contains("usage: evaluate"), output());
        assertEquals(2, EvaluateCommand.run(new String[] {"--data", "x.csv", "--test-fraction", "1.5"}, out));
        assertEquals(2, EvaluateCommand.run(new String[] {"--data", "x.csv", "--bogus", "1"}, out));
        assertEquals(1, EvaluateCommand.run(new String[] {"--data", dir.resolve("missing.csv").toString()}, out));
    }

    @Test
    void shouldTakeValueColumnsAndTheSplitFromOptions(@TempDir Path dir) throws Exception {
        JsonNode board = evaluate(dir.resolve("b.json"), "--data", DATASETS.resolve("pbcseq.csv").toString(),
                "--values", "bili,albumin", "--test-fraction", "0.3", "--validation-fraction", "0",
                "--min-events", "5", "--intensity-unit", "1h");
        assertEquals(List.of("bili", "albumin"), List.of(board.get("valueNames").get(0).asText(),
                board.get("valueNames").get(1).asText()));
        assertEquals(0.3, board.get("split").get("testFraction").asDouble());
        assertEquals("PT1H", board.get("intensityUnit").asText());
    }
}
