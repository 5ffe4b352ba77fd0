package dev.odestream.model.checkpoint;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import dev.odestream.json.JsonShape;
import dev.odestream.model.checkpoint.Checkpoint;
import dev.odestream.model.checkpoint.CheckpointCodec;
import dev.odestream.model.checkpoint.CheckpointFormatException;
import dev.odestream.model.checkpoint.DataRange;
import dev.odestream.model.checkpoint.TrainingMetadata;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.time.DateTimeException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeMap;

/**
 * A model checkpoint as published on the {@code models} topic: a JSON envelope that names the model and its lineage
 * and carries the binary ODSC checkpoint in base64 ({@code schemas/model-checkpoint.schema.json}). Consumers can
 * read the model name, version and lineage without decoding the checkpoint; the engine checks that every envelope
 * field agrees with the checkpoint's own metadata before it uses the model.
 *
 * <p>The {@code models} topic also accepts a raw ODSC checkpoint, the format before this envelope; {@link #open}
 * tells the two apart by the first byte ({@code {} or white space for JSON, {@code O} for ODSC).
 *
 * <p>The lineage's metrics are the checkpoint's metrics split in two by name: those starting with {@code heldout.}
 * or {@code validation.} are held-out scores, the rest training scores; names are kept whole.
 *
 * @param modelName the model name, which is also the record key on the topic
 * @param modelVersion the checkpoint's model version
 * @param createdAt when training finished
 * @param lineage where the model came from
 * @param checkpoint the ODSC bytes; copied in and out
 */
public record CheckpointEnvelope(String modelName, long modelVersion, Instant createdAt, Lineage lineage,
                                 byte[] checkpoint) {

    /** The value of the {@code format} field. */
    public static final String FORMAT = "odsc";

    private static final Set<String> FIELDS = Set.of("format", "formatVersion", "modelName", "modelVersion",
            "createdAt", "lineage", "checkpoint");
    private static final Set<String> LINEAGE_FIELDS = Set.of("parentVersion", "dataRange", "trainingMetrics",
            "heldOutMetrics");
    private static final Set<String> RANGE_FIELDS = Set.of("start", "end", "eventCount");
    private static final List<String> HELD_OUT_PREFIXES = List.of("heldout.", "validation.");

    /**
     * How a model came to be.
     *
     * @param parentVersion the version training started from; empty for a model trained from scratch
     * @param dataRange the training data
     * @param trainingMetrics scores on the training data, by name
     * @param heldOutMetrics scores on held-out data, by name
     */
    public record Lineage(OptionalLong parentVersion, DataRange dataRange, Map<String, Double> trainingMetrics,
                          Map<String, Double> heldOutMetrics) {

        /** Checks and copies; the maps iterate in name order. */
        public Lineage {
            Objects.requireNonNull(parentVersion, "parentVersion");
            Objects.requireNonNull(dataRange, "dataRange");
            trainingMetrics = Collections.unmodifiableSortedMap(new TreeMap<>(trainingMetrics));
            heldOutMetrics = Collections.unmodifiableSortedMap(new TreeMap<>(heldOutMetrics));
        }

        /** @return the lineage a checkpoint's metadata describes. */
        public static Lineage of(TrainingMetadata training) {
            Map<String, Double> train = new TreeMap<>();
            Map<String, Double> heldOut = new TreeMap<>();
            training.metrics().forEach((name, value) -> (isHeldOut(name) ? heldOut : train).put(name, value));
            return new Lineage(training.parentVersion(), training.dataRange(), train, heldOut);
        }

        private static boolean isHeldOut(String metric) {
            return HELD_OUT_PREFIXES.stream().anyMatch(metric::startsWith);
        }
    }

    /** Checks and copies. */
    public CheckpointEnvelope {
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(lineage, "lineage");
        if (modelName == null || modelName.isEmpty()) {
            throw new IllegalArgumentException("an envelope needs a model name");
        }
        checkpoint = checkpoint.clone();
    }

    @Override
    public byte[] checkpoint() {
        return checkpoint.clone();
    }

    /** @return the envelope of a checkpoint, every field taken from the checkpoint itself. */
    public static CheckpointEnvelope of(String modelName, Checkpoint checkpoint) {
        TrainingMetadata t = checkpoint.training();
        return new CheckpointEnvelope(modelName, checkpoint.modelVersion(), t.createdAt(), Lineage.of(t),
                CheckpointCodec.encode(checkpoint));
    }

    /** @return the record value to publish on the {@code models} topic, keyed by {@code modelName}. */
    public static byte[] write(String modelName, Checkpoint checkpoint) {
        return of(modelName, checkpoint).toJson();
    }

    /** @return whether a {@code models} record value is an envelope (JSON) rather than a raw ODSC checkpoint. */
    public static boolean isEnvelope(byte[] value) {
        for (byte b : value) {
            if (b != ' ' && b != '\t' && b != '\n' && b != '\r') {
                return b == '{';
            }
        }
        return false;
    }

    /**
     * Reads a {@code models} record value, envelope or raw ODSC, into the checkpoint it carries. An envelope must
     * name the record's key and agree with the checkpoint's metadata field by field.
     *
     * @param key the record key, the model name
     * @param value the record value
     * @throws ModelRejectedException saying what is wrong
     */
    public static Checkpoint open(String key, byte[] value) throws ModelRejectedException {
        if (!isEnvelope(value)) {
            return decode(value);
        }
        CheckpointEnvelope envelope = parse(value);
        if (!envelope.modelName().equals(key)) {
            throw new ModelRejectedException("envelope names model '" + envelope.modelName() + "' but is keyed '"
                    + key + "'");
        }
        return envelope.verify();
    }

    /**
     * Decodes the carried checkpoint and checks that the envelope agrees with its metadata.
     *
     * @throws ModelRejectedException naming the first field that differs, or why the checkpoint does not decode
     */
    public Checkpoint verify() throws ModelRejectedException {
        Checkpoint c = decode(checkpoint);
        TrainingMetadata t = c.training();
        List<String> differences = new ArrayList<>();
        differ(differences, "modelVersion", modelVersion, c.modelVersion());
        differ(differences, "createdAt", createdAt, t.createdAt());
        differ(differences, "lineage.parentVersion", lineage.parentVersion(), t.parentVersion());
        differ(differences, "lineage.dataRange", lineage.dataRange(), t.dataRange());
        Lineage expected = Lineage.of(t);
        differ(differences, "lineage.trainingMetrics", lineage.trainingMetrics(), expected.trainingMetrics());
        differ(differences, "lineage.heldOutMetrics", lineage.heldOutMetrics(), expected.heldOutMetrics());
        if (!differences.isEmpty()) {
            throw new ModelRejectedException("envelope of model '" + modelName + "' disagrees with its checkpoint: "
                    + String.join("; ", differences));
        }
        return c;
    }

    private static void differ(List<String> out, String field, Object envelope, Object checkpoint) {
        if (!envelope.equals(checkpoint)) {
            out.add(field + " is " + envelope + " in the envelope, " + checkpoint + " in the checkpoint");
        }
    }

    private static Checkpoint decode(byte[] odsc) throws ModelRejectedException {
        try {
            return CheckpointCodec.decode(odsc);
        } catch (CheckpointFormatException e) {
            throw new ModelRejectedException("not a valid checkpoint: " + e.getMessage(), e);
        }
    }

    /** @return the JSON form, {@code schemas/model-checkpoint.schema.json}. */
    public byte[] toJson() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(256 + checkpoint.length * 4 / 3);
        try (JsonGenerator out = JsonShape.MAPPER.createGenerator(bytes)) {
            out.writeStartObject();
            out.writeStringField("format", FORMAT);
            out.writeNumberField("formatVersion", formatVersion(checkpoint));
            out.writeStringField("modelName", modelName);
            out.writeNumberField("modelVersion", modelVersion);
            out.writeStringField("createdAt", createdAt.toString());
            writeLineage(out);
            out.writeStringField("checkpoint", Base64.getEncoder().encodeToString(checkpoint));
            out.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    private void writeLineage(JsonGenerator out) throws IOException {
        out.writeObjectFieldStart("lineage");
        if (lineage.parentVersion().isPresent()) {
            out.writeNumberField("parentVersion", lineage.parentVersion().getAsLong());
        } else {
            out.writeNullField("parentVersion");
        }
        DataRange range = lineage.dataRange();
        out.writeObjectFieldStart("dataRange");
        out.writeStringField("start", range.start().toString());
        out.writeStringField("end", range.end().toString());
        out.writeNumberField("eventCount", range.eventCount());
        out.writeEndObject();
        writeMetrics(out, "trainingMetrics", lineage.trainingMetrics());
        writeMetrics(out, "heldOutMetrics", lineage.heldOutMetrics());
        out.writeEndObject();
    }

    private static void writeMetrics(JsonGenerator out, String name, Map<String, Double> metrics) throws IOException {
        out.writeObjectFieldStart(name);
        for (Map.Entry<String, Double> m : metrics.entrySet()) {
            out.writeNumberField(m.getKey(), m.getValue());
        }
        out.writeEndObject();
    }

    /** The ODSC format version from the checkpoint's header (magic, then a big-endian u16); -1 if too short. */
    private static int formatVersion(byte[] odsc) {
        return odsc.length < 6 ? -1 : Short.toUnsignedInt(ByteBuffer.wrap(odsc, 4, 2).getShort());
    }

    /**
     * Reads an envelope's JSON; does not decode the checkpoint (see {@link #verify}).
     *
     * @throws ModelRejectedException naming the path of the first field that does not fit the schema
     */
    public static CheckpointEnvelope parse(byte[] json) throws ModelRejectedException {
        try {
            JsonNode root = JsonShape.object(JsonShape.parse(json), "$", FIELDS);
            String format = JsonShape.text(JsonShape.required(root, "format", "$"), "$.format");
            if (!FORMAT.equals(format)) {
                throw new JsonShape.ShapeException("$.format", "expected \"" + FORMAT + "\", got \"" + format + "\"");
            }
            byte[] odsc = base64(JsonShape.text(JsonShape.required(root, "checkpoint", "$"), "$.checkpoint"));
            long formatVersion = JsonShape.integer(JsonShape.required(root, "formatVersion", "$"), "$.formatVersion");
            if (formatVersion != formatVersion(odsc)) {
                throw new JsonShape.ShapeException("$.formatVersion", formatVersion + " but the checkpoint is in"
                        + " ODSC format " + formatVersion(odsc));
            }
            return new CheckpointEnvelope(
                    JsonShape.text(JsonShape.required(root, "modelName", "$"), "$.modelName"),
                    JsonShape.integer(JsonShape.required(root, "modelVersion", "$"), "$.modelVersion"),
                    instant(JsonShape.required(root, "createdAt", "$"), "$.createdAt"),
                    lineage(JsonShape.required(root, "lineage", "$")), odsc);
        } catch (JsonShape.MalformedException | JsonShape.ShapeException | IllegalArgumentException e) {
            throw new ModelRejectedException("not a valid checkpoint envelope: " + e.getMessage(), e);
        }
    }

    private static Lineage lineage(JsonNode node) throws JsonShape.ShapeException {
        String path = "$.lineage";
        JsonShape.object(node, path, LINEAGE_FIELDS);
        JsonNode parent = JsonShape.required(node, "parentVersion", path);
        OptionalLong parentVersion = parent.isNull() ? OptionalLong.empty()
                : OptionalLong.of(JsonShape.integer(parent, path + ".parentVersion"));
        JsonNode range = JsonShape.object(JsonShape.required(node, "dataRange", path), path + ".dataRange",
                RANGE_FIELDS);
        String rangePath = path + ".dataRange";
        DataRange dataRange = new DataRange(instant(JsonShape.required(range, "start", rangePath), rangePath
                + ".start"), instant(JsonShape.required(range, "end", rangePath), rangePath + ".end"),
                JsonShape.integer(JsonShape.required(range, "eventCount", rangePath), rangePath + ".eventCount"));
        return new Lineage(parentVersion, dataRange, metrics(node, "trainingMetrics", path),
                metrics(node, "heldOutMetrics", path));
    }

    private static Map<String, Double> metrics(JsonNode lineage, String name, String path)
            throws JsonShape.ShapeException {
        JsonNode node = JsonShape.required(lineage, name, path);
        if (!node.isObject()) {
            throw new JsonShape.ShapeException(path + "." + name, "expected an object, got "
                    + JsonShape.describe(node));
        }
        Map<String, Double> metrics = new TreeMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> m = it.next();
            metrics.put(m.getKey(), JsonShape.number(m.getValue(), path + "." + name + "." + m.getKey()));
        }
        return metrics;
    }

    private static Instant instant(JsonNode node, String path) throws JsonShape.ShapeException {
        String text = JsonShape.text(node, path);
        try {
            return Instant.parse(text);
        } catch (DateTimeException e) {
            throw new JsonShape.ShapeException(path, "not an ISO-8601 instant such as 2025-11-23T12:00:00Z: '" + text
                    + "'");
        }
    }

    private static byte[] base64(String text) throws JsonShape.ShapeException {
        try {
            return Base64.getDecoder().decode(text);
        } catch (IllegalArgumentException e) {
            throw new JsonShape.ShapeException("$.checkpoint", "not base64: " + e.getMessage());
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CheckpointEnvelope e && modelName.equals(e.modelName) && modelVersion == e.modelVersion
                && createdAt.equals(e.createdAt) && lineage.equals(e.lineage)
                && Arrays.equals(checkpoint, e.checkpoint);
    }

    @Override
    public int hashCode() {
        return Objects.hash(modelName, modelVersion, createdAt, lineage) * 31 + Arrays.hashCode(checkpoint);
    }

    @Override
    public String toString() {
        return "CheckpointEnvelope[modelName=" + modelName + ", modelVersion=" + modelVersion + ", createdAt="
                + createdAt + ", lineage=" + lineage + ", checkpoint=" + checkpoint.length + " bytes]";
    }
}
