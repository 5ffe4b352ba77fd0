package dev.odestream.stream;

import dev.odestream.model.ForecastPoint;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RecordJsonTest {

    @Test
    void shouldRoundTripForecastsAndIntensitiesExactly() {
        ForecastPoint a = new ForecastPoint(2000, new double[] {1.0 / 3, -4e-310}, new double[] {0.1, 7e22},
                new double[] {0.25, 1e-9}, new double[] {0.0, 3.5}, Math.exp(-3.5));
        ForecastPoint b = new ForecastPoint(9000, new double[] {2, 3}, new double[] {0.2, 0.3},
                new double[] {0.5, 0.1}, new double[] {1, 9.75}, 1e-300);
        ForecastRecord forecast = new ForecastRecord("s\u00e9rie \"1\"", 12, 1000, 1003, 44, List.of(a, b));
        assertEquals(forecast, RecordJson.readForecast(RecordJson.write(forecast)));
        IntensityRecord intensity = new IntensityRecord("k", 0, 1000, 1500, 2, new double[] {Math.PI},
                new double[] {Math.E}, 0.125);
        assertEquals(intensity, RecordJson.readIntensity(RecordJson.write(intensity)));
    }

    @Test
    void shouldNameThePathOfAFieldThatDoesNotFit() {
        String json = "{\"series\": \"s\", \"modelVersion\": 1, \"tau\": 1, \"issuedAt\": 1, \"eventCount\": 1,"
                + " \"horizons\": [{\"time\": 2, \"mean\": [1], \"std\": [\"x\"], \"lambda\": [1],"
                + " \"expectedCount\": [1], \"pNoEvent\": 0.5}]}";
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> RecordJson.readForecast(json.getBytes(StandardCharsets.UTF_8)));
        assertTrue(e.getMessage().contains("$.horizons[0].std[0]"), e.getMessage());
    }

    @Test
    void shouldRefuseToWriteNonFiniteNumbers() {
        IntensityRecord nan = new IntensityRecord("k", 0, 1, 1, 1, new double[] {Double.NaN}, new double[] {0}, 1);
        assertThrows(IllegalArgumentException.class, () -> RecordJson.write(nan));
    }
}
