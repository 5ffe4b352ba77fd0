package dev.odestream.cli;

import dev.odestream.model.LatentOdeModel;
import dev.odestream.model.ModelConfig;
import dev.odestream.model.Window;
import dev.odestream.model.checkpoint.CheckpointCodec;
import dev.odestream.model.checkpoint.LoadedModel;
import dev.odestream.train.experiments.DemoExperiment;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DefaultModelTest {

    @Test
    void shouldDecodeAsVersionOneOfTheEngineArchitecture() throws Exception {
        byte[] bytes = DefaultModel.bytes();
        assertTrue(bytes.length < 256 * 1024, "the bundled checkpoint must stay small: " + bytes.length + " bytes");
        assertEquals(1, CheckpointCodec.decode(bytes).modelVersion());
        LoadedModel model = DefaultModel.load();
        assertEquals(1, model.version());
        assertEquals(ModelConfig.reference(), model.config());
        Map<String, String> written = new TreeMap<>(CheckpointCodec.decode(bytes).hyperparameters());
        assertEquals("1.0", written.remove(LoadedModel.VALUE_SCALE), "trained on unscaled values");
        assertEquals(LoadedModel.hyperparameters(ModelConfig.reference(), model.seed()), written);
    }

    /**
     * Series the model never saw (another seed of the same workload), scored by the engine's path: the trained model
     * must forecast them better than the untrained model of the same seed, clearly better than repeating the last
     * value, and no worse than the model bundled before the bounded dynamics (RMSE 0.6438 on these windows). The
     * untrained model with bounded dynamics relaxes towards zero, itself a fair forecast of these mean-reverting
     * series (0.670 against the old dynamics' 0.875), so the margin over it is smaller than it was.
     */
    @Test
    void shouldForecastHeldOutDemoSeriesBetterThanTheUntrainedModel() throws Exception {
        LoadedModel bundled = DefaultModel.load();
        DemoExperiment.Settings heldOut = DemoExperiment.Settings.defaults(1, 20_261_123L, 1).withData(1, 1, 1, 2, 24);
        List<Window> windows = DemoExperiment.windows(heldOut, 0, 30);
        double trained = DemoExperiment.forecastRmse(bundled.instantiate(), windows);
        double untrained = DemoExperiment.forecastRmse(new LatentOdeModel(ModelConfig.reference(), bundled.seed()),
                windows);
        assertTrue(trained < 0.97 * untrained, "trained " + trained + " vs untrained " + untrained);
        assertTrue(trained <= 0.6438, "trained " + trained + " vs the previous bundled model's 0.6438");
        double lastValue = DemoExperiment.persistenceRmse(windows);
        assertTrue(trained < 0.9 * lastValue, "trained " + trained + " vs last value " + lastValue);
    }
}
