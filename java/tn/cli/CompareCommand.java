package tn.cli;

import java.io.PrintWriter;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import tn.compare.Comparison;
import tn.compare.DetectionOutput;

import tn.io.Json;
import tn.run.OutputFolder;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

@Command(name = "compare", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Compares the rankings of several detection runs of one model family and transfer type, "
                        + "typically one per quantization, with a reference run.",
                "", "A run is a 'tn detect' folder or one of the original implementation's rankings as its "
                        + "detect_tn.py writes them: {lang}_{type}_top{n}_score_dict.pkl (every candidate neuron's "
                        + "score: every figure below but the sampling noise) or {lang}_{type}_top{n}.pkl (its top n "
                        + "without scores: top-k overlaps for k <= n, landing ranks, and per-layer counts if n >= "
                        + "--top-n; no rank correlations, shown as '-' and null; a reference neuron the list lacks "
                        + "ranks '>n'). The language and type come from "
                        + "the pickle's name, the candidate layers and n_ff from the dict (a Type-2 dict, scoring "
                        + "every layer, is cut to the Type-2 candidate layers as the original ranks them); sides that "
                        + "cannot rank the same neurons are refused (exit 3).",
                "", "For each run against the reference, over every candidate neuron's score (scores.npy):",
                "  Spearman's rho and Kendall's tau-b, ties averaged as SciPy's spearmanr and kendalltau "
                        + "(Apache Commons Math);",
                "  top-k overlap |A_k & B_k| / k and Jaccard |A_k & B_k| / |A_k | B_k| for k = 10, 100, 1000 "
                        + "(capped by the number of candidates);",
                "  the median and 90th-percentile rank, in the run, of the reference's top n;",
                "  and how many of each run's top n lie in each layer.", "",
                "Next to the sampling noise (runs made by tn detect keep it): the reference's own bootstrap agreement "
                        + "(stability.json), i.e. how far a fresh sample of as many sentences would move its ranking; a run "
                        + "agreeing less than its 5th percentile is 'beyond' sampling noise, else 'within'. And neuron by "
                        + "neuron, the score shift against its standard error: moved.tsv lists the neurons that moved by "
                        + "more than --z standard errors, shift_vs_se.png shows each layer's RMS shift beside the "
                        + "reference's RMS standard error.",
                "",
                "Rankings order scores from high to low, ties to the lower (layer, neuron), as tn detect does. "
                        + "Prints a table and writes DIR/compare.tsv, DIR/compare.json, DIR/layer_counts.tsv, "
                        + "DIR/layers.png (top-n per layer, side by side) and DIR/agreement_vs_bpw.png (Spearman, "
                        + "Kendall and overlap@k against bits per weight).",
                ""},
        footer = {"", "Examples:",
                "  tn compare runs/F16/detect runs/Q8_0/detect runs/Q4_K_M/detect --out runs/compare",
                "  tn compare --reference data/tn/ja_type1_top1000_score_dict.pkl runs/Q8_0/detect runs/Q4_K_M/detect "
                        + "--out runs/compare-original"})
final class CompareCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "RUN", arity = "1..*",
            description = "Folders of finished 'tn detect' runs (each with run.json and scores.npy), or the original "
                    + "implementation's {lang}_{type}_top{n}_score_dict.pkl or {lang}_{type}_top{n}.pkl.")
    List<Path> runs;

    @Option(names = "--reference", paramLabel = "RUN",
            description = "The run the others are compared with, a folder or a pickle as RUN (default: the first of "
                    + "the original's score dicts given, else the run whose model has the most bits per weight, "
                    + "i.e. the least quantized).")
    Path reference;

    @Option(names = "--top-n", defaultValue = "1000", paramLabel = "N",
            description = "The top n used for per-layer counts and for where the reference's top n landed "
                    + "(default: the paper's ${DEFAULT-VALUE}).")
    int topN;

    @Option(names = "--z", defaultValue = "3", paramLabel = "Z",
            description = "List the neurons whose score moved from the reference's by more than Z standard errors "
                    + "(sqrt(se_ref^2 + se_run^2), from the runs' scores_se.npy) (default: ${DEFAULT-VALUE}).")
    double z;

    @Mixin
    TablesOutOption out;

    @Mixin
    ForceOption force;

    @Mixin
    QuietOption quiet;

    @Mixin
    JsonOption json;

    @Override
    public Integer call() {
        if (out.dir != null) OutputFolder.refuseToReplace(out.dir, force.force);
        List<DetectionOutput> outputs = new ArrayList<>(runs.stream().map(DetectionOutput::read).toList());
        DetectionOutput ref;
        if (reference == null) {
            ref = outputs.stream()
                          .filter(o -> o.fromOriginal() && o.scored())
                          .findFirst()
                          .orElseGet(() -> outputs.stream()
                                                   .filter(o -> !o.fromOriginal())
                                                   .max(Comparator.comparingDouble(DetectionOutput::bitsPerWeight))
                                                   .orElse(outputs.get(0)));
        } else {
            Path wanted = reference.toAbsolutePath().normalize();
            ref = outputs.stream()
                          .filter(o -> o.dir().toAbsolutePath().normalize().equals(wanted))
                          .findFirst()
                          .orElseGet(() -> {
                              DetectionOutput r = DetectionOutput.read(reference);
                              outputs.add(0, r);
                              return r;
                          });
        }
        Comparison comparison = Comparison.of(outputs, ref, topN, z);
        PrintWriter stdout = spec.commandLine().getOut();
        List<Path> written = out.dir != null ? comparison.write(out.dir) : List.of(); // before anything is printed
        if (json.json) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("command", "compare");
            m.put("out", out.dir == null ? null : out.dir.toAbsolutePath().toString());
            m.put("files", Outcome.paths(written));
            m.put("comparison", Json.parse(comparison.json()));
            Outcome.json(spec, m);
        } else if (!quiet.quiet) {
            comparison.print(stdout);
            if (out.dir != null) stdout.println(Outcome.wrote(written, out.dir));
        }
        return 0;
    }
}
