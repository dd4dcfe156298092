package tn.cli;

import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine;
import tn.io.Json;
import tn.jobs.Plan;
import tn.jobs.Step;
import tn.method.TransferType;
import tn.model.FileType;
import tn.sweep.Sweep;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

@Command(name = "sweep", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"How far quantization moves the ranking: quantizes a base model to each type, runs "
                        + "centroids and detection on the base and on every variant (each variant with its own centroids, "
                        + "as a user of that variant would), then compares every ranking with the base model's "
                        + "(as 'tn compare').",
                "",
                "Writes, under --out: models/STEM.TYPE.gguf (the variants), base-FILETYPE/ and TYPE/ with "
                        + "centroids/ and detect/ runs, compare/ (tables and plots) and sweep.json (what each step "
                        + "did and how long it took).",
                "",
                "Resumable at every step: run the same command again and quantizations that exist, and runs that "
                        + "finished with the same inputs, are skipped; an interrupted run continues from its "
                        + "checkpoint (--resume is implied). A finished run made with other inputs is an error, "
                        + "never silently reused.",
                "",
                "--executor slurm submits the same steps as Slurm jobs, all at once: each quantization, then each "
                        + "variant's centroids and detection (waiting for what they need; each split into --shards N "
                        + "if asked), then one job that runs this sweep locally, which finds every run finished, "
                        + "compares and writes sweep.json. 'tn slurm resume OUT' resubmits what did not finish.",
                ""},
        footer = {"", "Example:",
                "  tn sweep --model qwen2.5-0.5b-f16.gguf --quant-types Q8_0,Q6_K,Q4_K_M,Q3_K_M,Q2_K "
                        + "--lang ja --type type1 --pairs en-ja.tsv --sentences ja.txt --out sweep-ja"})
final class SweepCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--model", required = true, paramLabel = "BASE.gguf",
            description =
                    "The base model (F32, F16 or BF16 for a clean reference), quantized to each of --quant-types.")
    Path model;

    @Option(names = "--quant-types", split = ",", paramLabel = "TYPE", converter = Converters.FileTypes.class,
            description = "Quantization types (required), e.g. Q8_0,Q6_K,Q5_K_M,Q4_K_M,Q3_K_M,Q2_K; --type is the "
                    + "transfer type.")
    List<FileType> types;

    /** The spelling before --quant-types. */
    @Option(names = "--types", hidden = true, split = ",", converter = Converters.FileTypes.class)
    List<FileType> typesAlias;

    @Mixin
    TransferTypeOptions which;

    @Option(names = "--pairs", paramLabel = "FILE",
            description = "type1: en/L2 pairs for the centroids, as for 'tn centroids --pairs' (required for type1).")
    Path pairs;

    /** The spelling before --pairs: the centroids' data of either type. */
    @Option(names = "--centroid-sentences", hidden = true)
    Path centroidSentences;

    @Option(names = "--sentences", required = true, paramLabel = "FILE",
            description = "L2 sentences for detection, as for 'tn detect', and for type2 the centroids.")
    Path sentences;

    @Option(names = "--out", required = true, paramLabel = "DIR",
            description = "The sweep's folder (created if missing).")
    Path out;

    @Option(names = "--top-n", defaultValue = "1000", paramLabel = "N",
            description = "Neurons in each ranking.tsv, and the top n of the comparison (default: ${DEFAULT-VALUE}).")
    int topN;

    @Mixin
    CandidateLayersOption candidates;

    @Mixin
    ExecutorOptions executor;

    @Mixin
    RunOptions run;

    @Override
    public Integer call() {
        resolveAliases();
        executor.check(spec, run);
        Sweep sweep = new Sweep(new Sweep.Plan(model, types, which.type, which.lang, centroidSentences, sentences, out,
                                        topN, candidates.layers),
                run.settings(), Cli.console(spec));
        if (executor.onSlurm()) return executor.submit(spec, out, plan(sweep));
        sweep.run();
        if (run.json.json) Outcome.json(spec, Json.read(out.resolve("sweep.json"), Object.class));
        return 0;
    }

    /** The old spellings (--types, --centroid-sentences) into the fields the sweep reads. */
    private void resolveAliases() {
        if (types == null) types = typesAlias;
        if (types == null)
            throw new CommandLine.ParameterException(
                    spec.commandLine(), "Missing required option: '--quant-types=TYPE'");
        if (which.type == TransferType.TYPE1) {
            if (pairs != null) centroidSentences = pairs;
            if (centroidSentences == null) {
                throw new CommandLine.ParameterException(
                        spec.commandLine(), "type1 centroids need en/L2 pairs: give --pairs FILE");
            }
            PairsOptions.checkedName(centroidSentences, which.lang);
        } else {
            if (pairs != null) {
                throw new CommandLine.ParameterException(spec.commandLine(),
                        "type2 centroids are made from the L2 sentences (--sentences), not pairs: leave out --pairs");
            }
            if (centroidSentences == null) centroidSentences = sentences;
        }
    }

    /** The centroids' data option: pairs for Type-1, L2 sentences for Type-2. */
    private String centroidData() {
        return which.type == TransferType.TYPE1 ? "--pairs" : "--sentences";
    }

    /**
     * The sweep as steps for Slurm: the quantizations, each variant's centroids and detection, and
     * last this sweep run locally, which finds the runs finished, compares and writes sweep.json.
     */
    private Plan plan(Sweep sweep) {
        List<Step> steps = new ArrayList<>();
        List<String> detections = new ArrayList<>();
        for (Sweep.Variant v : sweep.variants()) {
            List<String> after = new ArrayList<>();
            if (v.type() != null) {
                String q = "quantize-" + v.type();
                Invocation quantize = Invocation.of("model", "quantize")
                                              .positional(model)
                                              .positional(v.model())
                                              .with("--type", v.type())
                                              .with("--threads", run.threads.threads)
                                              .flag("--quiet", true);
                steps.add(Step.command(q, quantize.argv(), v.model(), List.of()));
                after.add(q);
            }
            Path centroids = sweep.runDir(v, "centroids");
            Invocation c = Invocation.of("centroids")
                                   .with("--model", v.model())
                                   .with("--type", which.type)
                                   .with("--lang", which.lang)
                                   .with(centroidData(), centroidSentences)
                                   .settings(run.settings());
            steps.add(Step.run(v.label() + "-centroids", c.argv(), centroids, after));
            Invocation d = Invocation.of("detect")
                                   .with("--model", v.model())
                                   .with("--type", which.type)
                                   .with("--lang", which.lang)
                                   .with("--top-n", topN)
                                   .with("--centroids", centroids.resolve("centroids.npy"))
                                   .with("--sentences", sentences)
                                   .with("--layers", candidates.layers)
                                   .settings(run.settings());
            steps.add(Step.run(v.label() + "-detect", d.argv(), sweep.runDir(v, "detect"),
                    List.of(v.label() + "-centroids")));
            detections.add(v.label() + "-detect");
        }
        Invocation local = Invocation.of("sweep")
                                   .with("--model", model)
                                   .with("--quant-types", types)
                                   .with("--type", which.type)
                                   .with("--lang", which.lang)
                                   .with("--pairs", which.type == TransferType.TYPE1 ? centroidSentences : null)
                                   .with("--sentences", sentences)
                                   .with("--out", out)
                                   .with("--top-n", topN)
                                   .with("--layers", candidates.layers)
                                   .settings(run.settings());
        steps.add(Step.command("compare", local.argv(), out.resolve("sweep.json"), detections));
        return new Plan(steps);
    }
}
