package dev.odestream.cuda;

import dev.odestream.model.ModelConfig;
import dev.odestream.nn.DynamicsKind;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What the kernels do not implement is refused with a reason, without a device. */
class CudaRefusalTest {

    @Test
    void shouldRefuseTheBoundedDynamicsAndTheGapRuleAndTakeTheOldModels() {
        ModelConfig bounded = ModelConfig.reference();
        assertTrue(CudaBackend.unsupported(bounded).orElseThrow().contains("bounded"));
        ModelConfig old = bounded.withDynamics(DynamicsKind.MLP, ModelConfig.NO_GAP_LIMIT);
        assertEquals(java.util.Optional.empty(), CudaBackend.unsupported(old));
        assertTrue(CudaBackend.unsupported(bounded.withDynamics(DynamicsKind.MLP, 8.0)).orElseThrow()
                .contains("maxGap"));
    }
}
