package tn.run;

import tn.data.Dataset;
import tn.io.Sha256;
import tn.llama.ModelInfo;
import tn.model.FileType;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** run.json: what ran, on what, with which parameters, on which data, and how long it took. */
final class RunRecord {
    private RunRecord() {}

    static String toolVersion() {
        String v = RunRecord.class.getPackage().getImplementationVersion();
        return v == null ? "development build" : v;
    }

    static Map<String, Object> model(ModelInfo info, String sha256) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("path", info.path().toAbsolutePath().toString());
        m.put("sha256", sha256);
        m.put("size_bytes", info.path().toFile().length());
        m.put("architecture", info.architecture());
        m.put("description", info.description());
        m.put("n_layer", info.nLayer());
        m.put("n_embd", info.nEmbd());
        m.put("n_ff", info.nFf());
        m.put("n_head", info.nHead());
        m.put("n_head_kv", info.nHeadKv());
        m.put("n_vocab", info.nVocab());
        m.put("n_params", info.nParams());
        m.put("file_type", FileType.nameOf(info.fileType()));
        return m;
    }

    /**
     * The data's identity: one file's sha256, or for several files the sha256 of their sha256
     * values (hex, one per line, in the order read), so that it changes with any file or the order.
     */
    static String sha256(List<Dataset> data) {
        if (data.size() == 1) return data.get(0).sha256();
        return Sha256.of(
                String.join("\n", data.stream().map(Dataset::sha256).toList()).getBytes(StandardCharsets.US_ASCII));
    }

    /** run.json's dataset: one file's record, or for several, each file's and the totals. */
    static Map<String, Object> dataset(List<Dataset> data, Items items) {
        if (data.size() == 1) return dataset(data.get(0), items);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("sha256", sha256(data));
        m.put("sha256_of", "the files' sha256 values, hex, one per line, in this order");
        List<Map<String, Object>> files = new ArrayList<>();
        for (int g = 0; g < data.size(); g++) {
            Dataset d = data.get(g);
            Map<String, Object> f = new LinkedHashMap<>();
            f.put("path", d.path().toAbsolutePath().toString());
            f.put("sha256", d.sha256());
            f.put("format", d.format());
            f.put("items_read", d.size());
            f.put("items_used", items.groupSize(g));
            f.put("skipped_empty", d.skippedEmpty());
            files.add(f);
        }
        m.put("files", files);
        m.put("items_used", items.size());
        m.put("skipped_too_long", items.skippedTooLong());
        m.put("tokens_used", items.tokens());
        return m;
    }

    private static Map<String, Object> dataset(Dataset data, Items items) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("path", data.path().toAbsolutePath().toString());
        m.put("sha256", data.sha256());
        m.put("format", data.format());
        m.put("shape", data.shape() == Dataset.Shape.PARALLEL ? "pairs" : "monolingual");
        m.put("items_read", data.size());
        m.put("items_used", items.size());
        m.put("skipped_empty", data.skippedEmpty());
        m.put("skipped_too_long", items.skippedTooLong());
        m.put("tokens_used", items.tokens());
        return m;
    }

    /** The peak resident set of this process in bytes (VmHWM), or null where /proc has none. */
    static Long peakRssBytes() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmHWM:")) return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
            }
        } catch (IOException | RuntimeException e) {
            // not Linux: no figure
        }
        return null;
    }

    static List<String> names(List<Path> files) {
        return files.stream().map(p -> p.getFileName().toString()).toList();
    }
}
