package tn.model;

import tn.gguf.GgufFile;
import tn.gguf.GgufTensor;
import tn.io.InputException;
import tn.io.InputFile;
import tn.io.Sha256Cache;
import tn.llama.Architecture;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;

/**
 * What `tn model info` shows of a GGUF file, read from its metadata and tensor index through
 * ggml's gguf API (no model is loaded, so this is quick even for large files, apart from the
 * sha256, which is cached per file), with its architecture's row of tn's architecture table:
 * what tn supports for it and why not (null for a file without general.architecture).
 */
public record ModelSummary(Path path, String name, String architecture, Long nLayer, Long nEmbd, Long nFf, Long nHead,
        Long nHeadKv, Long contextLength, String tokenizer, Long vocabSize, String fileType, long nTensors,
        Map<String, Integer> tensorsByType, long nParams, long sizeBytes, double bitsPerWeight, String sha256,
        Architecture support) {
    public static ModelSummary of(Path path) {
        InputFile.check(path);
        long size;
        try {
            size = Files.size(path);
        } catch (IOException e) {
            throw InputException.unreadable(path, e);
        }
        try (GgufFile g = GgufFile.open(path)) {
            String arch = g.string("general.architecture").orElse(null);
            Map<String, Integer> byType = new TreeMap<>();
            long params = 0;
            for (GgufTensor t : g.tensors()) {
                byType.merge(t.typeName(), 1, Integer::sum);
                params += t.elements();
            }
            Long nFf = dimension(g, arch + ".feed_forward_length");
            if (nFf == null) { // some architectures store it per layer: the down projection says it
                nFf = g.tensor("blk.0.ffn_down.weight").map(t -> t.shape()[0]).orElse(null);
            }
            long vocab = g.arrayLength("tokenizer.ggml.tokens");
            return new ModelSummary(path, g.string("general.name").orElse(null), arch,
                    dimension(g, arch + ".block_count"), dimension(g, arch + ".embedding_length"), nFf,
                    dimension(g, arch + ".attention.head_count"), dimension(g, arch + ".attention.head_count_kv"),
                    dimension(g, arch + ".context_length"), g.string("tokenizer.ggml.model").orElse(null),
                    vocab >= 0 ? vocab : null, FileType.recordedIn(g).orElse("not recorded"), g.tensors().size(),
                    byType, params, size, params > 0 ? 8.0 * size / params : Double.NaN, Sha256Cache.of(path),
                    arch == null ? null : Architecture.of(arch));
        }
    }

    /** An integer hyperparameter, or null where it is absent or not a single integer (a per-layer array). */
    private static Long dimension(GgufFile g, String key) {
        if (!g.has(key) || g.arrayLength(key) >= 0) return null;
        return g.integer(key).getAsLong();
    }
}
