package tn.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import tn.model.FileType;
import tn.model.SyntheticModel;
import tn.model.Vocabulary;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;

@Command(name = "model", description = "Model files: download from the hub (pull), list the cache and catalog (list), synthesize test models (synth).",
        mixinStandardHelpOptions = true, subcommands = {ModelPullCommand.class, ModelListCommand.class, ModelCommand.Synth.class})
final class ModelCommand implements Runnable {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
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
