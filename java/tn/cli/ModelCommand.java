package tn.cli;

import java.io.PrintWriter;
import tn.io.InvalidValueException;
import tn.io.Console;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import tn.io.ControlChars;
import tn.io.InputFile;
import tn.io.Json;
import tn.llama.Architecture;
import tn.llama.SessionOptions;
import tn.model.ModelSummary;
import tn.model.QuantizationReport;
import tn.model.QuantizeProgress;
import tn.model.Quantizer;
import tn.model.FileType;
import tn.model.SyntheticArchitecture;
import tn.model.SyntheticModel;
import tn.model.Vocabulary;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;

@Command(name = "model", mixinStandardHelpOptions = true,
        description = "Model files: facts of a GGUF (info), quantize, download from a hub (pull), list the cache and "
                + "the catalog (list), synthesize test models (synth).",
        subcommands = {ModelCommand.Info.class, ModelCommand.Quantize.class, ModelPullCommand.class,
                ModelListCommand.class, ModelCommand.Synth.class})
final class ModelCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    @Command(name = "info", mixinStandardHelpOptions = true,
            description = {"Shows what a GGUF file holds: architecture, layers, n_embd, n_ff, heads, KV heads, context "
                            + "length, tokenizer, vocabulary size, file type, tensors per ggml type, parameters, size, bits "
                            + "per weight and sha256; and, from tn's architecture table, where x_l comes from and whether "
                            + "detection, the analyses and deactivation are supported for the architecture, and why not. "
                            + "tn refuses to run models whose architecture is not supported in full (exit 3).",
                    "",
                    "Read from the file's metadata and tensor index (no model is loaded). The sha256 is computed once "
                            + "per file and cached (in $TN_CACHE, else ~/.cache/tn) while the file's size and time stay."})
    static final class Info implements Callable<Integer> {
        @Spec
        CommandSpec spec;
        @Parameters(index = "0", paramLabel = "MODEL.gguf", description = "The GGUF file.")
        Path model;
        @Mixin
        JsonOption json;

        @Override
        public Integer call() {
            InputFile.check(model);
            ModelSummary s = ModelSummary.of(model);
            PrintWriter out = spec.commandLine().getOut();
            if (json.json) {
                out.println(Json.text(s));
                return 0;
            }
            String[][] rows = {{"file", s.path().toString()}, {"name", text(s.name())},
                    {"architecture", text(s.architecture())}, {"layers", text(s.nLayer())}, {"n_embd", text(s.nEmbd())},
                    {"n_ff", text(s.nFf())}, {"heads", text(s.nHead())}, {"KV heads", text(s.nHeadKv())},
                    {"context length", text(s.contextLength())}, {"tokenizer", text(s.tokenizer())},
                    {"vocabulary", text(s.vocabSize())}, {"file type", s.fileType()},
                    {"tensors",
                            s.nTensors() + " ("
                                    + s.tensorsByType()
                                            .entrySet()
                                            .stream()
                                            .map(e -> e.getKey() + " " + e.getValue())
                                            .collect(Collectors.joining(", "))
                                    + ")"},
                    {"parameters", String.format("%,d", s.nParams())},
                    {"size", String.format("%,d bytes (%.2f GiB)", s.sizeBytes(), s.sizeBytes() / (double) (1L << 30))},
                    {"bits per weight", String.format("%.3f", s.bitsPerWeight())}, {"sha256", s.sha256()}};
            // the metadata's strings are the file's to choose: an escape sequence or a newline is shown, not obeyed
            for (String[] row : rows) out.printf("%-16s %s%n", row[0], ControlChars.escape(row[1]));
            Architecture a = s.support();
            if (a != null) {
                String[][] support = {{"x_l", text(a.xL())}, {"detection", text(a.detection())},
                        {"analyses", text(a.analyses())}, {"deactivation", text(a.deactivation())}};
                for (String[] row : support) out.printf("%-16s %s%n", row[0], ControlChars.escape(row[1]));
            }
            return 0;
        }

        private static String text(Object value) {
            return value == null ? "-" : value.toString();
        }

        private static String text(Architecture.Support support) {
            return support.supported() ? "supported" : "not supported: " + support.reason();
        }
    }

    @Command(name = "quantize", mixinStandardHelpOptions = true,
            description = {"Quantizes a GGUF model with llama.cpp's llama_model_quantize.", "",
                    "The output is written in a hidden folder beside it, checked to load, and moved into place when "
                            + "complete; an interrupted quantization (Ctrl-C, SIGTERM) leaves nothing behind. Types that need an importance matrix (IQ1_*, IQ2_*, "
                            + "IQ3_XXS, IQ3_XS, Q2_K_S) are refused."})
    static final class Quantize implements Callable<Integer> {
        @Spec
        CommandSpec spec;
        @Parameters(index = "0", paramLabel = "IN.gguf",
                description = "The model to quantize (F32, F16, BF16 or Q8_0 are "
                        + "the usual sources).")
        Path in;
        @Parameters(index = "1", paramLabel = "OUT.gguf", description = "The quantized model to write.")
        Path out;
        @Option(names = "--type", required = true, paramLabel = "TYPE", converter = Converters.FileTypes.class,
                description = "Target type: Q8_0, Q6_K, Q5_K_M, Q5_K_S, Q4_K_M, Q4_K_S, Q3_K_M, Q3_K_S, Q3_K_L, Q2_K, "
                        + "Q4_0, Q5_0, IQ4_NL, IQ4_XS, F16, BF16, ...")
        FileType type;
        @Mixin
        ForceOption force;
        @Mixin
        ThreadsOption threads;
        @Mixin
        QuietOption quiet;
        @Mixin
        JsonOption json;

        @Override
        public Integer call() {
            SessionOptions.checkThreads(threads.threads); // before anything is made
            InputFile.check(in);
            refuseToOverwrite(out, force);
            if (in.toAbsolutePath().normalize().equals(out.toAbsolutePath().normalize())) {
                throw new InvalidValueException("OUT.gguf must differ from IN.gguf");
            }
            long t0 = System.nanoTime();
            Console console = Cli.console(spec);
            try (QuantizeProgress progress = new QuantizeProgress(type, quiet.quiet || json.json, console)) {
                Quantizer.quantize(in, out, type, threads.threads, progress);
            }
            QuantizationReport written = QuantizationReport.of(out, type);
            if (written.warning() != null) console.warn(written.warning());
            double seconds = (System.nanoTime() - t0) / 1e9;
            if (json.json) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("command", "model quantize");
                m.put("out", out.toAbsolutePath().toString());
                m.put("bytes", out.toFile().length());
                m.put("seconds", seconds);
                m.putAll(written.json());
                console.out().println(Json.compact(m));
            } else if (!quiet.quiet) {
                console.out().printf(Locale.ROOT, "%s: %s%n", out.getFileName(), written.summary());
                console.out().printf(Locale.ROOT, "wrote %s (%s, %,d bytes) in %.1f s%n", out, written.label(),
                        out.toFile().length(), seconds);
            }
            return 0;
        }
    }

    /** A file that exists is an error unless --force. */
    static void refuseToOverwrite(Path file, ForceOption force) {
        if (Files.exists(file) && !force.force)
            throw new InvalidValueException("{} exists; use --force to overwrite it", file);
    }

    @Command(name = "synth", mixinStandardHelpOptions = true,
            description = {"Writes a small GGUF of one of llama.cpp's architectures with random weights and a real "
                            + "tokenizer.",
                    "",
                    "Weights are seeded (the same options give the same file); the tokenizer comes from "
                            + "llama.cpp's vocabulary files. The file has the tensors and hyperparameters llama.cpp's loader "
                            + "reads for the architecture, so llama.cpp runs that architecture's own graph on it. Such a "
                            + "model runs every code path of tn, but being random it has no real transfer neurons."})
    static final class Synth implements Callable<Integer> {
        @Spec
        CommandSpec command;
        @Option(names = "--out", required = true, paramLabel = "FILE.gguf", description = "The GGUF file to write.")
        Path out;
        @Option(names = "--arch", defaultValue = "llama", paramLabel = "ARCH",
                description = "llama.cpp architecture: llama (Llama 2/3, Mistral), qwen2 (Qwen2.5: q/k/v biases, NEOX "
                        + "RoPE), qwen3 (q/k norms, own head size), command-r (Aya Expanse: LayerNorm, parallel "
                        + "block, logit scale), phi3 (fused q/k/v and gate/up) (default: ${DEFAULT-VALUE}).")
        String arch;
        @Option(names = "--layers", paramLabel = "N", defaultValue = "6",
                description = "Number of layers (default: ${DEFAULT-VALUE}).")
        int layers;
        @Option(names = "--embd", paramLabel = "D", defaultValue = "128",
                description = "Hidden size d (default: ${DEFAULT-VALUE}).")
        int embd;
        @Option(names = "--ff", paramLabel = "F", defaultValue = "384",
                description = "MLP width n_ff: neurons per layer (default: ${DEFAULT-VALUE}).")
        int ff;
        @Option(names = "--heads", paramLabel = "N", defaultValue = "4",
                description = "Attention heads (default: ${DEFAULT-VALUE}).")
        int heads;
        @Option(names = "--kv-heads", paramLabel = "N", defaultValue = "2",
                description = "Key/value heads, dividing --heads (default: ${DEFAULT-VALUE}).")
        int kvHeads;
        @Option(names = "--head-size", paramLabel = "N",
                description = "Size of an attention head, for --arch qwen3 only (default: "
                        + "--embd / --heads).")
        Integer headSize;
        @Option(names = "--vocab", paramLabel = "NAME",
                description = "Tokenizer: llama-spm, llama-bpe, qwen2, command-r or phi-3 (default: the architecture's "
                        + "own: llama-spm for llama, qwen2 for qwen2 and qwen3, command-r for command-r, phi-3 for phi3).")
        String vocab;
        @Option(names = "--seed", paramLabel = "S", defaultValue = "1",
                description = "Random seed of the weights (default: ${DEFAULT-VALUE}).")
        long seed;
        @Option(names = "--type", paramLabel = "TYPE", defaultValue = "F32",
                description =
                        "File type: F32, F16, Q8_0, Q6_K, Q5_K_M, Q4_K_M, Q3_K_M, Q2_K, ... (default: ${DEFAULT-VALUE}).")
        String type;
        @Mixin
        ForceOption force;

        @Override
        public Integer call() {
            SyntheticArchitecture architecture = SyntheticArchitecture.parse(arch);
            if (heads < 1) throw new InvalidValueException("--heads must be at least 1, not {}", heads);
            SyntheticModel spec = new SyntheticModel(architecture, layers, embd, ff, heads, kvHeads,
                    headSize != null ? headSize : embd / heads,
                    vocab != null ? Vocabulary.parse(vocab) : architecture.vocabulary, seed, FileType.parse(type));
            refuseToOverwrite(out, force);
            long t0 = System.nanoTime();
            spec.write(out);
            command.commandLine().getOut().printf(
                    "wrote %s (%s, %s, %d layers, d %d, n_ff %d, %d heads of %d, %d KV heads, %s tokenizer, "
                            + "seed %d) in %.1f s%n",
                    out, architecture.id, spec.type(), layers, embd, ff, heads, spec.headSize(), kvHeads,
                    spec.vocabulary().id, seed, (System.nanoTime() - t0) / 1e9);
            return 0;
        }
    }
}
