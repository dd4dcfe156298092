package tn.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import tn.jobs.Plan;
import tn.jobs.Step;
import tn.method.TransferType;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;

@Command(name = "study", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"The paper's pipeline on one model, as steps that each run a tn command: per language and type, "
                + "centroids, then detection, then the analyses with the transfer neurons switched off and a random "
                + "baseline, and the analyses across languages; a report of everything last.", "",
                "Steps, under --out (L a language, T a type):",
                "  L/T/centroids, L/T/detect                  centroids, then detection (--top-n)",
                "  L/similarity, L/T/similarity-off,",
                "    L/T/similarity-baseline                  similarity of --test-pairs: plain, the top-n off, as many "
                        + "random neurons off (--seed)",
                "  L/mknn, L/T/mknn-off, L/T/mknn-baseline     mutual k-NN (--k), the same three ways",
                "  latent                                     latent spaces of every language (and --english)",
                "  specificity                                every detection's top-n against every language",
                "  lape, L/T/overlap                          LAPE's language-specific neurons, and each "
                        + "language's overlap with each detection's top-n",
                "  report.html                                tn report of all of it", "",
                "--executor local (the default) runs the steps one after another in this process; --executor slurm "
                        + "submits each as a Slurm job that waits (afterok) for the steps it needs, the whole study at "
                        + "once, each run split into --shards N array tasks and a merge if asked. Either way a step "
                        + "whose outputs are there is not run again unless a step it needs ran again, and an "
                        + "interrupted run continues from its checkpoint: the same command continues a study, and "
                        + "'tn slurm resume OUT' resubmits what did not finish on Slurm.", "",
                "File options take {lang} for the language: --sentences 'data/{lang}/{lang}.txt'.", ""},
        footer = {"", "Example (data from tn data tatoeba --l2 L --out data/L for each language):",
                "  tn study --model M.gguf --langs ja,nl,ko,it --pairs 'data/{lang}/en-{lang}.train.tsv' \\",
                "      --sentences 'data/{lang}/{lang}.txt' --test-pairs 'data/{lang}/en-{lang}.test.tsv' \\",
                "      --english data/ja/en.txt --out study --executor slurm --partition gpu --gpus-per-task 1"})
final class StudyCommand implements Callable<Integer> {
    /** The analyses a study can run, in the order they run. */
    enum Analysis { similarity, mknn, latent, specificity, lape }

    @Spec
    CommandSpec spec;

    @Option(order = 1, names = "--model", required = true, paramLabel = "M.gguf", description = "The model.")
    Path model;

    @Option(order = 2, names = "--langs", required = true, split = ",", paramLabel = "L",
            description = "The L2s, e.g. ja,nl,ko,it (English is always L1).")
    List<String> langs;

    @Option(order = 3, names = "--types", split = ",", defaultValue = "type1,type2", paramLabel = "T",
            converter = Converters.TransferTypes.class, description = "Which transfer neurons (default: ${DEFAULT-VALUE}).")
    List<TransferType> types;

    @Option(order = 4, names = "--pairs", required = true, paramLabel = "FILE",
            description = "en-L2 pairs for Type-1 centroids, e.g. 'data/{lang}/en-{lang}.train.tsv'.")
    String pairs;

    @Option(order = 5, names = "--sentences", required = true, paramLabel = "FILE",
            description = "L2 sentences for Type-2 centroids and detection, and the language's sentences in latent, "
                    + "specificity and lape, e.g. 'data/{lang}/{lang}.txt'.")
    String sentences;

    @Option(order = 6, names = "--test-pairs", paramLabel = "FILE",
            description = "en-L2 pairs for similarity and mknn (default: --pairs), e.g. 'data/{lang}/en-{lang}.test.tsv'.")
    String testPairs;

    @Option(order = 7, names = "--english", paramLabel = "FILE",
            description = "English sentences, the fifth language of latent, specificity and lape (the paper's setting).")
    Path english;

    @Option(order = 8, names = "--analyses", split = ",", paramLabel = "A",
            defaultValue = "similarity,mknn,latent,specificity,lape",
            description = "Which analyses follow detection: similarity, mknn, latent, specificity, lape (with overlap); "
                    + "'none' for centroids and detection only (default: all).")
    List<String> analyses;

    @Option(order = 9, names = "--top-n", defaultValue = "1000", paramLabel = "N",
            description = "Transfer neurons per ranking, switched off in the analyses (default: ${DEFAULT-VALUE}).")
    int topN;

    @Option(order = 10, names = "--seed", defaultValue = "42", paramLabel = "S",
            description = "Seed of the random baselines (default: ${DEFAULT-VALUE}).")
    int seed;

    @Option(order = 11, names = "--k", defaultValue = "5", paramLabel = "K", description = "mknn's k (default: ${DEFAULT-VALUE}).")
    int k;

    @Option(order = 12, names = "--out", required = true, paramLabel = "DIR", description = "The study's folder.")
    Path out;

    @Mixin
    ExecutorOptions executor;

    @Mixin
    RunOptions run;

    @Override
    public Integer call() {
        executor.check(spec, run);
        Plan plan = plan();
        if (executor.onSlurm()) return executor.submit(spec, out, plan);
        return new LocalExecutor(Cli.console(spec)).run(plan);
    }

    Plan plan() {
        Set<Analysis> chosen = chosen();
        Path root = out.toAbsolutePath().normalize();
        List<Step> steps = new ArrayList<>();
        List<String> detections = new ArrayList<>();
        List<String> rankings = new ArrayList<>();
        for (String lang : langs) {
            for (TransferType type : types) {
                String p = lang + "-" + type.id() + "-";
                Path dir = root.resolve(lang).resolve(type.id());
                String centroidData = file(type == TransferType.TYPE1 ? pairs : sentences, lang);
                steps.add(Step.run(p + "centroids", model("centroids", "--type", type.id(), "--lang", lang, "--sentences",
                        centroidData), dir.resolve("centroids"), List.of()));
                steps.add(Step.run(p + "detect", model("detect", "--type", type.id(), "--lang", lang, "--top-n",
                        String.valueOf(topN), "--centroids", dir.resolve("centroids/centroids.npy").toString(), "--sentences",
                        file(sentences, lang)), dir.resolve("detect"), List.of(p + "centroids")));
                detections.add(p + "detect");
                rankings.add(dir.resolve("detect/ranking.tsv").toString());
            }
        }
        String everyLanguage = langs.stream().map(l -> l + "=" + file(sentences, l)).collect(Collectors.joining(","))
                + (english != null ? ",en=" + english : "");
        for (Analysis a : chosen) {
            switch (a) {
                case similarity, mknn -> {
                    for (String lang : langs) {
                        List<String> args = new ArrayList<>(List.of("--pairs", file(testPairs != null ? testPairs : pairs, lang),
                                "--lang", lang));
                        if (a == Analysis.mknn) args.addAll(List.of("--k", String.valueOf(k)));
                        steps.add(Step.run(lang + "-" + a, model(a.name(), args), root.resolve(lang).resolve(a.name()), List.of()));
                        for (TransferType type : types) {
                            String detect = lang + "-" + type.id() + "-detect";
                            Path dir = root.resolve(lang).resolve(type.id());
                            List<String> off = new ArrayList<>(args);
                            off.addAll(List.of("--deactivate", dir.resolve("detect/ranking.tsv").toString(), "--top-n",
                                    String.valueOf(topN)));
                            steps.add(Step.run(lang + "-" + type.id() + "-" + a + "-off", model(a.name(), off),
                                    dir.resolve(a + "-off"), List.of(detect)));
                            List<String> baseline = new ArrayList<>(off);
                            baseline.addAll(List.of("--baseline", "--seed", String.valueOf(seed)));
                            steps.add(Step.run(lang + "-" + type.id() + "-" + a + "-baseline", model(a.name(), baseline),
                                    dir.resolve(a + "-baseline"), List.of(detect)));
                        }
                    }
                }
                case latent -> steps.add(Step.run("latent", model("latent", "--sentences", everyLanguage),
                        root.resolve("latent"), List.of()));
                case specificity -> {
                    List<String> args = new ArrayList<>();
                    for (String r : rankings) args.addAll(List.of("--ranking", r));
                    args.addAll(List.of("--top-n", String.valueOf(topN), "--sentences", everyLanguage));
                    steps.add(Step.run("specificity", model("specificity", args), root.resolve("specificity"), detections));
                }
                case lape -> {
                    steps.add(Step.run("lape", model("lape", "--sentences", everyLanguage), root.resolve("lape"), List.of()));
                    for (String lang : langs) {
                        for (TransferType type : types) {
                            Path dir = root.resolve(lang).resolve(type.id());
                            steps.add(Step.command(lang + "-" + type.id() + "-overlap", List.of("overlap",
                                            dir.resolve("detect/ranking.tsv").toString(),
                                            root.resolve("lape/language_specific.tsv").toString(), "--top-n",
                                            String.valueOf(topN), "--out", dir.resolve("overlap").toString()),
                                    dir.resolve("overlap/overlap.json"), List.of(lang + "-" + type.id() + "-detect", "lape")));
                        }
                    }
                }
            }
        }
        List<String> report = new ArrayList<>(List.of("report"));
        for (String lang : langs) report.add(root.resolve(lang).toString());
        for (Analysis a : List.of(Analysis.latent, Analysis.specificity, Analysis.lape)) {
            if (chosen.contains(a)) report.add(root.resolve(a.name()).toString());
        }
        report.addAll(List.of("--title", "tn study of " + model.getFileName(), "--out", root.resolve("report.html").toString()));
        steps.add(Step.command("report", report, root.resolve("report.html"), steps.stream().map(Step::name).toList()));
        return new Plan(steps);
    }

    private Set<Analysis> chosen() {
        Set<Analysis> chosen = new LinkedHashSet<>();
        if (analyses.equals(List.of("none"))) return chosen;
        for (String a : analyses) {
            try {
                chosen.add(Analysis.valueOf(a.strip()));
            } catch (IllegalArgumentException e) {
                throw new CommandLine.ParameterException(spec.commandLine(), "--analyses: '" + a + "' is not one of "
                        + "similarity, mknn, latent, specificity, lape (or none)");
            }
        }
        return chosen;
    }

    /** A run command on the model with these arguments and the study's run options. */
    private List<String> model(String command, String... args) {
        return model(command, List.of(args));
    }

    private List<String> model(String command, List<String> args) {
        List<String> a = new ArrayList<>(List.of(command, "--model", model.toString()));
        a.addAll(args);
        a.addAll(RunOptions.args(run.settings()));
        return a;
    }

    /** A file option's path for a language ({lang} replaced). */
    private String file(String template, String lang) {
        if (!template.contains("{lang}") && langs.size() > 1) {
            throw new CommandLine.ParameterException(spec.commandLine(), "'" + template + "' names one file for "
                    + langs.size() + " languages: put {lang} where the language goes");
        }
        return template.replace("{lang}", lang);
    }
}
