package dev.odestream.cuda;

import dev.odestream.model.ModelConfig;
import dev.odestream.model.Window;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/** Random windows with what the batched path must handle: shared and repeated times, masks, events of every type. */
final class TestWindows {

    private TestWindows() {
    }

    /**
     * @param count windows
     * @param seed the draw
     */
    static List<Window> random(ModelConfig config, int count, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        List<Window> out = new ArrayList<>(count);
        for (int k = 0; k < count; k++) {
            out.add(window(config, rng));
        }
        return out;
    }

    private static Window window(ModelConfig config, SplittableRandom rng) {
        Window.Builder b = Window.builder();
        double t = grid(rng, 0.0);
        int contexts = 1 + rng.nextInt(5);
        for (int i = 0; i < contexts; i++) {
            boolean pureEvent = rng.nextInt(4) == 0;
            b.context(t, pureEvent ? null : values(config, rng), pureEvent ? null : mask(config, rng),
                    rng.nextInt(config.eventTypes()));
            t = rng.nextInt(4) == 0 ? t : grid(rng, t);
        }
        double tau = t;
        double end = tau + 0.5 + grid(rng, 0.0);
        double s = tau;
        for (int j = 0; j < 1 + rng.nextInt(4); j++) {
            s = grid(rng, s);
            if (s <= end) {
                b.target(s, values(config, rng), mask(config, rng));
            }
        }
        double e = tau;
        for (int j = 0; j < rng.nextInt(4); j++) {
            e = rng.nextInt(3) == 0 ? Math.max(e, Math.nextUp(tau)) : grid(rng, e);
            if (e > tau && e <= end) {
                b.event(e, rng.nextInt(config.eventTypes()));
            }
        }
        return b.end(end).build();
    }

    /** Times on a grid of 0.1, so that windows share some of their times. */
    private static double grid(SplittableRandom rng, double after) {
        return Math.round(after * 10 + 1 + rng.nextInt(3)) / 10.0;
    }

    private static double[] values(ModelConfig config, SplittableRandom rng) {
        double[] v = new double[config.observationDim()];
        for (int d = 0; d < v.length; d++) {
            v[d] = rng.nextDouble(-1, 1);
        }
        return v;
    }

    private static boolean[] mask(ModelConfig config, SplittableRandom rng) {
        if (rng.nextBoolean()) {
            return null;
        }
        boolean[] m = new boolean[config.observationDim()];
        m[rng.nextInt(m.length)] = true;
        for (int d = 0; d < m.length; d++) {
            m[d] |= rng.nextBoolean();
        }
        return m;
    }
}
