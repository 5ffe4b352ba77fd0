package dev.odestream.model.checkpoint;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Validates a parsed JSON value against the subset of JSON Schema 2020-12 that our schemas use: {@code type},
 * {@code const}, {@code minimum}, {@code minLength}, {@code required}, {@code properties},
 * {@code additionalProperties}, {@code propertyNames} and {@code items}. Annotations ({@code format},
 * {@code description}) are ignored, as 2020-12 does by default. Any other keyword fails loudly, so the schema cannot
 * silently outgrow the validator.
 */
final class MiniSchemaValidator {

    private static final List<String> KNOWN = List.of("$schema", "$id", "title", "description", "format", "type",
            "const", "minimum", "minLength", "required", "properties", "additionalProperties", "propertyNames",
            "items");

    private MiniSchemaValidator() {
    }

    /** @return the violations; empty when valid. */
    static List<String> validate(Object value, Map<String, Object> schema) {
        List<String> errors = new ArrayList<>();
        check(value, schema, "$", errors);
        return errors;
    }

    @SuppressWarnings("unchecked")
    private static void check(Object value, Map<String, Object> schema, String path, List<String> errors) {
        for (String keyword : schema.keySet()) {
            if (!KNOWN.contains(keyword)) {
                throw new IllegalStateException("unsupported keyword " + keyword + " at " + path);
            }
        }
        if (schema.containsKey("type") && !typeMatches(value, schema.get("type"))) {
            errors.add(path + ": expected type " + schema.get("type") + ", got " + value);
            return;
        }
        if (schema.containsKey("const") && !Objects.equals(schema.get("const"), value)) {
            errors.add(path + ": expected " + schema.get("const"));
        }
        if (value instanceof Double d && schema.get("minimum") instanceof Double min && d < min) {
            errors.add(path + ": " + d + " below minimum " + min);
        }
        if (value instanceof String s && schema.get("minLength") instanceof Double min && s.length() < min) {
            errors.add(path + ": shorter than " + min);
        }
        if (value instanceof Map<?, ?> object) {
            checkObject((Map<String, Object>) object, schema, path, errors);
        }
        if (value instanceof List<?> list && schema.get("items") instanceof Map<?, ?> items) {
            for (int i = 0; i < list.size(); i++) {
                check(list.get(i), (Map<String, Object>) items, path + "[" + i + "]", errors);
            }
        }
    }

    @SuppressWarnings("unchecked")
    private static void checkObject(Map<String, Object> object, Map<String, Object> schema, String path,
                                    List<String> errors) {
        for (Object name : (List<Object>) schema.getOrDefault("required", List.of())) {
            if (!object.containsKey((String) name)) {
                errors.add(path + ": missing required " + name);
            }
        }
        Map<String, Object> properties = (Map<String, Object>) schema.getOrDefault("properties", Map.of());
        Object additional = schema.getOrDefault("additionalProperties", Boolean.TRUE);
        for (Map.Entry<String, Object> member : object.entrySet()) {
            String memberPath = path + "." + member.getKey();
            if (schema.get("propertyNames") instanceof Map<?, ?> names) {
                check(member.getKey(), (Map<String, Object>) names, memberPath + "(name)", errors);
            }
            if (properties.containsKey(member.getKey())) {
                check(member.getValue(), (Map<String, Object>) properties.get(member.getKey()), memberPath, errors);
            } else if (Boolean.FALSE.equals(additional)) {
                errors.add(memberPath + ": not allowed");
            } else if (additional instanceof Map<?, ?> additionalSchema) {
                check(member.getValue(), (Map<String, Object>) additionalSchema, memberPath, errors);
            }
        }
    }

    private static boolean typeMatches(Object value, Object type) {
        if (type instanceof List<?> types) {
            return types.stream().anyMatch(t -> typeMatches(value, t));
        }
        return switch ((String) type) {
            case "object" -> value instanceof Map;
            case "array" -> value instanceof List;
            case "string" -> value instanceof String;
            case "number" -> value instanceof Double;
            case "integer" -> value instanceof Double d && d == Math.rint(d);
            case "boolean" -> value instanceof Boolean;
            case "null" -> value == null;
            default -> throw new IllegalStateException("unknown type " + type);
        };
    }
}
