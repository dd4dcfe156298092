package tn.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import tn.io.Console;
import tn.jobs.Plan;
import tn.method.TransferType;

import java.nio.file.Path;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;

@Command(name = "study", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"The paper's pipeline on one model, as steps that each run a tn command: per language and type, "
                        + "centroids, then detection, then the analyses with the transfer neurons switched off and a random "
                        + "baseline, and the analyses across languages; a report of everything last.",
                "", "Steps, under --out (L a language, T a type):",
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
                        + "'tn slurm resume OUT' resubmits what did not finish on Slurm.",
                "", "File options take {lang} for the language: --sentences 'data/{lang}/{lang}.txt'.", ""},
        footer = {"", "Example (data from tn data tatoeba --l2 L --out data/L for each language):",
                "  tn study --model M.gguf --langs ja,nl,ko,it --pairs 'data/{lang}/en-{lang}.train.tsv' \\",
                "      --sentences 'data/{lang}/{lang}.txt' --test-pairs 'data/{lang}/en-{lang}.test.tsv' \\",
                "      --english data/ja/en.txt --out study --executor slurm --partition gpu --gpus-per-task 1"})
final class StudyCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(order = 1, names = "--model", required = true, paramLabel = "M.gguf", description = "The model.")
    Path model;

    @Option(order = 2, names = "--langs", required = true, split = ",", paramLabel = "L",
            converter = Converters.LanguageCodes.class,
            description = "The L2s, e.g. ja,nl,ko,it (English is always L1).")
    List<String> langs;

    @Option(order = 3, names = "--types", split = ",", defaultValue = "type1,type2", paramLabel = "T",
            converter = Converters.TransferTypes.class,
            description = "Which transfer neurons (default: ${DEFAULT-VALUE}).")
    List<TransferType> types;

    @Option(order = 4, names = "--pairs", required = true, paramLabel = "FILE",
            description = "en-L2 pairs for Type-1 centroids, e.g. 'data/{lang}/en-{lang}.train.tsv'.")
    String pairs;

    @Option(order = 5, names = "--sentences", required = true, paramLabel = "FILE",
            description = "L2 sentences for Type-2 centroids and detection, and the language's sentences in latent, "
                    + "specificity and lape, e.g. 'data/{lang}/{lang}.txt'.")
    String sentences;

    @Option(order = 6, names = "--test-pairs", paramLabel = "FILE",
            description =
                    "en-L2 pairs for similarity and mknn (default: --pairs), e.g. 'data/{lang}/en-{lang}.test.tsv'.")
    String testPairs;

    @Option(order = 7, names = "--english", paramLabel = "FILE",
            description =
                    "English sentences, the fifth language of latent, specificity and lape (the paper's setting).")
    Path english;

    @Option(order = 8, names = "--analyses", split = ",", paramLabel = "A",
            defaultValue = "similarity,mknn,latent,specificity,lape",
            description =
                    "Which analyses follow detection: similarity, mknn, latent, specificity, lape (with overlap); "
                    + "'none' for centroids and detection only (default: all).")
    List<String> analyses;

    @Option(order = 9, names = "--top-n", defaultValue = "1000", paramLabel = "N",
            description = "Transfer neurons per ranking, switched off in the analyses (default: ${DEFAULT-VALUE}).")
    int topN;

    @Option(order = 10, names = "--seed", defaultValue = "42", paramLabel = "S",
            description = "Seed of the random baselines (default: ${DEFAULT-VALUE}).")
    int seed;

    @Option(order = 11, names = "--k", defaultValue = "5", paramLabel = "K",
            description = "mknn's k (default: ${DEFAULT-VALUE}).")
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
        Console console = Cli.console(spec);
        if (!run.json.json) return new LocalExecutor(console).run(plan);
        // --json: the steps' own tables and lines would break the one object stdout holds
        LocalExecutor local = new LocalExecutor(
                new Console(Console.silent().out(), console.err(), console.terminal(), console.names()));
        int code = local.run(plan);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("command", "study");
        m.put("out", out.toAbsolutePath().toString());
        m.put("exit_code", code);
        m.put("steps", local.outcomes());
        Outcome.json(spec, m);
        return code;
    }

    private Plan plan() {
        return StudyPlan.of(new StudyPlan.Options(model, langs, types, pairs, sentences, testPairs, english, chosen(),
                topN, seed, k, out.toAbsolutePath().normalize(), RunOptions.args(run.settings()), this::file));
    }

    private Set<StudyPlan.Analysis> chosen() {
        Set<StudyPlan.Analysis> chosen = EnumSet.noneOf(StudyPlan.Analysis.class); // run in the enum's order
        if (analyses.equals(List.of("none"))) return chosen;
        for (String a : analyses) {
            try {
                chosen.add(StudyPlan.Analysis.valueOf(a.strip()));
            } catch (IllegalArgumentException e) {
                throw new CommandLine.ParameterException(spec.commandLine(),
                        "--analyses: '" + a + "' is not one of "
                                + "similarity, mknn, latent, specificity, lape (or none)");
            }
        }
        return chosen;
    }

    /** A file option's path for a language ({lang} replaced). */
    private String file(String template, String lang) {
        if (!template.contains("{lang}") && langs.size() > 1) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "'" + template + "' names one file for " + langs.size()
                            + " languages: put {lang} where the language goes");
        }
        return template.replace("{lang}", lang);
    }
}
