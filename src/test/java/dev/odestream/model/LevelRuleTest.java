package dev.odestream.model;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LevelRuleTest {

    private static double[] fold(LevelRule rule, double[][] values, boolean[][] masks) {
        LevelRule.Level level = new LevelRule.Level(rule, values[0].length);
        for (int i = 0; i < values.length; i++) {
            level.add(values[i], masks == null ? null : masks[i]);
        }
        double[] out = new double[values[0].length];
        level.copyTo(out);
        return out;
    }

    @Test
    void shouldBeTheMeanAtAlphaZeroTheLastValueAtOneAndAnEwmaBetween() {
        double[][] x = {{1}, {5}, {3}, {7}};
        assertEquals(4.0, fold(new LevelRule(0.0, 16), x, null)[0], 1e-15);
        assertEquals(7.0, fold(new LevelRule(1.0, 1), x, null)[0], 1e-15);
        // weights max(0.3, 1/n): 1, then 1/2, then 1/3 (> 0.3), then 0.3.
        double l = 1;
        l += 0.5 * (5 - l);
        l += (3 - l) / 3;
        l += 0.3 * (7 - l);
        assertEquals(l, fold(new LevelRule(0.3, 16), x, null)[0], 1e-15);
    }

    @Test
    void shouldFoldOnlyPresentValuesAndLeaveAnUnseenDimensionAtZero() {
        double[][] x = {{1, 100}, {3, 200}, {5, 300}};
        boolean[][] m = {{true, false}, {true, false}, {false, false}};
        assertArrayEquals(new double[] {2, 0}, fold(new LevelRule(0.0, 16), x, m), 1e-15);
        LevelRule.Level level = new LevelRule.Level(new LevelRule(0.0, 4), 1);
        level.add(null, null);
        assertEquals(0.0, level.get(0), "a point event carries no value");
    }

    @Test
    void shouldParseItsNamesAndRefuseOthers() {
        assertEquals(LevelRule.NONE, LevelRule.parse("none"));
        assertEquals(new LevelRule(1.0, 1), LevelRule.parse("last"));
        assertEquals(new LevelRule(0.0, 16), LevelRule.parse("mean"));
        assertEquals(new LevelRule(0.3, 16), LevelRule.parse("ewma"));
        assertEquals(new LevelRule(0.5, 8), LevelRule.parse("ewma:0.5:8"));
        assertThrows(IllegalArgumentException.class, () -> LevelRule.parse("median"));
        assertThrows(IllegalArgumentException.class, () -> LevelRule.parse("ewma:2:8"));
        assertThrows(IllegalArgumentException.class, () -> LevelRule.parse("ewma:0.5:33"));
    }

    @Test
    void shouldTravelInTheSpecsHyperparametersWithTheCalibration() {
        DataSpec plain = new DataSpec(List.of("bili", "albumin"), List.of("visit"), 86_400_000.0,
                List.of(new ValueTransform(0.2, 1.0, true), new ValueTransform(3.5, 0.4, false)));
        DataSpec spec = plain.withLevel(new LevelRule(0.3, 16)).withCalibration(new Calibration(new double[] {1.5,
            0.8}, 0.9));
        Map<String, String> h = spec.toHyperparameters();
        assertEquals("16", h.get("data.level.window"));
        assertEquals("0.9", h.get("data.calibration.intensity"));
        assertEquals(spec, DataSpec.fromHyperparameters(h, 2, 1));
        DataSpec old = DataSpec.fromHyperparameters(plain.toHyperparameters(), 2, 1);
        assertEquals(LevelRule.NONE, old.level(), "a spec written before level rules has none");
        assertTrue(old.calibration().isIdentity());
        assertTrue(plain.toHyperparameters().keySet().stream().noneMatch(k -> k.contains("level")
                || k.contains("calibration")), "no keys for no level and no calibration: old readers see nothing new");
    }
}
