package dev.odestream.model.checkpoint;

import dev.odestream.nn.ParameterBlock;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class CheckpointMetadataJsonTest {

    private static final Path SCHEMA = Path.of("schemas/checkpoint-metadata.schema.json");
    private static final Path EXAMPLE = Path.of("schemas/examples/checkpoint-metadata.json");

    @Test
    void shouldRenderTheDocumentedExample() throws IOException {
        Object rendered = MiniJson.parse(exampleCheckpoint().metadataJson());
        Object example = MiniJson.parse(Files.readString(EXAMPLE));
        assertEquals(example, rendered);
    }

    @Test
    void shouldProduceMetadataThatTheSchemaAccepts() throws IOException {
        Map<String, Object> schema = schema();
        assertEquals("https://json-schema.org/draft/2020-12/schema", schema.get("$schema"));
        for (Checkpoint c : List.of(exampleCheckpoint(), Checkpoints.sample(),
                Checkpoints.sample(2, OptionalLong.empty()))) {
            assertEquals(List.of(), MiniSchemaValidator.validate(MiniJson.parse(c.metadataJson()), schema));
        }
        assertEquals(List.of(), MiniSchemaValidator.validate(MiniJson.parse(Files.readString(EXAMPLE)), schema));
    }

    @SuppressWarnings("unchecked")
    @Test
    void shouldRejectMetadataThatBreaksTheSchema() throws IOException {
        Map<String, Object> schema = schema();
        Map<String, Object> missing = (Map<String, Object>) MiniJson.parse(Checkpoints.sample().metadataJson());
        missing.remove("layout");
        Map<String, Object> extra = (Map<String, Object>) MiniJson.parse(Checkpoints.sample().metadataJson());
        ((Map<String, Object>) extra.get("training")).put("owner", "me");
        Map<String, Object> wrongType = (Map<String, Object>) MiniJson.parse(Checkpoints.sample().metadataJson());
        ((Map<String, Object>) wrongType.get("hyperparameters")).put("latentDim", 4.0);
        assertEquals(1, MiniSchemaValidator.validate(missing, schema).size());
        assertEquals(1, MiniSchemaValidator.validate(extra, schema).size());
        assertEquals(1, MiniSchemaValidator.validate(wrongType, schema).size());
    }

    @SuppressWarnings("unchecked")
    @Test
    void shouldEscapeStringsSoThatTheyParseBackUnchanged() {
        Checkpoint c = Checkpoints.sample();
        Map<String, Object> json = (Map<String, Object>) MiniJson.parse(c.metadataJson());
        assertEquals(c.training().notes(), ((Map<String, Object>) json.get("training")).get("notes"));
        assertEquals(0.1346, ((Map<String, Object>) ((Map<String, Object>) json.get("training")).get("metrics"))
                .get("validation.rmse"));
        assertEquals("2025-11-23T12:34:56.789012345Z", ((Map<String, Object>) json.get("training")).get("createdAt"));
        assertTrue(c.metadataJson().contains("\\u0009") || c.metadataJson().contains("\\t"));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> schema() throws IOException {
        return (Map<String, Object>) MiniJson.parse(Files.readString(SCHEMA));
    }

    /** The checkpoint that {@code schemas/examples/checkpoint-metadata.json} describes. */
    private static Checkpoint exampleCheckpoint() {
        Map<String, String> hyperparameters = new LinkedHashMap<>();
        hyperparameters.put("model", "latent-ode");
        hyperparameters.put("encoder", "ode-rnn");
        hyperparameters.put("observationDim", "2");
        hyperparameters.put("latentDim", "4");
        hyperparameters.put("encoderHidden", "25");
        hyperparameters.put("dynamicsHidden", "20");
        hyperparameters.put("decoderHidden", "20");
        hyperparameters.put("activation", "tanh");
        List<ParameterBlock> layout = new ArrayList<>();
        int offset = 0;
        Object[][] blocks = {
            {"encoder.gru.weight", new int[] {75, 29}}, {"encoder.gru.bias", new int[] {75}},
            {"posterior.weight", new int[] {8, 25}}, {"posterior.bias", new int[] {8}},
            {"dynamics.layer0.weight", new int[] {20, 4}}, {"dynamics.layer0.bias", new int[] {20}},
            {"dynamics.layer1.weight", new int[] {4, 20}}, {"dynamics.layer1.bias", new int[] {4}},
            {"decoder.layer0.weight", new int[] {20, 4}}, {"decoder.layer0.bias", new int[] {20}},
            {"decoder.layer1.weight", new int[] {2, 20}}, {"decoder.layer1.bias", new int[] {2}},
        };
        for (Object[] b : blocks) {
            ParameterBlock block = new ParameterBlock((String) b[0], offset, (int[]) b[1]);
            layout.add(block);
            offset = block.end();
        }
        TrainingMetadata training = new TrainingMetadata(Instant.parse("2025-11-23T12:00:00Z"), OptionalLong.of(6),
                new DataRange(Instant.parse("2025-11-22T00:00:00Z"), Instant.parse("2025-11-23T00:00:00Z"),
                        1_250_000),
                Map.of("train.negativeElbo", 1.284, "validation.rmse", 0.1502),
                "Fine-tuned from version 6 on one day of events; passed the validation gate.");
        return new Checkpoint(7, hyperparameters, layout, new double[offset], training);
    }
}
