package dev.odestream.model;

import dev.odestream.nn.Activation;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ModelConfigTest {

    private static void rejects(String fragment, Executable build) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, build);
        assertTrue(e.getMessage().contains(fragment), e.getMessage());
    }

    @Test
    void shouldDescribeTheStreamingReferenceSize() {
        ModelConfig c = ModelConfig.reference();
        assertEquals(4, c.observationDim());
        assertEquals(1, c.eventTypes());
        assertEquals(8, c.latentDim());
        assertEquals(32, c.encoderHidden());
        assertEquals(64, c.dynamicsHidden());
        assertEquals(16, c.forecastSamples());
        assertEquals(9, c.encoderInputSize());
        assertEquals(9, c.latentStateSize());
    }

    @Test
    void shouldRejectInconsistentValuesNamingTheField() {
        ModelConfig c = ModelConfig.reference();
        rejects("observationDim", () -> new ModelConfig(0, 1, 8, 32, 32, 64, 32, Activation.TANH, 0.1, 16, 1e-5,
                1e-7));
        rejects("eventTypes", () -> new ModelConfig(4, 0, 8, 32, 32, 64, 32, Activation.TANH, 0.1, 16, 1e-5, 1e-7));
        rejects("activation must be TANH or SOFTPLUS", () -> new ModelConfig(4, 1, 8, 32, 32, 64, 32,
                Activation.RELU, 0.1, 16, 1e-5, 1e-7));
        rejects("observationStd", () -> new ModelConfig(4, 1, 8, 32, 32, 64, 32, Activation.TANH, 0.0, 16, 1e-5,
                1e-7));
        rejects("observationStd", () -> new ModelConfig(4, 1, 8, 32, 32, 64, 32, Activation.TANH, Double.NaN, 16,
                1e-5, 1e-7));
        rejects("forecastSamples", () -> c.withForecastSamples(0));
        rejects("rtol", () -> c.withTolerances(0.0, 1e-7));
        rejects("atol", () -> c.withTolerances(1e-5, -1));
    }

    @Test
    void shouldLayOutEveryModuleInOneFlatVector() {
        ModelConfig c = Fixtures.small();
        LatentOdeModel m = new LatentOdeModel(c, 1L);
        var layout = m.parameters().layout();
        int l = c.latentDim();
        assertEquals(c.encoderInputSize(), layout.block("encoder.gru.input.weight").dimension(0));
        assertEquals(2 * l, layout.block("posterior.weight").dimension(1));
        assertEquals(c.eventTypes(), layout.block("intensity.weight").dimension(1));
        assertEquals(c.observationDim(), layout.block("decoder.layer1.weight").dimension(1));
        assertEquals(m.parameters().size(), layout.size());
        assertEquals(0, layout.block("encoder.ode.layer0.weight").offset());
    }
}
