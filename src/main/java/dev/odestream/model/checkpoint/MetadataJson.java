package dev.odestream.model.checkpoint;

import dev.odestream.nn.ParameterBlock;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Renders checkpoint metadata as pretty-printed JSON by hand (no JSON library on the main classpath). The tree is
 * built from maps, lists, strings, numbers and null, then written by one recursive function.
 */
final class MetadataJson {

    private static final String INDENT = "  ";

    private MetadataJson() {
    }

    static String render(Checkpoint checkpoint) {
        StringBuilder out = new StringBuilder();
        write(tree(checkpoint), "", out);
        return out.append('\n').toString();
    }

    private static Map<String, Object> tree(Checkpoint c) {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("formatVersion", CheckpointCodec.FORMAT_VERSION);
        root.put("modelVersion", c.modelVersion());
        root.put("hyperparameters", c.hyperparameters());
        root.put("layout", c.layout().stream().map(MetadataJson::block).toList());
        root.put("parameterCount", c.parameterCount());
        root.put("training", training(c.training()));
        return root;
    }

    private static Map<String, Object> block(ParameterBlock b) {
        Map<String, Object> node = new LinkedHashMap<>();
        node.put("name", b.name());
        node.put("offset", b.offset());
        node.put("shape", Arrays.stream(b.shape()).boxed().toList());
        node.put("size", b.size());
        return node;
    }

    private static Map<String, Object> training(TrainingMetadata t) {
        Map<String, Object> range = new LinkedHashMap<>();
        range.put("start", t.dataRange().start().toString());
        range.put("end", t.dataRange().end().toString());
        range.put("eventCount", t.dataRange().eventCount());
        Map<String, Object> node = new LinkedHashMap<>();
        node.put("createdAt", t.createdAt().toString());
        node.put("parentVersion", t.parentVersion().isPresent() ? t.parentVersion().getAsLong() : null);
        node.put("dataRange", range);
        node.put("metrics", t.metrics());
        node.put("notes", t.notes());
        return node;
    }

    private static void write(Object value, String indent, StringBuilder out) {
        switch (value) {
            case null -> out.append("null");
            case String s -> quote(s, out);
            case Double d -> out.append(d.toString());
            case Number n -> out.append(n.longValue());
            case Map<?, ?> map -> writeObject(map, indent, out);
            case List<?> list -> writeArray(list, indent, out);
            default -> throw new IllegalStateException("no JSON form for " + value.getClass());
        }
    }

    private static void writeObject(Map<?, ?> map, String indent, StringBuilder out) {
        String inner = indent + INDENT;
        out.append('{');
        String separator = "\n";
        for (Map.Entry<?, ?> entry : map.entrySet()) {
            out.append(separator).append(inner);
            quote(entry.getKey().toString(), out);
            out.append(": ");
            write(entry.getValue(), inner, out);
            separator = ",\n";
        }
        out.append(map.isEmpty() ? "}" : "\n" + indent + "}");
    }

    private static void writeArray(List<?> list, String indent, StringBuilder out) {
        boolean scalars = list.stream().allMatch(Number.class::isInstance);
        String inner = indent + INDENT;
        out.append('[');
        for (int i = 0; i < list.size(); i++) {
            out.append(i == 0 ? "" : ",").append(scalars ? (i == 0 ? "" : " ") : "\n" + inner);
            write(list.get(i), inner, out);
        }
        out.append(scalars || list.isEmpty() ? "]" : "\n" + indent + "]");
    }

    /** Escapes as RFC 8259 requires: quote, backslash and control characters. */
    private static void quote(String s, StringBuilder out) {
        out.append('"');
        for (int i = 0; i < s.length(); i++) {
            char ch = s.charAt(i);
            switch (ch) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (ch < 0x20) {
                        out.append("\\u%04x".formatted((int) ch));
                    } else {
                        out.append(ch);
                    }
                }
            }
        }
        out.append('"');
    }
}
