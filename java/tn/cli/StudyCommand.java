package tn.cli;

import tn.run.RunSettings;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import tn.io.Console;
import tn.jobs.Plan;
import tn.method.TransferType;

import tn.io.InputException;
import tn.io.InvalidValueException;
import tn.qa.PromptTemplate;
import tn.jobs.Step;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.stream.Stream;

@Command(name = "study", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Every experiment of the paper on one model, as steps that each run a tn command: per language "
                        + "and type, centroids, then detection, then the analyses with the transfer neurons switched off "
                        + "and a random baseline, the analyses across languages, question answering and reasoning when "
                        + "their data is given; a report of everything last.",
                "", "Steps, under --out (L a language, T a type), in the paper's order:",
                "  L/T/centroids, L/T/detect                  centroids, then detection (--top-n)",
                "  L/similarity, L/T/similarity-off,",
                "    L/T/similarity-baseline                  similarity of --test-pairs: plain, the top-n off, as many "
                        + "random neurons off (--seed, --baseline-seeds)",
                "  L/mknn, L/T/mknn-off, L/T/mknn-baseline     mutual k-NN (--k), the same three ways",
                "  latent                                     latent spaces of every language's --test-sentences (and "
                        + "--english)",
                "  specificity                                every detection's top-n against every language's "
                        + "--test-sentences",
                "  lape, L/T/overlap                          LAPE's language-specific neurons, and each "
                        + "language's overlap with each detection's top-n",
                "  L/qa, L/type1/qa-off, L/type1/qa-baseline  MKQA question answering (with --questions), Type-1's "
                        + "top-n off at the prompt as the paper",
                "  L/reasoning, L/type1/reasoning-off,",
                "    L/type1/reasoning-baseline               MMLU-ProX reasoning (with --mmlu-prox), the same three ways; "
                        + "its context is the model's trained one, as the harness's, not --ctx",
                "  report.html                                tn report of all of it", "",
                "--dry-run prints every step's command line and the steps it waits for, and runs nothing.", "",
                "--executor local (the default) runs the steps one after another in this process; --executor slurm "
                        + "submits each as a Slurm job that waits (afterok) for the steps it needs, the whole study at "
                        + "once, each run split into --shards N array tasks and a merge if asked. Either way a step "
                        + "whose outputs are there is not run again unless a step it needs ran again, and an "
                        + "interrupted run continues from its checkpoint: the same command continues a study, and "
                        + "'tn slurm resume OUT' resubmits what did not finish on Slurm.",
                "", "File options take {lang} for the language: --sentences 'data/{lang}/{lang}.txt'.", ""},
        footer = {"", "Example (data from tn data tatoeba --lang L --out data/L for each language; MKQA's release file; "
                        + "MMLU-ProX as downloaded, one folder per language):",
                "  tn study --model M.gguf --langs ja,nl,ko,it --pairs 'data/{lang}/en-{lang}.train.tsv' \\",
                "      --sentences 'data/{lang}/{lang}.txt' --test-pairs 'data/{lang}/en-{lang}.test.tsv' \\",
                "      --test-sentences 'data/{lang}/{lang}.test.txt' --english data/nl/en.test.txt \\",
                "      --questions mkqa.jsonl.gz --mmlu-prox MMLU-ProX \\",
                "      --out study --dry-run",
                "  (the same without --dry-run runs it here; add --executor slurm --partition gpu --gpus-per-task 1 "
                        + "for a cluster)"})
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

    @Option(order = 6, names = "--test-sentences", paramLabel = "FILE",
            description = "L2 sentences for latent, specificity and lape (default: --sentences): the paper's are the "
                    + "test pairs' L2 side, e.g. 'data/{lang}/{lang}.test.txt'.")
    String testSentences;

    @Option(order = 7, names = "--english", paramLabel = "FILE",
            description =
                    "English sentences, the fifth language of latent, specificity and lape; the paper's are the English "
                    + "side of the Dutch test pairs, e.g. data/nl/en.test.txt.")
    Path english;

    @Option(order = 7, names = "--questions", paramLabel = "FILE",
            description = "MKQA's release file (mkqa.jsonl.gz), for question answering in every language; without it "
                    + "the study has no qa.")
    Path questions;

    @Option(order = 7, names = "--mmlu-prox", paramLabel = "DIR",
            description = "MMLU-ProX as downloaded: DIR/L/ holds language L's test and validation splits (test*.parquet "
                    + "and validation*.parquet, or .jsonl/.jsonl.gz); without it the study has no reasoning.")
    Path mmluProx;

    @Option(order = 8, names = "--analyses", split = ",", paramLabel = "A",
            defaultValue = "similarity,mknn,latent,specificity,lape,qa,reasoning",
            description = "Which analyses follow detection: similarity, mknn, latent, specificity, lape (with overlap), "
                    + "qa (needs --questions), reasoning (needs --mmlu-prox); 'none' for centroids and detection only "
                    + "(default: all, qa and reasoning where their data is given).")
    List<String> analyses;

    @Option(order = 9, names = "--top-n", defaultValue = "1000", paramLabel = "N",
            description = "Transfer neurons per ranking, switched off in the analyses (default: ${DEFAULT-VALUE}).")
    int topN;

    @Option(order = 10, names = "--seed", defaultValue = "" + RunSettings.DEFAULT_SEED, paramLabel = "S",
            description = "Random seed of the baselines (default: ${DEFAULT-VALUE}, the original implementation's).")
    long seed;

    @Option(order = 10, names = "--baseline-seeds", defaultValue = "1", paramLabel = "R",
            description = "Repeat every random baseline with R seeds (--seed, --seed + 1, ...) and report their mean "
                    + "and 95%% interval (default: ${DEFAULT-VALUE}, the paper's single draw).")
    int baselineSeeds;

    @Option(order = 11, names = "--k", defaultValue = "5", paramLabel = "K",
            description = "mknn's k (default: ${DEFAULT-VALUE}).")
    int k;

    @Option(order = 12, names = "--out", required = true, paramLabel = "DIR", description = "The study's folder.")
    Path out;

    @Option(order = 13, names = "--dry-run",
            description = "Print every step's command line and the steps it waits for; run nothing.")
    boolean dryRun;

    @Mixin
    ExecutorOptions executor;

    @Mixin
    RunOptions run;

    @Override
    public Integer call() {
        executor.check(spec, run);
        Plan plan = plan();
        if (dryRun) return dryRun(plan);
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
        if (baselineSeeds < 1 || baselineSeeds > 100) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--baseline-seeds must be 1..100, is " + baselineSeeds);
        }
        StudyPlan.Data data = new StudyPlan.Data(pairs, sentences, testPairs, testSentences, english, questions, this::mmluProxFiles);
        return StudyPlan.of(new StudyPlan.Options(model, langs, types, data, chosen(), topN, seed, baselineSeeds, k,
                out.toAbsolutePath().normalize(), run.settings(), this::file));
    }

    /** Each step with the steps it waits for and its command line, on stdout; what finished earlier says so. */
    private int dryRun(Plan plan) {
        PrintWriter o = spec.commandLine().getOut();
        int i = 0;
        for (Step step : plan.steps()) {
            o.printf("[%d/%d] %s%s%n", ++i, plan.steps().size(), step.name(), step.finished() ? " (finished earlier)" : "");
            o.printf("    after: %s%n", step.after().isEmpty() ? "-" : String.join(", ", step.after()));
            o.printf("    tn %s%n", String.join(" ", step.argv().stream().map(StudyCommand::shellWord).toList()));
        }
        o.printf("%d steps under %s; nothing was run (--dry-run)%n", plan.steps().size(), out);
        o.flush();
        return 0;
    }

    /** A word as a shell reads it back: quoted where it holds anything but plain characters. */
    private static String shellWord(String w) {
        return w.matches("[A-Za-z0-9_./:=,+@%-]+") ? w : "'" + w.replace("'", "'\\''") + "'";
    }

    /**
     * The analyses chosen, in the paper's order; qa and reasoning only where their data is given
     * (named without it, they are a usage error).
     */
    private Set<StudyPlan.Analysis> chosen() {
        Set<StudyPlan.Analysis> chosen = EnumSet.noneOf(StudyPlan.Analysis.class); // run in the enum's order
        if (analyses.equals(List.of("none"))) return chosen;
        boolean named = spec.commandLine().getParseResult().hasMatchedOption("--analyses");
        for (String a : analyses) {
            StudyPlan.Analysis analysis;
            try {
                analysis = StudyPlan.Analysis.valueOf(a.strip());
            } catch (IllegalArgumentException e) {
                throw new CommandLine.ParameterException(spec.commandLine(),
                        "--analyses: '" + a + "' is not one of " + Arrays.toString(StudyPlan.Analysis.values())
                                + " (or none)");
            }
            String needs = analysis == StudyPlan.Analysis.qa && questions == null ? "--questions"
                    : analysis == StudyPlan.Analysis.reasoning && mmluProx == null ? "--mmlu-prox"
                    : null;
            if (needs == null) {
                if (analysis == StudyPlan.Analysis.qa) requireOriginalPrompts();
                chosen.add(analysis);
            } else if (named) {
                throw new CommandLine.ParameterException(
                        spec.commandLine(), "--analyses " + analysis + " needs " + needs);
            }
        }
        return chosen;
    }

    /** qa runs the paper's protocol, whose prompts the original implementation has for a few languages only. */
    private void requireOriginalPrompts() {
        for (String lang : langs) {
            try {
                PromptTemplate.original(lang);
            } catch (InvalidValueException e) {
                throw new CommandLine.ParameterException(spec.commandLine(),
                        "qa: the original implementation has no prompt for '" + lang + "'; leave qa out with "
                                + "--analyses, or run 'tn qa --lang " + lang + " --template ...' for it");
            }
        }
    }

    /** Language lang's MMLU-ProX splits in --mmlu-prox: DIR/lang/test* and DIR/lang/validation*. */
    private StudyPlan.MmluProxFiles mmluProxFiles(String lang) {
        Path dir = mmluProx.resolve(lang);
        return new StudyPlan.MmluProxFiles(split(dir, "test"), split(dir, "validation"));
    }

    private static Path split(Path dir, String name) {
        List<Path> found;
        try (Stream<Path> files = Files.list(dir)) {
            found = files.filter(f -> {
                String n = f.getFileName().toString();
                return n.startsWith(name) && (n.endsWith(".parquet") || n.endsWith(".jsonl") || n.endsWith(".jsonl.gz"));
            }).sorted().toList();
        } catch (IOException e) {
            throw new InputException(dir + ": " + InputException.reason(e) + " (--mmlu-prox DIR holds a folder per language)");
        }
        if (found.size() != 1) {
            throw new InputException(dir + ": " + (found.isEmpty() ? "no " : found.size() + " ") + name
                    + " split (" + name + "*.parquet, .jsonl or .jsonl.gz)" + (found.isEmpty() ? "" : ": " + found));
        }
        return found.get(0);
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
