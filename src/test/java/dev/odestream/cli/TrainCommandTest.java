package dev.odestream.cli;

import dev.odestream.model.ModelConfig;
import dev.odestream.model.checkpoint.Checkpoint;
import dev.odestream.model.checkpoint.CheckpointCodec;
import dev.odestream.model.checkpoint.LoadedModel;
import dev.odestream.train.experiments.Svg;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TrainCommandTest {

    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);

    private String output() {
        return bytes.toString(StandardCharsets.UTF_8);
    }

    @Test
    void shouldTrainOnSpiralsAndWriteCheckpointFigureAndTable(@TempDir Path dir) throws Exception {
        int status = TrainCommand.run(new String[] {"--experiment", "spirals", "--n", "10", "--count", "20",
            "--iterations", "6", "--evaluate-every", "3", "--baseline-iterations", "4", "--threads", "2", "--out",
            dir.toString()}, out);
        assertEquals(0, status, output());
        assertTrue(output().contains("nfe.forward/it") && output().contains("nfe.backward/it")
                && output().contains("s/it"), output());
        Checkpoint checkpoint = CheckpointCodec.decode(Files.readAllBytes(dir.resolve("latent-ode-spirals-n10.odsc")));
        assertEquals(4, LoadedModel.load(checkpoint).config().latentDim());
        Svg.parse(Files.readString(dir.resolve("spirals-n10.svg")));
        String table = Files.readString(dir.resolve("spirals-n10.md"));
        assertTrue(table.contains("| observed points |") && table.lines().anyMatch(l -> l.startsWith("| 10 |")),
                table);
    }

    @Test
    void shouldTrainThePoissonToyAndWriteItsFigure(@TempDir Path dir) throws Exception {
        int status = TrainCommand.run(new String[] {"--experiment", "poisson", "--process", "rise-decay",
            "--sequences", "20", "--iterations", "4", "--evaluate-every", "2", "--out", dir.toString()}, out);
        assertEquals(0, status, output());
        CheckpointCodec.decode(Files.readAllBytes(dir.resolve("latent-ode-poisson-rise-decay.odsc")));
        Svg.parse(Files.readString(dir.resolve("poisson-intensity.svg")));
        assertTrue(Files.readString(dir.resolve("poisson.md")).contains("| rise-decay |"));
    }

    /** Two seeds in one command: a row and a checkpoint per seed, then the summary over both. */
    @Test
    void shouldRunThePoissonSequencesOncePerSeedAndSummarise(@TempDir Path dir) throws Exception {
        int status = TrainCommand.run(new String[] {"--experiment", "poisson-sequences", "--seeds", "2-3",
            "--sequences", "8", "--iterations", "2", "--evaluate-every", "1", "--batch", "4", "--out",
            dir.toString()}, out);
        assertEquals(0, status, output());
        String table = Files.readString(dir.resolve("poisson-sequences.md"));
        assertTrue(table.lines().anyMatch(l -> l.startsWith("| 2 |")), table);
        assertTrue(table.lines().anyMatch(l -> l.startsWith("| 3 |")), table);
        assertTrue(table.contains("| mean +- std (2 seeds, "), table);
        assertTrue(table.contains("seeds [2, 3]"), table);
        for (String seed : new String[] {"2", "3"}) {
            CheckpointCodec.decode(Files.readAllBytes(dir.resolve("latent-ode-poisson-sequences-seed" + seed
                    + ".odsc")));
        }
    }

    /** The demo experiment at a tiny size: finite losses that fall, and a checkpoint the engine accepts. */
    @Test
    void shouldTrainTheDemoModelAtATinySize(@TempDir Path dir) throws Exception {
        int status = TrainCommand.run(new String[] {"--experiment", "demo", "--series", "6", "--windows", "2",
            "--context", "8", "--batch", "4", "--iterations", "30", "--evaluate-every", "10", "--threads", "2",
            "--out", dir.toString()}, out);
        assertEquals(0, status, output());
        double[] losses = output().lines().filter(l -> l.startsWith("it ")).mapToDouble(
                l -> Double.parseDouble(l.replaceAll(".*\\sloss\\s+(\\S+).*", "$1"))).toArray();
        assertEquals(3, losses.length, output());
        for (double loss : losses) {
            assertTrue(Double.isFinite(loss), output());
        }
        assertTrue(losses[2] < losses[0], output());
        byte[] checkpoint = Files.readAllBytes(dir.resolve("latent-ode-demo.odsc"));
        assertEquals(1, LoadedModel.fromCheckpoint(checkpoint, ModelConfig.reference()).version());
        assertTrue(Files.readString(dir.resolve("demo.md")).contains("test forecast RMSE"));
    }

    @Test
    void shouldRejectBadArgumentsWithTheUsage() {
        String[][] bad = {{}, {"--experiment", "mnist"}, {"--experiment", "spirals", "--n", "thirty"},
            {"--experiment", "spirals", "--colour", "red"}, {"--experiment"}, {"--experiment", "poisson",
                "--process", "square"}};
        for (String[] args : bad) {
            bytes.reset();
            assertEquals(2, TrainCommand.run(args, out), String.join(" ", args));
            assertTrue(output().contains("usage: train"), output());
        }
    }

    @Test
    void shouldPrintTheUsageOnRequest() {
        assertEquals(0, TrainCommand.run(new String[] {"--help"}, out));
        assertTrue(output().startsWith("usage: train"), output());
    }
}
