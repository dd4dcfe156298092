package tn;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * tn's packages depend on each other without cycles, so that each layer of the pipeline (io, data,
 * method, llama, run, analysis, report, cli, ...) can be read and changed from the bottom up. A
 * package depends on another where one of its sources imports it or names one of its classes by
 * its qualified name.
 */
class PackageCyclesTest {
    private static final Pattern PACKAGE = Pattern.compile("(?m)^package (tn(?:\\.[a-z0-9_]+)*);");
    private static final Pattern REFERENCE = Pattern.compile("\\b(tn(?:\\.[a-z0-9_]+)+)\\.[A-Z]");

    /** package -> the tn packages its sources refer to. */
    static Map<String, Set<String>> dependencies(Path sources) throws IOException {
        Map<String, Set<String>> deps = new TreeMap<>();
        try (Stream<Path> files = Files.walk(sources)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
                String text = Files.readString(f).replaceAll("(?s)/\\*.*?\\*/", "").replaceAll("//[^\n]*", "");
                Matcher p = PACKAGE.matcher(text);
                if (!p.find()) continue;
                String own = p.group(1);
                Set<String> to = deps.computeIfAbsent(own, k -> new TreeSet<>());
                Matcher r = REFERENCE.matcher(text);
                while (r.find())
                    if (!r.group(1).equals(own)) to.add(r.group(1));
            }
        }
        return deps;
    }

    /** Every cycle's packages (strongly connected components of more than one package, or a self-loop). */
    static List<Set<String>> cycles(Map<String, Set<String>> deps) {
        List<Set<String>> found = new ArrayList<>();
        Set<String> done = new TreeSet<>();
        for (String start : deps.keySet()) {
            if (done.contains(start)) continue;
            Set<String> component = new TreeSet<>();
            for (String other : reachable(deps, start))
                if (reachable(deps, other).contains(start)) component.add(other);
            done.addAll(component);
            if (component.size() > 1) found.add(component);
        }
        return found;
    }

    private static Set<String> reachable(Map<String, Set<String>> deps, String from) {
        Set<String> seen = new TreeSet<>(Set.of(from));
        Deque<String> todo = new ArrayDeque<>(List.of(from));
        while (!todo.isEmpty())
            for (String next : deps.getOrDefault(todo.pop(), Set.of()))
                if (seen.add(next)) todo.push(next);
        return seen;
    }

    @Test
    void tnsPackagesFormNoCycle() throws IOException {
        Map<String, Set<String>> deps = dependencies(Path.of("java"));
        assertTrue(deps.size() > 20, "read tn's sources: " + deps.keySet());
        assertEquals(List.of(), cycles(deps), "package cycles in java/tn; dependencies: " + deps);
    }

    @Test
    void theCycleCheckFindsACycle() {
        Map<String, Set<String>> deps = new TreeMap<>(Map.of("tn.a", Set.of("tn.b"), "tn.b", Set.of("tn.c"), "tn.c",
                Set.of("tn.a", "tn.d"), "tn.d", Set.of(), "tn.e", Set.of("tn.d")));
        assertEquals(List.of(Set.of("tn.a", "tn.b", "tn.c")), cycles(deps));
        deps.put("tn.c", Set.of("tn.d"));
        assertEquals(List.of(), cycles(deps));
    }
}
