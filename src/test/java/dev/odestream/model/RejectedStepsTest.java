package dev.odestream.model;

import dev.odestream.nn.BoundedDynamics;
import dev.odestream.nn.ParameterBlock;
import dev.odestream.nn.ParameterRange;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The rejected-step count the engine exports ({@code odestream.solver.rejected.steps}) comes from the last solve. */
class RejectedStepsTest {

    @Test
    void shouldReportTheStepsTheForecastSolveRejectedAndNoneForTheNextQuietObserve() {
        LatentOdeModel model = new LatentOdeModel(ModelConfig.reference(), 7L);
        ParameterRange dynamics = model.latentSystem().parameterRange();
        double[] values = model.parameters().values();
        for (int i = dynamics.offset(); i < dynamics.offset() + dynamics.count(); i++) {
            values[i] *= 6.0;
        }
        // Fast rates as well: the bounded dynamics' slow starting rates would damp the strong MLP.
        ParameterBlock rates = model.parameters().block("dynamics" + BoundedDynamics.RATE);
        java.util.Arrays.fill(values, rates.offset(), rates.end(), 3.0);
        SeriesState state = model.newState();
        double[] x = {0.5, -0.5, 0.25, 1.0};
        model.observe(state, 0.0, x, null, 0);
        assertEquals(0, model.lastRejectedSteps(), "a first event integrates nothing");
        Forecast out = model.newForecast(1);
        model.forecast(state, new double[] {ModelConfig.reference().maxGap()}, out);
        assertTrue(model.lastRejectedSteps() > 0, "strong dynamics over a long horizon reject some steps: "
                + model.lastRejectedSteps() + " of " + model.lastNfe() + " evaluations");
        assertTrue(model.lastRejectedSteps() * 6 < model.lastNfe(), "each rejected step costs evaluations");
        model.observe(state, 1e-6, x, null, 0);
        assertEquals(0, model.lastRejectedSteps(), "a tiny gap takes one accepted step");
    }
}
