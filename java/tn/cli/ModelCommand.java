package tn.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import tn.io.InputFile;
import tn.io.Json;
import tn.llama.SessionOptions;
import tn.model.ModelSummary;
import tn.model.QuantizeProgress;
import tn.model.Quantizer;
import tn.model.FileType;
import tn.model.SyntheticModel;
import tn.model.Vocabulary;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;

@Command(name = "model", mixinStandardHelpOptions = true,
        description = "Model files: facts of a GGUF (info), quantize, download from a hub (pull), list the cache and "
                + "the catalog (list), synthesize test models (synth).",
        subcommands = {ModelCommand.Info.class, ModelCommand.Quantize.class, ModelPullCommand.class,
                ModelListCommand.class, ModelCommand.Synth.class})
final class ModelCommand implements Runnable {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    @Command(name = "info", mixinStandardHelpOptions = true,
            description = {"Shows what a GGUF file holds: architecture, layers, n_embd, n_ff, heads, KV heads, context "
                    + "length, tokenizer, vocabulary size, file type, tensors per ggml type, parameters, size, bits "
                    + "per weight and sha256.",
                    "",
                    "Read from the file's metadata and tensor index (no model is loaded). The sha256 is computed once "
                    + "per file and cached (in $TN_CACHE, else ~/.cache/tn) while the file's size and time stay."})
    static final class Info implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "MODEL.gguf", description = "The GGUF file.")
        Path model;
        @Option(names = "--json", description = "Print one JSON object instead of a table.")
        boolean json;

        @Override
        public Integer call() {
            InputFile.check(model);
            ModelSummary s = ModelSummary.of(model);
            if (json) {
                System.out.println(Json.text(s));
                return 0;
            }
            String[][] rows = {
                    {"file", s.path().toString()}, {"name", text(s.name())}, {"architecture", text(s.architecture())},
                    {"layers", text(s.nLayer())}, {"n_embd", text(s.nEmbd())}, {"n_ff", text(s.nFf())},
                    {"heads", text(s.nHead())}, {"KV heads", text(s.nHeadKv())},
                    {"context length", text(s.contextLength())}, {"tokenizer", text(s.tokenizer())},
                    {"vocabulary", text(s.vocabSize())}, {"file type", s.fileType()},
                    {"tensors", s.nTensors() + " (" + s.tensorsByType().entrySet().stream()
                            .map(e -> e.getKey() + " " + e.getValue()).collect(Collectors.joining(", ")) + ")"},
                    {"parameters", String.format("%,d", s.nParams())},
                    {"size", String.format("%,d bytes (%.2f GiB)", s.sizeBytes(), s.sizeBytes() / (double) (1L << 30))},
                    {"bits per weight", String.format("%.3f", s.bitsPerWeight())}, {"sha256", s.sha256()}};
            for (String[] row : rows) System.out.printf("%-16s %s%n", row[0], row[1]);
            return 0;
        }

        private static String text(Object value) {
            return value == null ? "-" : value.toString();
        }

    }

    @Command(name = "quantize", mixinStandardHelpOptions = true,
            description = {"Quantizes a GGUF model with llama.cpp's llama_model_quantize.",
                    "",
                    "The output is written to a temporary file and renamed when complete, so an interrupted "
                    + "quantization leaves nothing behind. Types that need an importance matrix (IQ1_*, IQ2_*, "
                    + "IQ3_XXS, IQ3_XS, Q2_K_S) are refused."})
    static final class Quantize implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "IN.gguf", description = "The model to quantize (F32, F16, BF16 or Q8_0 are "
                + "the usual sources).")
        Path in;
        @Parameters(index = "1", paramLabel = "OUT.gguf", description = "The quantized model to write.")
        Path out;
        @Option(names = "--type", required = true,
                description = "Target type: Q8_0, Q6_K, Q5_K_M, Q5_K_S, Q4_K_M, Q4_K_S, Q3_K_M, Q3_K_S, Q3_K_L, Q2_K, "
                        + "Q4_0, Q5_0, IQ4_NL, IQ4_XS, F16, BF16, ...")
        String type;
        @Option(names = "--force", description = "Overwrite OUT.gguf if it exists.")
        boolean force;
        @Option(names = "--threads", defaultValue = "0", description = "Threads (default: every core).")
        int threads;
        @Option(names = "--quiet", description = "No progress.")
        boolean quiet;

        @Override
        public Integer call() {
            FileType target = FileType.parse(type);
            SessionOptions.checkThreads(threads, "--threads");
            InputFile.check(in);
            if (Files.exists(out) && !force) {
                throw new IllegalArgumentException(out + " exists; use --force to overwrite it");
            }
            if (in.toAbsolutePath().normalize().equals(out.toAbsolutePath().normalize())) {
                throw new IllegalArgumentException("OUT.gguf must differ from IN.gguf");
            }
            long t0 = System.nanoTime();
            try (QuantizeProgress progress = new QuantizeProgress(target, quiet, tn.io.Console.system())) {
                Quantizer.quantize(in, out, target, threads, progress);
            }
            System.out.printf("wrote %s (%s, %,d bytes) in %.1f s%n", out, target, out.toFile().length(),
                    (System.nanoTime() - t0) / 1e9);
            return 0;
        }
    }

    @Command(name = "synth", mixinStandardHelpOptions = true,
            description = {"Writes a small llama-architecture GGUF with random weights and a real tokenizer.",
                    "",
                    "Weights are seeded (the same options give the same file); the tokenizer comes from "
                    + "llama.cpp's vocabulary files. Such a model runs every code path of tn, but being random "
                    + "it has no real transfer neurons."})
    static final class Synth implements Callable<Integer> {
        @Option(names = "--out", required = true, description = "The GGUF file to write.")
        Path out;
        @Option(names = "--layers", defaultValue = "6", description = "Number of layers (default: ${DEFAULT-VALUE}).")
        int layers;
        @Option(names = "--embd", defaultValue = "128", description = "Hidden size d (default: ${DEFAULT-VALUE}).")
        int embd;
        @Option(names = "--ff", defaultValue = "384", description = "MLP width n_ff: neurons per layer (default: ${DEFAULT-VALUE}).")
        int ff;
        @Option(names = "--heads", defaultValue = "4", description = "Attention heads (default: ${DEFAULT-VALUE}).")
        int heads;
        @Option(names = "--kv-heads", defaultValue = "2", description = "Key/value heads, dividing --heads (default: ${DEFAULT-VALUE}).")
        int kvHeads;
        @Option(names = "--vocab", defaultValue = "llama-spm",
                description = "Tokenizer: llama-spm, llama-bpe or qwen2 (default: ${DEFAULT-VALUE}).")
        String vocab;
        @Option(names = "--seed", defaultValue = "1", description = "Random seed of the weights (default: ${DEFAULT-VALUE}).")
        long seed;
        @Option(names = "--type", defaultValue = "F32",
                description = "File type: F32, F16, Q8_0, Q6_K, Q5_K_M, Q4_K_M, Q3_K_M, Q2_K, ... (default: ${DEFAULT-VALUE}).")
        String type;
        @Option(names = "--force", description = "Overwrite --out if it exists.")
        boolean force;

        @Override
        public Integer call() {
            SyntheticModel spec = new SyntheticModel(layers, embd, ff, heads, kvHeads, Vocabulary.parse(vocab), seed,
                    FileType.parse(type));
            if (Files.exists(out) && !force) {
                throw new IllegalArgumentException(out + " exists; use --force to overwrite it");
            }
            long t0 = System.nanoTime();
            spec.write(out);
            System.out.printf("wrote %s (%s, %d layers, d %d, n_ff %d, %d heads, %d KV heads, %s tokenizer, seed %d) "
                            + "in %.1f s%n", out, spec.type(), layers, embd, ff, heads, kvHeads, spec.vocabulary().id,
                    seed, (System.nanoTime() - t0) / 1e9);
            return 0;
        }
    }
}
