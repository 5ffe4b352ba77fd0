package dev.odestream.model;

import java.util.Arrays;
import java.util.Map;

/**
 * The per-series level a model's value forecast is a residual on. A model with a level rule learns, and forecasts,
 * the departure of a series' next values from that series' own level: its decoder's output plus the level at the
 * forecast's origin is the forecast mean (on the model's scale). Its encoder still reads the values as they are, so
 * only the output side changes, and the series state the engine stores needs nothing new: the level is a function of
 * the series' last {@link #window} events, which the engine's ring holds.
 *
 * <p>The level of one dimension is an exponentially weighted mean of its present values among the series' last
 * {@code window} events, oldest first, on the model's scale, with weight {@code max(alpha, 1/n)} on the {@code n}-th
 * value: the plain mean while {@code 1/n > alpha}, an EWMA after. So {@code alpha = 1} is the last value and
 * {@code alpha = 0} the mean of the window. A dimension with no present value in the window has level 0 (the
 * transform's location: the training data's median).
 *
 * @param alpha the EWMA weight, in [0, 1]
 * @param window how many of the series' most recent events the level reads, 0 for no level, at most
 *     {@value #MAX_WINDOW}
 */
public record LevelRule(double alpha, int window) {

    /** No level: the decoder's output is the forecast, as before level rules existed. */
    public static final LevelRule NONE = new LevelRule(0.0, 0);
    /** The largest window: the engine's ring must hold at least this many events to serve the level exactly. */
    public static final int MAX_WINDOW = 32;

    private static final String ALPHA = DataSpec.PREFIX + "level.alpha";
    private static final String WINDOW = DataSpec.PREFIX + "level.window";

    /** Checks the ranges. */
    public LevelRule {
        if (!(alpha >= 0 && alpha <= 1) || window < 0 || window > MAX_WINDOW) {
            throw new IllegalArgumentException("a level rule needs alpha in [0, 1] and a window of 0 to " + MAX_WINDOW
                    + " events, got " + alpha + " and " + window);
        }
    }

    /**
     * Reads a rule by name: {@code none}, {@code last} (the last value), {@code mean} (the mean of the last 16
     * events), {@code ewma} (alpha 0.3 over the last 16), or {@code ewma:ALPHA:WINDOW}.
     */
    public static LevelRule parse(String name) {
        return switch (name) {
            case "none" -> NONE;
            case "last" -> new LevelRule(1.0, 1);
            case "mean" -> new LevelRule(0.0, 16);
            case "ewma" -> new LevelRule(0.3, 16);
            default -> {
                String[] parts = name.split(":");
                if (parts.length != 3 || !parts[0].equals("ewma")) {
                    throw new IllegalArgumentException("unknown level rule '" + name + "': use none, last, mean, ewma"
                            + " or ewma:ALPHA:WINDOW");
                }
                yield new LevelRule(Double.parseDouble(parts[1]), Integer.parseInt(parts[2]));
            }
        };
    }

    /** @return whether there is no level */
    public boolean none() {
        return window == 0;
    }

    /** @return the rule in words, for summaries */
    public String describe() {
        if (none()) {
            return "none";
        }
        return window == 1 ? "last value" : alpha == 0 ? "mean of the last " + window + " events"
                : "EWMA alpha " + alpha + " over the last " + window + " events";
    }

    /** Adds this rule's {@code data.level.*} hyperparameters to {@code h} (nothing for {@link #NONE}). */
    void put(Map<String, String> h) {
        if (!none()) {
            h.put(ALPHA, Double.toString(alpha));
            h.put(WINDOW, Integer.toString(window));
        }
    }

    /** @return the rule a checkpoint's hyperparameters carry; {@link #NONE} when they carry none */
    static LevelRule from(Map<String, String> h) {
        if (!h.containsKey(WINDOW)) {
            return NONE;
        }
        return new LevelRule(Double.parseDouble(h.get(ALPHA)), Integer.parseInt(h.get(WINDOW)));
    }

    /**
     * A workspace that folds one series' events into the level, oldest first. Allocation-free after construction.
     */
    public static final class Level {

        private final LevelRule rule;
        private final double[] level;
        private final int[] count;

        /**
         * @param rule the rule
         * @param dim values per event
         */
        public Level(LevelRule rule, int dim) {
            this.rule = rule;
            this.level = new double[dim];
            this.count = new int[dim];
        }

        /** Forgets every value. */
        public void reset() {
            Arrays.fill(level, 0.0);
            Arrays.fill(count, 0);
        }

        /**
         * Folds in one event's values.
         *
         * @param values on the model's scale, or {@code null} for a point event. Not modified.
         * @param mask which are present, or {@code null} for all. Not modified.
         */
        public void add(double[] values, boolean[] mask) {
            for (int d = 0; values != null && d < level.length; d++) {
                if (mask == null || mask[d]) {
                    count[d]++;
                    level[d] += Math.max(rule.alpha, 1.0 / count[d]) * (values[d] - level[d]);
                }
            }
        }

        /** @return the level of dimension {@code d}; 0 when it has no value yet */
        public double get(int d) {
            return level[d];
        }

        /** Copies the level into {@code out} (length {@code dim}). Modified. */
        public void copyTo(double[] out) {
            System.arraycopy(level, 0, out, 0, level.length);
        }
    }
}
