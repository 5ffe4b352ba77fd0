package dev.odestream.train;

import dev.odestream.model.ModelConfig;
import dev.odestream.model.Window;
import dev.odestream.model.checkpoint.LoadedModel;
import dev.odestream.nn.Activation;
import dev.odestream.nn.DynamicsKind;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FallbackBackendTest {

    private static final ModelConfig BOUNDED = new ModelConfig(1, 1, 2, 4, 4, 4, 4, Activation.TANH, 0.3, 2, 1e-5,
            1e-7);
    private static final ModelConfig MLP = BOUNDED.withDynamics(DynamicsKind.MLP, ModelConfig.NO_GAP_LIMIT);

    /** A CPU backend that, like the GPU one, refuses every dynamics but the old MLP, and counts what it takes. */
    private static final class MlpOnly implements TrainingBackend {
        private final CpuBackend cpu = new CpuBackend(1);
        int calls;

        @Override
        public String name() {
            return "mlp-only";
        }

        @Override
        public Optional<String> refusal(ModelConfig config) {
            return config.dynamics() == DynamicsKind.MLP ? Optional.empty()
                    : Optional.of("implements the mlp dynamics only");
        }

        @Override
        public Session open(LoadedModel start, TrainingSettings settings) {
            calls++;
            return cpu.open(start, settings);
        }

        @Override
        public HeldOutScore score(LoadedModel model, List<Window> windows) {
            calls++;
            return cpu.score(model, windows);
        }

        @Override
        public void close() {
            cpu.close();
        }
    }

    @Test
    void shouldTrainWhatThePreferredBackendRefusesOnTheFallbackAndSayWhyOnce() {
        MlpOnly preferred = new MlpOnly();
        List<String> log = new ArrayList<>();
        try (FallbackBackend backend = new FallbackBackend(preferred, new CpuBackend(1), log::add)) {
            assertEquals("mlp-only", backend.name());
            LoadedModel bounded = LoadedModel.initial(BOUNDED, 3L);
            TrainingSettings settings = new TrainingSettings(2, 2, 0.01, 10.0, 1, 2, 5L);
            try (TrainingBackend.Session session = backend.open(bounded, settings)) {
                TrainingBackend.RoundStats stats = session.train(windows());
                assertEquals(2, stats.steps());
                assertTrue(Double.isFinite(stats.loss()));
            }
            assertTrue(Double.isFinite(backend.score(bounded, windows()).nll()));
            assertEquals(0, preferred.calls, "the refusing backend saw nothing");
            assertEquals("cpu", backend.name());
            assertEquals(1, log.size(), "one line per reason: " + log);
            assertTrue(log.get(0).contains("mlp-only") && log.get(0).contains("implements the mlp dynamics only")
                    && log.get(0).contains("cpu"), log.get(0));
            assertTrue(backend.refusal(BOUNDED).isEmpty(), "the pair trains it");

            backend.score(LoadedModel.initial(MLP, 3L), windows());
            assertEquals(1, preferred.calls, "what it takes goes to the preferred backend");
            assertEquals("mlp-only", backend.name());
        }
    }

    private static List<Window> windows() {
        List<Window> windows = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            windows.add(Window.builder()
                    .context(0.0, new double[] {0.1 * i}, null, 0)
                    .context(0.7, new double[] {0.2}, null, 0)
                    .target(1.5, new double[] {-0.1 * i}, null)
                    .event(1.2, 0)
                    .end(2.0).build());
        }
        return windows;
    }
}
