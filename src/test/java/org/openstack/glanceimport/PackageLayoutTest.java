package org.openstack.glanceimport;

import java.io.IOException;
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

import org.junit.jupiter.api.Test;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The shipped code's packages, one per concern: small enough to read as one, and importing each other in one direction
 * only (no cycle), so that a newcomer finds a concern by its folder and can read the packages bottom-up.
 */
class PackageLayoutTest {

    private static final Path MAIN = Path.of("src/main/java/org/openstack/glanceimport");
    private static final String BASE = "org.openstack.glanceimport.";
    private static final int MOST_FILES = 15;
    private static final Pattern PACKAGE = Pattern.compile("^package org\\.openstack\\.glanceimport\\.([\\w.]+);", Pattern.MULTILINE);
    private static final Pattern REFERENCE = Pattern.compile("org\\.openstack\\.glanceimport\\.([a-z][a-z.]*?)\\.[A-Z]");

    /** Package to the packages it refers to, read from the sources. */
    static Map<String, Set<String>> graph(Map<String, Integer> files) throws IOException {
        Map<String, Set<String>> uses = new TreeMap<>();
        try (Stream<Path> sources = Files.walk(MAIN)) {
            for (Path source : sources.filter(p -> p.toString().endsWith(".java")).toList()) {
                String text = Files.readString(source);
                Matcher pkg = PACKAGE.matcher(text);
                assertTrue(pkg.find(), source + " declares no package under " + BASE);
                String from = pkg.group(1);
                files.merge(from, 1, Integer::sum);
                Set<String> targets = uses.computeIfAbsent(from, k -> new TreeSet<>());
                Matcher ref = REFERENCE.matcher(text);
                while (ref.find()) {
                    if (!ref.group(1).equals(from)) {
                        targets.add(ref.group(1));
                    }
                }
            }
        }
        return uses;
    }

    @Test
    void noPackageHoldsMoreThanAboutFifteenFiles() throws IOException {
        Map<String, Integer> files = new TreeMap<>();
        graph(files);
        assertTrue(files.size() >= 15, "the concerns are spread over packages: " + files.keySet());
        files.forEach((pkg, count) -> assertTrue(count <= MOST_FILES, pkg + " holds " + count + " files; split it by concern"));
    }

    @Test
    void packagesImportEachOtherInOneDirection() throws IOException {
        Map<String, Set<String>> uses = graph(new HashMap<>());
        List<List<String>> cycles = new Cycles(uses).find();
        assertEquals(List.of(), cycles, "packages that import each other (a cycle): " + cycles);
        assertTrue(uses.get("controller").containsAll(List.of("plan", "status", "dependent")),
                "the reconcilers read inputs, plan, run the workflow and write status: " + uses.get("controller"));
        uses.forEach((pkg, targets) -> assertTrue(!targets.contains("controller"), pkg + " reaches up into controller"));
    }

    @Test
    void theCycleCheckSeesACycle() {
        Map<String, Set<String>> uses = Map.of("a", Set.of("b"), "b", Set.of("c"), "c", Set.of("a"), "d", Set.of("a"));
        assertEquals(1, new Cycles(uses).find().size());
        assertEquals(Set.of("a", "b", "c"), new TreeSet<>(new Cycles(uses).find().get(0)));
    }

    /** Tarjan's strongly connected components; every component of more than one package is a cycle. */
    private static final class Cycles {
        private final Map<String, Set<String>> uses;
        private final Map<String, Integer> index = new HashMap<>();
        private final Map<String, Integer> low = new HashMap<>();
        private final Deque<String> stack = new ArrayDeque<>();
        private final List<List<String>> found = new ArrayList<>();

        Cycles(Map<String, Set<String>> uses) {
            this.uses = uses;
        }

        List<List<String>> find() {
            new TreeSet<>(uses.keySet()).forEach(v -> {
                if (!index.containsKey(v)) {
                    visit(v);
                }
            });
            return found;
        }

        private void visit(String v) {
            index.put(v, index.size());
            low.put(v, index.get(v));
            stack.push(v);
            for (String w : uses.getOrDefault(v, Set.of())) {
                if (!index.containsKey(w)) {
                    visit(w);
                    low.put(v, Math.min(low.get(v), low.get(w)));
                } else if (stack.contains(w)) {
                    low.put(v, Math.min(low.get(v), index.get(w)));
                }
            }
            if (low.get(v).equals(index.get(v))) {
                List<String> component = new ArrayList<>();
                String w;
                do {
                    w = stack.pop();
                    component.add(w);
                } while (!w.equals(v));
                if (component.size() > 1) {
                    found.add(component);
                }
            }
        }
    }
}
