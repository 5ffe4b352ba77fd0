package dev.odestream.model.checkpoint;

import dev.odestream.nn.ParameterBlock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Random;

/** Test fixtures. */
final class Checkpoints {

    static final Map<String, String> ARCHITECTURE = Map.of("model", "latent-ode", "latentDim", "4",
            "dynamicsHidden", "20", "activation", "tanh");

    /** Values that stress a bit-exact round trip; no NaN or infinity, which a checkpoint refuses. */
    static final double[] EDGE_VALUES = {0.0, -0.0, Double.MIN_VALUE, -Double.MIN_VALUE, Double.MIN_NORMAL,
        Double.MIN_NORMAL / 3, -Double.MIN_NORMAL * 0.999, Double.MAX_VALUE, -Double.MAX_VALUE, 1.0 / 3,
        Math.nextUp(1.0), 0.123456789, -2.5e-300};

    private Checkpoints() {
    }

    /** A checkpoint with blocks {@code a [3, 2]}, {@code enc.a [5]}, {@code enc.b [5]} and a one-element block. */
    static Checkpoint sample(long version, OptionalLong parent) {
        double[] values = new double[6 + 5 + 5 + 1];
        Random rng = new Random(version);
        for (int i = 0; i < values.length; i++) {
            values[i] = i < EDGE_VALUES.length ? EDGE_VALUES[i] : rng.nextGaussian();
        }
        List<ParameterBlock> layout = List.of(new ParameterBlock("a", 0, new int[] {3, 2}),
                new ParameterBlock("enc.a", 6, new int[] {5}), new ParameterBlock("enc.b", 11, new int[] {5}),
                new ParameterBlock("scale", 16, new int[] {1}));
        TrainingMetadata training = new TrainingMetadata(Instant.parse("2025-11-23T12:34:56.789012345Z"), parent,
                new DataRange(Instant.parse("2025-11-01T00:00:00Z"), Instant.parse("2025-11-22T23:59:59Z"), 98765),
                Map.of("validation.rmse", 0.1346, "train.loss", -3.25e-7),
                "fit on spirals, n = 30 \"quoted\"\n\u00e9\u4e2d\ud83d\ude80 \\ tab\tend");
        return new Checkpoint(version, ARCHITECTURE, layout, values, training);
    }

    static Checkpoint sample() {
        return sample(7, OptionalLong.of(6));
    }
}
