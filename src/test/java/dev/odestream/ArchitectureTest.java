package dev.odestream;

import dev.odestream.testing.PackageGraph;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Keeps the layers of docs/architecture.md: no package cycles, every arrow pointing down, and Kafka only in
 * the service. A new package must be given its layer here.
 */
class ArchitectureTest {

    /**
     * The layers, lowest first: a package may depend only on packages of lower layers. Packages in one layer are
     * independent of each other.
     */
    private static final List<Set<String>> LAYERS = List.of(
            Set.of("ode", "json", "metrics", "plot", "data"),
            Set.of("ode.adjoint", "nn"),
            Set.of("model"),
            Set.of("model.checkpoint"),
            Set.of("train"),
            Set.of("train.baseline", "cuda"),
            Set.of("train.experiments", "stream"),
            Set.of("dataset"),
            Set.of("query", "worker", "evaluate"),
            Set.of("cli"));

    /** The numerical core and its backends, which know nothing of Kafka. */
    private static final Set<String> WITHOUT_KAFKA = Set.of("ode", "ode.adjoint", "nn", "json", "data", "plot", "model",
            "model.checkpoint", "train", "train.baseline", "train.experiments", "cuda");

    private static final PackageGraph MAIN = PackageGraph.scan(Path.of("src/main/java"), "dev.odestream");

    @Test
    void shouldHaveNoPackageCycles() {
        assertEquals(List.of(), MAIN.cycles(), "packages that depend on each other");
    }

    @Test
    void shouldPointEveryArrowDown() {
        List<String> wrong = new ArrayList<>();
        MAIN.edges().forEach((from, targets) -> targets.forEach(to -> {
            if (layer(to) >= layer(from)) {
                wrong.add(from + " -> " + to);
            }
        }));
        assertEquals(List.of(), wrong, "arrows that do not point to a lower layer");
    }

    @Test
    void shouldPlaceEveryPackageInALayer() {
        List<String> unplaced = MAIN.edges().keySet().stream().filter(p -> layer(p) < 0).toList();
        assertEquals(List.of(), unplaced, "packages without a layer in ArchitectureTest.LAYERS");
    }

    @Test
    void shouldKeepKafkaOutOfTheNumericalCore() {
        List<String> wrong = new ArrayList<>();
        MAIN.externals().forEach((pkg, imports) -> imports.stream()
                .filter(i -> i.startsWith("org.apache.kafka") && WITHOUT_KAFKA.contains(pkg))
                .forEach(i -> wrong.add(pkg + " imports " + i)));
        assertEquals(List.of(), wrong);
    }

    @Test
    void shouldFindACycleAndOnlyACycle() {
        PackageGraph cyclic = PackageGraph.of(Map.of("worker", Set.of("cuda", "train"), "cuda", Set.of("worker"),
                "train", Set.of("model"), "model", Set.of()));
        assertEquals(List.of(List.of("cuda", "worker")), cyclic.cycles());
        PackageGraph acyclic = PackageGraph.of(Map.of("worker", Set.of("cuda", "train"), "cuda", Set.of("train"),
                "train", Set.of()));
        assertEquals(List.of(), acyclic.cycles());
    }

    @Test
    void shouldReadFullyQualifiedNamesAsDependencies() {
        assertTrue(MAIN.edges().get("cli").contains("stream"), "cli uses the engine");
        assertTrue(MAIN.edges().get("ode").isEmpty(), "ode depends on nothing of the project");
    }

    private static int layer(String pkg) {
        for (int i = 0; i < LAYERS.size(); i++) {
            if (LAYERS.get(i).contains(pkg)) {
                return i;
            }
        }
        return -1;
    }
}
