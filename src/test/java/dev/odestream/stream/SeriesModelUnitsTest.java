package dev.odestream.stream;

import dev.odestream.model.DataSpec;
import dev.odestream.model.ForecastPoint;
import dev.odestream.model.ValueTransform;
import dev.odestream.model.checkpoint.LoadedModel;
import org.junit.jupiter.api.Test;

import java.util.List;

import static dev.odestream.stream.EngineFixture.T0;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A model with a data spec must answer exactly what the same parameters answer when fed values already on the
 * model's scale and times already in model units: the spec changes units, never the model.
 */
class SeriesModelUnitsTest {

    private static final long MINUTE = 60_000;
    private static final DataSpec SPEC = new DataSpec(List.of("delay", "depth"), List.of("arrival", "departure"),
            MINUTE, List.of(new ValueTransform(10.0, 2.0, false), new ValueTransform(0.5, 0.25, true)));

    @Test
    void shouldAnswerInTheUsersUnits() {
        LoadedModel plain = LoadedModel.initial(EngineFixture.smallModel(), 11L);
        SeriesModel user = new SeriesModel(plain.withSpec(SPEC), TimeScale.seconds(), 8, 0, 8);
        SeriesModel model = new SeriesModel(plain, TimeScale.seconds(), 8, 0, 8);
        double[][] values = {{12.0, 2.0}, {9.0, 1.5}, {14.0, 3.0}};
        long[] minutes = {0, 3, 4};
        SeriesSnapshot a = null;
        SeriesSnapshot b = null;
        for (int i = 0; i < values.length; i++) {
            double[] scaled = {(values[i][0] - 10.0) / 2.0, (Math.log(values[i][1]) - 0.5) / 0.25};
            a = updated(user.update(a, Event.of(minutes[i] * MINUTE, values[i])));
            b = updated(model.update(b, Event.of(minutes[i] * 1000, scaled)));
        }
        ForecastPoint inUnits = user.points(a, new long[] {7 * MINUTE}).getFirst();
        ForecastPoint onModelScale = model.points(b, new long[] {7 * 1000}).getFirst();

        double m0 = onModelScale.mean()[0];
        double s0 = onModelScale.std()[0];
        assertEquals(10.0 + 2.0 * m0, inUnits.mean()[0], 1e-9);
        assertEquals(2.0 * s0, inUnits.std()[0], 1e-9);
        double mu = 0.5 + 0.25 * onModelScale.mean()[1];
        double sigma = 0.25 * onModelScale.std()[1];
        assertEquals(Math.exp(mu + sigma * sigma / 2), inUnits.mean()[1], 1e-9, "log-normal mean");
        for (int k = 0; k < 2; k++) {
            assertEquals(onModelScale.intensity()[k] / 60.0, inUnits.intensity()[k], 1e-12, "per second, not per minute");
            assertEquals(onModelScale.expectedCount()[k], inUnits.expectedCount()[k], 1e-12);
        }
        assertEquals(onModelScale.probabilityNoEvent(), inUnits.probabilityNoEvent(), 1e-12);
    }

    @Test
    void shouldRejectANonPositiveValueWhereTheModelTakesTheLog() throws Exception {
        EngineConfig config = EngineConfig.defaults(LoadedModel.initial(EngineFixture.smallModel(), 11L)
                .withSpec(SPEC));
        EventValidation validation = EventValidation.of(config);
        byte[] bad = ("{\"time\": " + T0 + ", \"values\": [3.0, 0.0]}").getBytes();
        InvalidEventException e = assertThrows(InvalidEventException.class, () -> validation.event(bad, 0, T0));
        assertEquals(RejectReason.OUT_OF_DOMAIN, e.reason());
        assertTrue(e.getMessage().contains("'depth'"), e.getMessage());
        byte[] missing = ("{\"time\": " + T0 + ", \"values\": [3.0, 0.0], \"mask\": [true, false]}").getBytes();
        assertEquals(T0, assertInstanceOf(Event.class, validation.event(missing, 0, T0)).timeMs(),
                "a missing value is not checked");
    }

    private static SeriesSnapshot updated(SeriesModel.Outcome outcome) {
        return assertInstanceOf(SeriesModel.Updated.class, outcome).snapshot();
    }
}
