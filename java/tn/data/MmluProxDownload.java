package tn.data;

import com.google.gson.JsonObject;
import tn.io.InputException;
import tn.io.Json;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * One language of MMLU-ProX as a user downloads it from Hugging Face (li-lab/MMLU-ProX: a
 * config per language, each with a test and a validation split), turned into the two files tn
 * reasoning takes. A split is found in DIR/LANG, or in DIR itself when DIR is the language's
 * folder, as the first of: the hub's shards SPLIT-00000-of-0000N.parquet (hf download,
 * huggingface_hub's cache snapshots), the dataset viewer's conversion SPLIT/0000.parquet,
 * SPLIT.parquet, SPLIT.jsonl(.gz) (a split exported by datasets' to_json). Its shards are read
 * in name order and written as one JSONL file with the fields reasoning reads, so that one file
 * per split stands for any number of shards.
 */
public final class MmluProxDownload {
    public static final List<String> SPLITS = List.of("test", "validation");

    /** A split: the shards read, and the rows they hold together, in order. */
    public record Split(String name, List<MmluProxFile.Rows> shards, int rows) {}

    private MmluProxDownload() {}

    /** The files holding split of lang under dir, in order; none is an error naming where it looked. */
    public static List<Path> shards(Path dir, String lang, String split) {
        if (!Files.isDirectory(dir)) throw new InputException(dir + ": not a folder");
        List<String> looked = new ArrayList<>();
        for (Path base : List.of(dir.resolve(lang), dir)) {
            if (!Files.isDirectory(base)) continue;
            List<Path> found = matching(base, f -> f.startsWith(split + "-") && f.endsWith(".parquet"));
            looked.add(base.resolve(split + "-*.parquet").toString());
            if (found.isEmpty() && Files.isDirectory(base.resolve(split))) {
                found = matching(base.resolve(split), f -> f.endsWith(".parquet"));
                looked.add(base.resolve(split).resolve("*.parquet").toString());
            }
            for (String single : List.of(".parquet", ".jsonl", ".jsonl.gz")) {
                if (!found.isEmpty()) break;
                Path f = base.resolve(split + single);
                looked.add(f.toString());
                if (Files.isRegularFile(f)) found = List.of(f);
            }
            if (!found.isEmpty()) return found;
        }
        throw new InputException("no MMLU-ProX " + split + " split of '" + lang + "' in " + dir + " (looked for "
                + String.join(", ", looked) + "); download it with: hf download li-lab/MMLU-ProX --repo-type dataset "
                + "--include '" + lang + "/*' --local-dir " + dir);
    }

    private static List<Path> matching(Path folder, Predicate<String> name) {
        try (Stream<Path> files = Files.list(folder)) {
            return files.filter(f -> Files.isRegularFile(f) && name.test(f.getFileName().toString())).sorted().toList();
        } catch (IOException e) {
            throw InputException.unreadable(folder, e);
        }
    }

    /**
     * Reads the test and validation splits of lang under from (every file before writing any) and
     * writes test.jsonl, validation.jsonl and manifest.json with writer.
     */
    public static List<Split> convert(Path from, String lang, DatasetWriter writer) {
        List<Split> splits = new ArrayList<>();
        for (String split : SPLITS) {
            List<MmluProxFile.Rows> shards = new ArrayList<>();
            for (Path f : shards(from, lang, split)) shards.add(MmluProxFile.read(f));
            splits.add(new Split(split, List.copyOf(shards), shards.stream().mapToInt(s -> s.rows().size()).sum()));
        }
        for (Split s : splits) {
            StringBuilder jsonl = new StringBuilder();
            for (MmluProxFile.Rows shard : s.shards())
                for (MmluProxFile.Row r : shard.rows()) jsonl.append(Json.compact(json(r))).append('\n');
            writer.write(s.name() + ".jsonl", jsonl.toString().getBytes(StandardCharsets.UTF_8), s.rows());
        }
        writer.manifest(manifest(from, lang, splits, writer.outputs()));
        return splits;
    }

    /**
     * A row with the release's fields and types: question_id a number where it is one (the
     * release's int64), absent options null, as the parquet file has them.
     */
    static JsonObject json(MmluProxFile.Row r) {
        JsonObject o = new JsonObject();
        if (r.questionId().matches("-?[0-9]{1,18}"))
            o.addProperty("question_id", Long.parseLong(r.questionId()));
        else
            o.addProperty("question_id", r.questionId());
        o.addProperty("question", r.question());
        for (int i = 0; i < MmluProxFile.OPTIONS; i++) o.addProperty("option_" + i, r.options().get(i));
        o.addProperty("answer", r.answer());
        o.addProperty("answer_index", r.answerIndex());
        o.addProperty("cot_content", r.cotContent());
        o.addProperty("category", r.category());
        return o;
    }

    private static Map<String, Object> manifest(
            Path from, String lang, List<Split> splits, List<DatasetWriter.Output> outputs) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("command", "tn data mmlu-prox");
        m.put("lang", lang);
        m.put("from", from.toAbsolutePath().normalize().toString());
        Map<String, Object> sources = new LinkedHashMap<>();
        for (Split s : splits) {
            List<Map<String, Object>> files = new ArrayList<>();
            Map<String, Integer> categories = new TreeMap<>();
            for (MmluProxFile.Rows shard : s.shards()) {
                Map<String, Object> f = new LinkedHashMap<>();
                f.put("path", shard.file().toAbsolutePath().normalize().toString());
                f.put("format", shard.format());
                f.put("rows", shard.rows().size());
                f.put("sha256", shard.sha256());
                files.add(f);
                for (MmluProxFile.Row r : shard.rows()) categories.merge(r.category(), 1, Integer::sum);
            }
            Map<String, Object> e = new LinkedHashMap<>();
            e.put("files", files);
            e.put("rows", s.rows());
            e.put("rows_per_category", categories);
            sources.put(s.name(), e);
        }
        m.put("splits", sources);
        List<Map<String, Object>> out = new ArrayList<>();
        for (DatasetWriter.Output o : outputs) {
            Map<String, Object> e = new LinkedHashMap<>();
            e.put("file", o.file());
            e.put("items", o.items());
            e.put("sha256", o.sha256());
            out.add(e);
        }
        m.put("outputs", out);
        return m;
    }
}
