package dev.odestream.model.checkpoint;

import dev.odestream.model.ModelConfig;
import dev.odestream.nn.Activation;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

/** One thread's served version follows the stored record, and the initial version when there is none. */
class ModelSlotTest {

    private static final ModelConfig CONFIG = new ModelConfig(2, 1, 3, 6, 8, 8, 8, Activation.TANH, 0.1, 4, 1e-6,
            1e-8);
    private static final TrainingMetadata TRAINING = new TrainingMetadata(Instant.parse("2025-11-20T00:00:00Z"),
            OptionalLong.empty(), new DataRange(Instant.EPOCH, Instant.EPOCH, 0), Map.of(), "slot");

    private static LoadedModel version(long version, long seed) {
        LoadedModel initial = LoadedModel.initial(CONFIG, seed);
        return new LoadedModel(version, seed, CONFIG, initial.parameters());
    }

    private static byte[] record(LoadedModel model) {
        return CheckpointCodec.encode(model.toCheckpoint(TRAINING));
    }

    @Test
    void shouldServeTheRecordItIsGivenAndTheInitialVersionWhenTheRecordIsWithdrawn() {
        LoadedModel initial = version(1, 5);
        List<String> heard = new ArrayList<>();
        ModelSlot<LoadedModel> slot = new ModelSlot<>("m", initial, m -> m, new ModelSlot.Listener() {
            @Override
            public void inUse(LoadedModel model, boolean swap) {
                heard.add("v" + model.version() + (swap ? " swap" : ""));
            }

            @Override
            public void refused(String reason) {
                heard.add("refused");
            }
        });
        assertSame(initial, slot.current(null));
        assertEquals(version(2, 7), slot.current(record(version(2, 7))));
        assertEquals(version(2, 7), slot.current(record(version(2, 7))), "the same bytes again: nothing to do");
        assertEquals(version(1, 9), slot.current(record(version(1, 9))),
                "the slot does not judge version numbers: the store it follows holds only accepted records");
        assertSame(initial, slot.current(null), "withdrawn: the initial version serves again");
        assertSame(initial, slot.current(null));
        assertSame(initial, slot.current(new byte[] {1, 2, 3}), "a record that does not decode is refused");
        assertEquals(List.of("v1", "v2 swap", "v1 swap", "v1 swap", "refused"), heard);
    }
}
