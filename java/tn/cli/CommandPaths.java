package tn.cli;

import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParseResult;

import java.lang.reflect.Array;
import tn.io.InputException;
import tn.io.InputFile;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The paths a parsed command line names: its output (--out) and its inputs, every other path of
 * its options and parameters (sentence files, rankings, run folders, the model) but the model
 * cache, which tn writes into. For the checks every command gets before it reads anything.
 */
final class CommandPaths {
    static final String OUT = "--out";
    /** Paths that are neither an input nor the output: folders tn keeps things in. */
    private static final Set<String> NOT_INPUTS = Set.of(OUT, "--cache");

    private CommandPaths() {}

    /** The command that runs: the last subcommand of parsed. */
    static ParseResult leaf(ParseResult parsed) {
        ParseResult p = parsed;
        while (p.hasSubcommand()) p = p.subcommand();
        return p;
    }

    /** The --out given, or null. */
    static Path out(ParseResult command) {
        OptionSpec o = command.matchedOption(OUT);
        return o != null && o.getValue() instanceof Path p ? p : null;
    }

    /** Whether the command's --out is a folder (DIR), not a file it writes (a report's FILE.html). */
    static boolean outIsFolder(ParseResult command) {
        OptionSpec o = command.matchedOption(OUT);
        return o != null && "DIR".equals(o.paramLabel());
    }

    /** The input paths given, by the option or parameter that names them ("--centroids", "RUN_DIR"). */
    static Map<String, List<Path>> inputs(ParseResult command) {
        Map<String, List<Path>> inputs = new LinkedHashMap<>();
        List<ArgSpec> given = new ArrayList<>(command.matchedOptionsSet());
        given.addAll(command.matchedPositionalsSet());
        for (ArgSpec a : given) {
            String name = a instanceof OptionSpec o ? o.longestName() : a.paramLabel();
            if (NOT_INPUTS.contains(name)) continue;
            List<Path> paths = new ArrayList<>();
            collect(a.getValue(), paths);
            if (!paths.isEmpty()) inputs.computeIfAbsent(name, k -> new ArrayList<>()).addAll(paths);
        }
        return inputs;
    }

    /**
     * Refuses an input that is not there or cannot be read, naming the option: for commands that
     * hand the inputs to jobs which would otherwise find out only once queued on a cluster.
     */
    static void checkReadable(Map<String, List<Path>> inputs) {
        for (Map.Entry<String, List<Path>> e : inputs.entrySet()) {
            for (Path p : e.getValue()) {
                if (Files.isDirectory(p)) continue;
                try {
                    InputFile.check(p);
                } catch (InputException x) {
                    throw new InputException(x.getMessage() + " (" + e.getKey() + ")", x);
                }
            }
        }
    }

    private static void collect(Object value, List<Path> into) {
        if (value instanceof Path p) {
            into.add(p);
        } else if (value instanceof LanguageFile f) {
            into.add(f.file());
        } else if (value instanceof RankingEntry r) {
            into.add(r.file());
        } else if (value instanceof Collection<?> c) {
            for (Object o : c) collect(o, into);
        } else if (value instanceof Map<?, ?> m) {
            for (Object o : m.values()) collect(o, into);
        } else if (value != null && value.getClass().isArray() && !value.getClass().getComponentType().isPrimitive()) {
            for (int i = 0; i < Array.getLength(value); i++) collect(Array.get(value, i), into);
        }
    }
}
