package tn.report;

import com.google.gson.JsonObject;
import tn.io.InputException;
import tn.record.RunJson;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * One folder of results (depth 0 for a folder given on the command line, 1 for one inside it,
 * ...), sorted by what the report does with each file: its run.json (if any), PNG plots, TSV/CSV
 * tables, other JSON files, and everything else; plus the folders below it, a few levels down,
 * which may hold results themselves (a sweep's runs, a compare folder). Hidden files (a
 * half-written ".name.partial" of an atomic write) are left out.
 */
record RunFolder(Path dir, String name, int depth, Optional<RunJson> runJson, List<Path> images, List<Path> tables,
        List<Path> jsonFiles, List<Path> otherFiles, List<RunFolder> children) {
    /** How many folder levels below a given run folder are searched for more results. */
    static final int DEPTH = 3;

    /** The folder dir, shown as name; a missing folder or a corrupt run.json is bad input. */
    static RunFolder scan(Path dir, String name) {
        if (!Files.exists(dir)) throw new InputException("no such folder: " + dir);
        if (!Files.isDirectory(dir))
            throw new InputException(dir + " is not a folder: give run folders (with run.json)");
        return scan(dir, name, DEPTH);
    }

    private static RunFolder scan(Path dir, String name, int depthLeft) {
        List<Path> images = new ArrayList<>(), tables = new ArrayList<>(), json = new ArrayList<>(),
                   others = new ArrayList<>();
        List<RunFolder> children = new ArrayList<>();
        Optional<RunJson> runJson = Optional.empty();
        for (Path p : entries(dir)) {
            String file = p.getFileName().toString();
            String lower = file.toLowerCase(Locale.ROOT);
            if (Files.isDirectory(p)) {
                if (depthLeft > 0) children.add(scan(p, name + "/" + file, depthLeft - 1));
            } else if (file.equals("run.json")) {
                runJson = Optional.of(RunJson.of(dir));
            } else if (lower.endsWith(".png") && PngFile.hasSignature(p)) {
                images.add(p);
            } else if (lower.endsWith(".tsv") || lower.endsWith(".csv")) {
                tables.add(p);
            } else if (lower.endsWith(".json")) {
                json.add(p);
            } else {
                others.add(p);
            }
        }
        return new RunFolder(dir, name, DEPTH - depthLeft, runJson, images, tables, json, others, children);
    }

    /** Visible entries in name order, so that a report of the same folders is the same page. */
    private static List<Path> entries(Path dir) {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> !p.getFileName().toString().startsWith("."))
                    .sorted(Comparator.comparing(p -> p.getFileName().toString()))
                    .toList();
        } catch (IOException e) {
            throw InputException.unreadable(dir, e);
        }
    }

    /** Whether this folder has anything to show itself (folders that only hold folders get no section). */
    boolean hasResults() {
        return runJson.isPresent() || !images.isEmpty() || !tables.isEmpty() || !jsonFiles.isEmpty()
                || !otherFiles.isEmpty();
    }

    /** What run.json says the command was ("detect"), if it says. */
    Optional<String> command() {
        return runJson.flatMap(r -> r.optionalText("command"));
    }

    JsonObject provenance() {
        return runJson.map(RunJson::tree).orElseGet(JsonObject::new);
    }

    /** This folder and every folder below it, depth first, in name order. */
    Stream<RunFolder> flatten() {
        return Stream.concat(Stream.of(this), children.stream().flatMap(RunFolder::flatten));
    }
}
