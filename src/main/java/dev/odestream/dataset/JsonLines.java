package dev.odestream.dataset;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.odestream.dataset.BadRowException.Reason;
import dev.odestream.stream.Event;
import dev.odestream.stream.EventJson;
import dev.odestream.stream.InvalidEventException;

import java.util.OptionalLong;

/**
 * Reads a JSON line: an event of {@code schemas/event.schema.json} with a {@code key} field added. The key is taken
 * out and the rest is handed to {@link EventJson#parse}, so a file accepts exactly what the events topic does.
 *
 * <p>Lines are read with the engine's settings: {@code NaN} and {@code Infinity} tokens are accepted so that they
 * are reported as non-finite rather than malformed, and duplicate fields and trailing content are malformed. The
 * rest of the object is written back with those tokens bare, for {@link EventJson} to name.
 */
final class JsonLines implements RowParser {

    static final JsonLines INSTANCE = new JsonLines();

    private static final String KEY = "key";
    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .disable(JsonWriteFeature.WRITE_NAN_AS_STRINGS)
            .build();

    private JsonLines() {
    }

    @Override
    public KeyedEvent parse(String line) throws RowProblem {
        ObjectNode root = object(line);
        String key = key(root.remove(KEY));
        return new KeyedEvent(key, event(root));
    }

    private static ObjectNode object(String line) throws RowProblem {
        JsonNode root;
        try {
            root = MAPPER.readTree(line);
        } catch (JsonProcessingException e) {
            throw new RowProblem(Reason.MALFORMED_JSON, e.getOriginalMessage());
        }
        if (!(root instanceof ObjectNode object)) {
            throw new RowProblem(Reason.NOT_AN_EVENT, "expected an object, got " + root.getNodeType());
        }
        return object;
    }

    private static String key(JsonNode key) throws RowProblem {
        if (key == null) {
            throw new RowProblem(Reason.BAD_KEY, "no 'key' field");
        }
        if (!key.isTextual() || key.textValue().isEmpty()) {
            throw new RowProblem(Reason.BAD_KEY, "'key' must be a non-empty string, got " + key);
        }
        return key.textValue();
    }

    private static Event event(ObjectNode body) throws RowProblem {
        try {
            return EventJson.parse(MAPPER.writeValueAsBytes(body), OptionalLong.empty());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot re-serialise a parsed tree", e);
        } catch (InvalidEventException e) {
            throw new RowProblem(reason(e), e.getMessage());
        }
    }

    private static Reason reason(InvalidEventException e) {
        if (e.getMessage().startsWith("$.time") || e.getMessage().endsWith("field 'time'")) {
            return Reason.BAD_TIME;
        }
        return switch (e.reason()) {
            case NON_FINITE -> Reason.NON_FINITE;
            case MALFORMED_JSON -> Reason.MALFORMED_JSON;
            default -> Reason.NOT_AN_EVENT;
        };
    }
}
