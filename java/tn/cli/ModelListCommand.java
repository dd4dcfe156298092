package tn.cli;

import picocli.CommandLine.Mixin;
import tn.io.Json;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import tn.hub.CachedModel;
import tn.hub.Catalog;
import tn.hub.HubFile;
import tn.hub.ModelCache;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

@Command(name = "list", mixinStandardHelpOptions = true,
        description = {"Lists the GGUF files in the model cache (size, file type, architecture, path) and the "
                        + "models of tn's catalog, with the quantizations already downloaded.",
                "", "A file that is not a readable GGUF is listed as unreadable, with the reason."})
final class ModelListCommand implements Callable<Integer> {
    @Mixin
    ModelCacheOption cache;

    @Mixin
    JsonOption json;

    @Spec
    CommandSpec spec;

    /** A catalog model's quantization and whether it is in the cache. */
    record CatalogFile(String name, String repo, String quant, String file, boolean paper, boolean present, Path path) {
    }

    @Override
    public Integer call() {
        ModelCache models = ModelCache.locate(cache.dir);
        List<CachedModel> files = models.ggufFiles().stream().map(CachedModel::inspect).toList();
        List<CatalogFile> catalog = new ArrayList<>();
        for (Catalog.Entry e : Catalog.bundled().entries()) {
            for (Map.Entry<String, String> f : e.files().entrySet()) {
                Path path = models.path(new HubFile(e.repo(), f.getValue(), "main"));
                catalog.add(new CatalogFile(
                        e.name(), e.repo(), f.getKey(), f.getValue(), e.paper(), Files.isRegularFile(path), path));
            }
        }
        PrintWriter out = spec.commandLine().getOut();
        if (json.json)
            printJson(out, models, files, catalog);
        else
            printTable(out, models, files, catalog);
        out.flush();
        return 0;
    }

    private static void printTable(
            PrintWriter out, ModelCache cache, List<CachedModel> files, List<CatalogFile> catalog) {
        out.println("Model cache " + cache.dir().toAbsolutePath() + ": "
                + (files.isEmpty() ? "no GGUF files" : files.size() + " GGUF file" + (files.size() == 1 ? "" : "s")));
        for (CachedModel m : files) {
            String what = m.readable() ? String.format("%-8s %-10s", m.fileType(), m.architecture())
                                       : "unreadable (" + m.error() + ")";
            out.printf("  %10s  %s  %s%n", size(m.bytes()), what, m.path().toAbsolutePath());
        }
        out.println();
        out.println("Catalog (download with: tn model pull NAME --quant QUANT; * = a model of the paper):");
        Map<String, List<CatalogFile>> byModel = new LinkedHashMap<>();
        for (CatalogFile f : catalog) byModel.computeIfAbsent(f.name(), k -> new ArrayList<>()).add(f);
        for (List<CatalogFile> quants : byModel.values()) {
            CatalogFile first = quants.get(0);
            StringBuilder line = new StringBuilder(
                    String.format("  %-24s %-36s", first.name() + (first.paper() ? " *" : ""), first.repo()));
            for (CatalogFile q : quants) line.append(' ').append(q.quant()).append(q.present() ? " (present)" : "");
            out.println(line);
        }
    }

    private static void printJson(
            PrintWriter out, ModelCache cache, List<CachedModel> files, List<CatalogFile> catalog) {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("cache", cache.dir().toAbsolutePath().toString());
        List<Map<String, Object>> fileList = new ArrayList<>();
        for (CachedModel m : files) {
            Map<String, Object> f = new LinkedHashMap<>();
            f.put("path", m.path().toAbsolutePath().toString());
            f.put("bytes", m.bytes());
            f.put("readable", m.readable());
            f.put("fileType", m.fileType());
            f.put("architecture", m.architecture());
            f.put("sha256", m.sha256());
            f.put("error", m.error());
            fileList.add(f);
        }
        root.put("files", fileList);
        List<Map<String, Object>> catalogList = new ArrayList<>();
        for (CatalogFile c : catalog) {
            Map<String, Object> f = new LinkedHashMap<>();
            f.put("name", c.name());
            f.put("repo", c.repo());
            f.put("quant", c.quant());
            f.put("file", c.file());
            f.put("paper", c.paper());
            f.put("present", c.present());
            f.put("path", c.path().toAbsolutePath().toString());
            catalogList.add(f);
        }
        root.put("catalog", catalogList);
        out.println(Json.text(root));
    }

    private static String size(long bytes) {
        if (bytes < 0) return "?";
        if (bytes < 1000) return bytes + " B";
        String[] units = {"kB", "MB", "GB", "TB"};
        double v = bytes;
        int u = -1;
        while (v >= 1000 && u < units.length - 1) {
            v /= 1000;
            u++;
        }
        return String.format("%.1f %s", v, units[u]);
    }
}
