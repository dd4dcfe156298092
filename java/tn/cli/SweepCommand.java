package tn.cli;

import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import tn.method.LayerRange;
import tn.model.FileType;
import tn.sweep.Sweep;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

@Command(name = "sweep", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"How far quantization moves the ranking: quantizes a base model to each type, runs "
                + "centroids and detection on the base and on every variant (each variant with its own centroids, "
                + "as a user of that variant would), then compares every ranking with the base model's "
                + "(as 'tn compare').", "",
                "Writes, under --out: models/STEM.TYPE.gguf (the variants), base-FILETYPE/ and TYPE/ with "
                        + "centroids/ and detect/ runs, compare/ (tables and plots) and sweep.json (what each step "
                        + "did and how long it took).", "",
                "Resumable at every step: run the same command again and quantizations that exist, and runs that "
                        + "finished with the same inputs, are skipped; an interrupted run continues from its "
                        + "checkpoint (--resume is implied). A finished run made with other inputs is an error, "
                        + "never silently reused.", ""},
        footer = {"", "Example:", "  tn sweep --model qwen2.5-0.5b-f16.gguf --types Q8_0,Q6_K,Q4_K_M,Q3_K_M,Q2_K "
                + "--lang ja --type type1 --centroid-sentences en-ja.tsv --sentences ja.txt --out sweep-ja"})
final class SweepCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--model", required = true, paramLabel = "BASE.gguf",
            description = "The base model (F32, F16 or BF16 for a clean reference), quantized to each of --types.")
    Path model;

    @Option(names = "--types", required = true, split = ",", paramLabel = "TYPE", converter = Converters.FileTypes.class,
            description = "Quantization types, e.g. Q8_0,Q6_K,Q5_K_M,Q4_K_M,Q3_K_M,Q2_K.")
    List<FileType> types;

    @Mixin
    TransferTypeOptions which;

    @Option(names = "--centroid-sentences", required = true, paramLabel = "FILE",
            description = "Centroid data, as for 'tn centroids': en-L2 pairs for type1, L2 sentences for type2.")
    Path centroidSentences;

    @Option(names = "--sentences", required = true, paramLabel = "FILE",
            description = "L2 sentences for detection, as for 'tn detect'.")
    Path sentences;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "The sweep's folder (created if missing).")
    Path out;

    @Option(names = "--top-n", defaultValue = "1000", paramLabel = "N",
            description = "Neurons in each ranking.tsv, and the top n of the comparison (default: ${DEFAULT-VALUE}).")
    int topN;

    @Option(names = "--layers", paramLabel = "A:B", converter = Converters.LayerRanges.class,
            description = "Candidate layers A..B-1 (0-based, B exclusive) instead of the type's default.")
    LayerRange layers;

    @Mixin
    RunOptions run;

    @Override
    public Integer call() {
        new Sweep(new Sweep.Plan(model, types, which.type, which.lang, centroidSentences, sentences, out, topN, layers),
                run.settings(), Cli.console(spec)).run();
        return 0;
    }
}
