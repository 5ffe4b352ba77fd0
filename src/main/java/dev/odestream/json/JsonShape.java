package dev.odestream.json;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.util.Iterator;
import java.util.Set;

/**
 * Typed reads from a Jackson tree that name the JSON path of whatever does not fit, and the shared JSON settings.
 * Reading goes through a tree, not data binding, so that every failure says which field and why.
 *
 * <p>The reader accepts the {@code NaN} and {@code Infinity} tokens so that a producer that writes them gets the
 * precise {@code non-finite} reason rather than {@code malformed-json}; duplicate keys and trailing content are
 * malformed, and so are bytes that are not well-formed UTF-8 (overlong forms, encoded surrogates), which Jackson
 * would decode.
 */
public final class JsonShape {

    public static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    /** Malformed JSON. */
    public static final class MalformedException extends Exception {
        private static final long serialVersionUID = 1L;

        public MalformedException(String message) {
            super(message);
        }
    }

    /** Well-formed JSON of the wrong shape; the message starts with the path. */
    public static final class ShapeException extends Exception {
        private static final long serialVersionUID = 1L;

        public ShapeException(String path, String problem) {
            super(path + ": " + problem);
        }
    }

    private JsonShape() {
    }

    /** @return the one JSON document in {@code bytes}, which must be well-formed UTF-8 ({@link Utf8}). */
    public static JsonNode parse(byte[] bytes) throws MalformedException {
        if (bytes == null || bytes.length == 0) {
            throw new MalformedException("empty value");
        }
        String encoding = Utf8.problem(bytes);
        if (encoding != null) {
            throw new MalformedException(encoding);
        }
        try {
            JsonNode root = MAPPER.readTree(bytes);
            if (root == null || root.isMissingNode()) {
                throw new MalformedException("no JSON value");
            }
            return root;
        } catch (JsonParseException e) {
            throw new MalformedException(e.getOriginalMessage());
        } catch (IOException e) {
            throw new MalformedException(e.getMessage());
        }
    }

    /** Requires an object whose field names all lie in {@code allowed}. */
    public static JsonNode object(JsonNode node, String path, Set<String> allowed) throws ShapeException {
        if (node == null || !node.isObject()) {
            throw new ShapeException(path, "expected an object, got " + describe(node));
        }
        for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!allowed.contains(name)) {
                throw new ShapeException(path, "unknown field '" + name + "' (allowed: " + allowed + ")");
            }
        }
        return node;
    }

    /** @return the field, which must be present (it may be JSON null). */
    public static JsonNode required(JsonNode object, String name, String path) throws ShapeException {
        JsonNode value = object.get(name);
        if (value == null) {
            throw new ShapeException(path, "missing required field '" + name + "'");
        }
        return value;
    }

    /** @return an integral number that fits a long; a float with no fraction counts, as in JSON Schema. */
    public static long integer(JsonNode node, String path) throws ShapeException {
        if (node != null && node.isIntegralNumber() && node.canConvertToLong()) {
            return node.longValue();
        }
        if (node != null && node.isFloatingPointNumber()) {
            double d = node.doubleValue();
            if (d == Math.rint(d) && Math.abs(d) < 0x1p63) {
                return (long) d;
            }
        }
        throw new ShapeException(path, "expected an integer, got " + describe(node));
    }

    /** @return a number, possibly non-finite (the caller decides). */
    public static double number(JsonNode node, String path) throws ShapeException {
        if (node == null || !node.isNumber()) {
            throw new ShapeException(path, "expected a number, got " + describe(node));
        }
        return node.doubleValue();
    }

    public static String text(JsonNode node, String path) throws ShapeException {
        if (node == null || !node.isTextual()) {
            throw new ShapeException(path, "expected a string, got " + describe(node));
        }
        return node.textValue();
    }

    public static JsonNode array(JsonNode node, String path) throws ShapeException {
        if (node == null || !node.isArray()) {
            throw new ShapeException(path, "expected an array, got " + describe(node));
        }
        return node;
    }

    /** @return an array of numbers, possibly non-finite. */
    public static double[] numbers(JsonNode node, String path) throws ShapeException {
        array(node, path);
        double[] out = new double[node.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = number(node.get(i), path + "[" + i + "]");
        }
        return out;
    }

    public static void writeArray(JsonGenerator out, String name, double[] values) throws IOException {
        out.writeArrayFieldStart(name);
        for (double v : values) {
            out.writeNumber(v);
        }
        out.writeEndArray();
    }

    /** A short description of a node for messages: its type and, if small, its text. */
    public static String describe(JsonNode node) {
        if (node == null) {
            return "nothing";
        }
        String text = node.toString();
        String type = node.getNodeType().name().toLowerCase(java.util.Locale.ROOT);
        return text.length() <= 40 ? type + " " + text : type;
    }
}
