package tn.model;

import tn.io.InvalidValueException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * Real tokenizers from llama.cpp's vocabulary-only GGUFs (models/ggml-vocab-*.gguf), packed into
 * tn's jar at build time. A synthetic model copies one of them, so its tokenization is a real
 * model's.
 */
public enum Vocabulary {
    /** Llama 2's SentencePiece tokenizer (32k tokens); byte fallback covers every script. */
    LLAMA_SPM("llama-spm"),
    /** Llama 3's BPE tokenizer (128k tokens). */
    LLAMA_BPE("llama-bpe"),
    /** Qwen2's BPE tokenizer (151k tokens), strongly multilingual; Qwen3 uses it too. */
    QWEN2("qwen2"),
    /** Command R's BPE tokenizer (256k tokens), Aya's: made for 23 languages. */
    COMMAND_R("command-r"),
    /** Phi-3's SentencePiece tokenizer (32k tokens, Llama 2's with chat tokens). */
    PHI3("phi-3");

    public final String id;

    Vocabulary(String id) {
        this.id = id;
    }

    public static Vocabulary parse(String name) {
        for (Vocabulary v : values()) {
            if (v.id.equalsIgnoreCase(name) || v.name().equalsIgnoreCase(name.replace('-', '_'))) return v;
        }
        throw new InvalidValueException("unknown vocabulary '{}'; known: {}", name,
                Arrays.stream(values()).map(v -> v.id).collect(Collectors.joining(", ")));
    }

    /** The vocabulary GGUF as a file (extracted from the jar into a temporary file if needed). */
    public Path file() {
        String resource = "/tn/vocab/ggml-vocab-" + id + ".gguf";
        try (InputStream in = Vocabulary.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("vocabulary " + id + " is not packed in tn's jar (" + resource
                        + "); rebuild with scripts/build");
            }
            Path tmp = Files.createTempFile("tn-vocab-" + id.toLowerCase(Locale.ROOT) + "-", ".gguf");
            tmp.toFile().deleteOnExit();
            Files.copy(in, tmp, StandardCopyOption.REPLACE_EXISTING);
            return tmp;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot extract vocabulary " + id + ": " + e.getMessage(), e);
        }
    }
}
