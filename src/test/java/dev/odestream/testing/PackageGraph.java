package dev.odestream.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The dependencies between a source tree's packages, read from the source: every {@code import} and every
 * fully qualified name in code (comments and string literals are left out, so a javadoc link does not count). A
 * subpackage is a package of its own. Kept to plain text on purpose: no bytecode library, and it sees what a reader
 * of the source sees.
 */
public final class PackageGraph {

    private static final Pattern COMMENTS = Pattern.compile("/\\*.*?\\*/|//[^\\n]*", Pattern.DOTALL);
    private static final Pattern STRINGS = Pattern.compile("\"(?:\\\\.|[^\"\\\\\\n])*\"");
    private static final Pattern PACKAGE = Pattern.compile("^package ([\\w.]+);", Pattern.MULTILINE);

    private final String root;
    private final Map<String, Set<String>> edges = new TreeMap<>();
    private final Map<String, Set<String>> externals = new TreeMap<>();

    private PackageGraph(String root) {
        this.root = root;
    }

    /**
     * @param sourceRoot a source root such as {@code src/main/java}
     * @param rootPackage the project's root package, e.g. {@code dev.odestream}; names below it are nodes, and the
     *     prefix is dropped from them
     */
    public static PackageGraph scan(Path sourceRoot, String rootPackage) {
        PackageGraph graph = new PackageGraph(rootPackage);
        try (Stream<Path> files = Files.walk(sourceRoot)) {
            files.filter(p -> p.toString().endsWith(".java")).forEach(graph::read);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return graph;
    }

    /** @return a graph of the given edges, for testing the checks themselves */
    public static PackageGraph of(Map<String, Set<String>> edges) {
        PackageGraph graph = new PackageGraph("");
        edges.forEach((from, to) -> graph.edges.computeIfAbsent(from, k -> new TreeSet<>()).addAll(to));
        return graph;
    }

    private void read(Path file) {
        String source;
        try {
            source = Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Matcher pkg = PACKAGE.matcher(source);
        if (!pkg.find()) {
            return;
        }
        String from = shortName(pkg.group(1));
        Set<String> to = edges.computeIfAbsent(from, k -> new TreeSet<>());
        String code = STRINGS.matcher(COMMENTS.matcher(source).replaceAll(" ")).replaceAll("\"\"");
        Matcher ref = Pattern.compile("\\b" + Pattern.quote(root) + "\\.((?:[a-z]\\w*\\.)*)[A-Z]").matcher(code);
        while (ref.find()) {
            String target = ref.group(1).isEmpty() ? "" : ref.group(1).substring(0, ref.group(1).length() - 1);
            if (!target.equals(from)) {
                to.add(target);
            }
        }
        Matcher imports = Pattern.compile("^import (?:static )?((?:[a-z]\\w*\\.)+)[A-Z]", Pattern.MULTILINE)
                .matcher(code);
        Set<String> ext = externals.computeIfAbsent(from, k -> new TreeSet<>());
        while (imports.find()) {
            if (!imports.group(1).startsWith(root + ".")) {
                ext.add(imports.group(1).substring(0, imports.group(1).length() - 1));
            }
        }
    }

    private String shortName(String pkg) {
        return pkg.equals(root) ? "" : pkg.substring(root.length() + 1);
    }

    /** @return each package and the project packages it depends on */
    public Map<String, Set<String>> edges() {
        return edges;
    }

    /** @return each package and the outside packages (JDK, libraries) it imports */
    public Map<String, Set<String>> externals() {
        return externals;
    }

    /**
     * @return every set of two or more packages that depend on each other (the strongly connected components of the
     *     graph, by Tarjan's algorithm), each as a sorted list; empty when the graph has no cycle
     */
    public List<List<String>> cycles() {
        return new Tarjan().run();
    }

    private final class Tarjan {
        private final Map<String, Integer> index = new HashMap<>();
        private final Map<String, Integer> low = new HashMap<>();
        private final Deque<String> stack = new ArrayDeque<>();
        private final Set<String> onStack = new TreeSet<>();
        private final List<List<String>> components = new ArrayList<>();

        List<List<String>> run() {
            for (String node : edges.keySet()) {
                if (!index.containsKey(node)) {
                    visit(node);
                }
            }
            return components;
        }

        private void visit(String node) {
            index.put(node, index.size());
            low.put(node, index.get(node));
            stack.push(node);
            onStack.add(node);
            for (String next : edges.getOrDefault(node, Set.of())) {
                if (!index.containsKey(next)) {
                    visit(next);
                    low.put(node, Math.min(low.get(node), low.get(next)));
                } else if (onStack.contains(next)) {
                    low.put(node, Math.min(low.get(node), index.get(next)));
                }
            }
            if (low.get(node).equals(index.get(node))) {
                pop(node);
            }
        }

        private void pop(String head) {
            List<String> component = new ArrayList<>();
            String member;
            do {
                member = stack.pop();
                onStack.remove(member);
                component.add(member);
            } while (!member.equals(head));
            if (component.size() > 1) {
                component.sort(null);
                components.add(component);
            }
        }
    }
}
