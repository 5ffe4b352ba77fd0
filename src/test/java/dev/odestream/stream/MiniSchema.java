package dev.odestream.stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Validates a JSON document against the subset of JSON Schema 2020-12 that the engine's schemas use. Annotations
 * ({@code title}, {@code description}, {@code format}, {@code contentEncoding}, {@code contentMediaType}) are
 * ignored, as 2020-12 does by default; {@code $ref} resolves only {@code #/$defs/name}; the boolean schemas
 * {@code true} and {@code false} are understood. Any other keyword fails loudly, so a schema cannot silently outgrow
 * the validator.
 */
final class MiniSchema {

    private static final Set<String> KNOWN = Set.of("$schema", "$id", "$defs", "$ref", "title", "description",
            "format", "contentEncoding", "contentMediaType", "type", "const", "enum", "minimum", "maximum",
            "minLength", "maxLength", "pattern", "minItems", "maxItems", "required", "properties", "additionalProperties", "items", "oneOf", "dependentSchemas");

    private final JsonNode root;

    private MiniSchema(JsonNode root) {
        this.root = root;
    }

    static MiniSchema load(Path file) throws IOException {
        return new MiniSchema(new ObjectMapper().readTree(Files.readAllBytes(file)));
    }

    /** @return the violations; empty when valid. */
    List<String> validate(JsonNode value) {
        List<String> errors = new ArrayList<>();
        check(value, root, "$", errors);
        return errors;
    }

    private void check(JsonNode value, JsonNode schema, String path, List<String> errors) {
        if (schema.isBoolean()) {
            if (!schema.booleanValue()) {
                errors.add(path + ": not allowed");
            }
            return;
        }
        for (Iterator<String> it = schema.fieldNames(); it.hasNext(); ) {
            String keyword = it.next();
            if (!KNOWN.contains(keyword)) {
                throw new IllegalStateException("unsupported keyword " + keyword + " at " + path);
            }
        }
        if (schema.has("$ref")) {
            check(value, resolve(schema.get("$ref").textValue()), path, errors);
        }
        if (schema.has("type") && !typeMatches(value, schema.get("type"))) {
            errors.add(path + ": expected type " + schema.get("type") + ", got " + value.getNodeType());
            return;
        }
        checkValue(value, schema, path, errors);
        if (schema.has("oneOf")) {
            checkOneOf(value, schema.get("oneOf"), path, errors);
        }
        if (value.isObject()) {
            checkObject(value, schema, path, errors);
        }
        if (value.isArray()) {
            checkArray(value, schema, path, errors);
        }
    }

    private JsonNode resolve(String ref) {
        if (!ref.startsWith("#/$defs/")) {
            throw new IllegalStateException("only #/$defs/ references are supported, got " + ref);
        }
        JsonNode target = root.path("$defs").get(ref.substring("#/$defs/".length()));
        if (target == null) {
            throw new IllegalStateException("unresolved " + ref);
        }
        return target;
    }

    private void checkValue(JsonNode value, JsonNode schema, String path, List<String> errors) {
        if (schema.has("const") && !schema.get("const").equals(value)) {
            errors.add(path + ": expected " + schema.get("const"));
        }
        if (schema.has("enum") && !contains(schema.get("enum"), value)) {
            errors.add(path + ": " + value + " not in " + schema.get("enum"));
        }
        if (value.isNumber() && schema.has("minimum") && value.doubleValue() < schema.get("minimum").doubleValue()) {
            errors.add(path + ": " + value + " below minimum " + schema.get("minimum"));
        }
        if (value.isNumber() && schema.has("maximum") && value.doubleValue() > schema.get("maximum").doubleValue()) {
            errors.add(path + ": " + value + " above maximum " + schema.get("maximum"));
        }
        if (value.isTextual()) {
            checkString(value.textValue(), schema, path, errors);
        }
    }

    private static void checkString(String s, JsonNode schema, String path, List<String> errors) {
        int length = s.codePointCount(0, s.length());
        if (schema.has("minLength") && length < schema.get("minLength").intValue()) {
            errors.add(path + ": shorter than " + schema.get("minLength"));
        }
        if (schema.has("maxLength") && length > schema.get("maxLength").intValue()) {
            errors.add(path + ": longer than " + schema.get("maxLength"));
        }
        if (schema.has("pattern") && !Pattern.compile(schema.get("pattern").textValue()).matcher(s).find()) {
            errors.add(path + ": does not match " + schema.get("pattern"));
        }
    }

    private void checkOneOf(JsonNode value, JsonNode options, String path, List<String> errors) {
        int matches = 0;
        for (JsonNode option : options) {
            matches += validateAgainst(value, option, path).isEmpty() ? 1 : 0;
        }
        if (matches != 1) {
            errors.add(path + ": matches " + matches + " of the oneOf alternatives, expected exactly 1");
        }
    }

    private List<String> validateAgainst(JsonNode value, JsonNode schema, String path) {
        List<String> errors = new ArrayList<>();
        check(value, schema, path, errors);
        return errors;
    }

    private void checkObject(JsonNode object, JsonNode schema, String path, List<String> errors) {
        for (JsonNode name : schema.path("required")) {
            if (!object.has(name.textValue())) {
                errors.add(path + ": missing required " + name.textValue());
            }
        }
        for (Map.Entry<String, JsonNode> rule : schema.path("dependentSchemas").properties()) {
            if (object.has(rule.getKey())) {
                check(object, rule.getValue(), path, errors);
            }
        }
        JsonNode properties = schema.path("properties");
        JsonNode additional = schema.get("additionalProperties");
        for (Map.Entry<String, JsonNode> member : object.properties()) {
            String memberPath = path + "." + member.getKey();
            if (properties.has(member.getKey())) {
                check(member.getValue(), properties.get(member.getKey()), memberPath, errors);
            } else if (additional != null && additional.isBoolean() && !additional.booleanValue()) {
                errors.add(memberPath + ": not allowed");
            } else if (additional != null && additional.isObject()) {
                check(member.getValue(), additional, memberPath, errors);
            }
        }
    }

    private void checkArray(JsonNode array, JsonNode schema, String path, List<String> errors) {
        if (schema.has("minItems") && array.size() < schema.get("minItems").intValue()) {
            errors.add(path + ": fewer than " + schema.get("minItems") + " items");
        }
        if (schema.has("maxItems") && array.size() > schema.get("maxItems").intValue()) {
            errors.add(path + ": more than " + schema.get("maxItems") + " items");
        }
        if (schema.has("items")) {
            for (int i = 0; i < array.size(); i++) {
                check(array.get(i), schema.get("items"), path + "[" + i + "]", errors);
            }
        }
    }

    private static boolean contains(JsonNode list, JsonNode value) {
        for (JsonNode item : list) {
            if (item.equals(value)) {
                return true;
            }
        }
        return false;
    }

    private static boolean typeMatches(JsonNode value, JsonNode type) {
        if (type.isArray()) {
            for (JsonNode t : type) {
                if (typeMatches(value, t)) {
                    return true;
                }
            }
            return false;
        }
        return switch (type.textValue()) {
            case "object" -> value.isObject();
            case "array" -> value.isArray();
            case "string" -> value.isTextual();
            case "number" -> value.isNumber();
            case "integer" -> value.isIntegralNumber()
                    || (value.isFloatingPointNumber() && value.doubleValue() == Math.rint(value.doubleValue()));
            case "boolean" -> value.isBoolean();
            case "null" -> value.isNull();
            default -> throw new IllegalStateException("unknown type " + type);
        };
    }
}
