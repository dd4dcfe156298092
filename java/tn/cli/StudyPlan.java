package tn.cli;

import tn.jobs.Plan;
import tn.jobs.Step;
import tn.method.TransferType;
import tn.run.RunSettings;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The steps of a study, as tn commands under its folder, in the paper's order: per language L and
 * type T, L/T/centroids and L/T/detect; the pair analyses (similarity, mknn) per language plain and
 * per language and type with the detection's top n off and a random baseline; latent, specificity
 * and lape across languages, with L/T/overlap; question answering and reasoning per language
 * plain and with Type-1's top n or a baseline off at the prompt (the paper deactivates Type-1
 * there); report.html last.
 */
final class StudyPlan {
    /** The analyses a study can run, in the order they run. */
    enum Analysis {
        similarity, mknn, latent, specificity, lape, qa, reasoning;

        /** Whether it switches neurons off per language and type (and so has a baseline). */
        boolean deactivates() {
            return this == similarity || this == mknn || this == qa || this == reasoning;
        }
    }

    /**
     * The study's data, as file templates ({lang} for the language; see files).
     *
     * @param questions MKQA's release file (every language in one), or null: no qa
     * @param reasoning a language's MMLU-ProX test and few-shot files, or null: no reasoning
     */
    record Data(String pairs, String sentences, String testPairs, String testSentences, Path english, Path questions,
            Function<String, MmluProxFiles> reasoning) {}

    /** One language's MMLU-ProX files for tn reasoning. */
    record MmluProxFiles(Path test, Path fewshot) {}

    /** What the study's options say. files: a file template's path for a language. */
    record Options(Path model, List<String> langs, List<TransferType> types, Data data, Set<Analysis> analyses,
            int topN, long seed, int baselineSeeds, int k, Path root, RunSettings settings,
            BiFunction<String, String, String> files) {}

    private final Options o;
    private final List<Step> steps = new ArrayList<>();

    private StudyPlan(Options o) {
        this.o = o;
    }

    static Plan of(Options o) {
        StudyPlan p = new StudyPlan(o);
        p.detections();
        for (Analysis a : o.analyses()) {
            switch (a) {
                case similarity, mknn, qa, reasoning -> p.deactivationAnalysis(a);
                case latent ->
                    p.steps.add(Step.run("latent", p.model("latent").with("--sentences", p.everyLanguage()).argv(),
                            o.root().resolve("latent"), List.of()));
                case specificity -> p.specificity();
                case lape -> p.lape();
            }
        }
        p.report();
        return new Plan(p.steps);
    }

    private void detections() {
        for (String lang : o.langs()) {
            for (TransferType type : o.types()) {
                Path dir = dir(lang, type);
                String centroids = name(lang, type, "centroids");
                Invocation c = model("centroids").with("--type", type).with("--lang", lang);
                if (type == TransferType.TYPE1) c.with("--pairs", file(o.data().pairs(), lang));
                else c.with("--sentences", file(o.data().sentences(), lang));
                steps.add(Step.run(centroids, c.argv(), dir.resolve("centroids"), List.of()));
                Invocation d = model("detect")
                                       .with("--type", type)
                                       .with("--lang", lang)
                                       .with("--top-n", o.topN())
                                       .with("--centroids", dir.resolve("centroids/centroids.npy"))
                                       .with("--sentences", file(o.data().sentences(), lang));
                steps.add(Step.run(name(lang, type, "detect"), d.argv(), dir.resolve("detect"), List.of(centroids)));
            }
        }
    }

    /**
     * An analysis of each language: plain, with a detection's top n off, and with as many random
     * neurons off. similarity and mknn for every type; qa and reasoning for Type-1, as the paper.
     */
    private void deactivationAnalysis(Analysis a) {
        for (String lang : o.langs()) {
            steps.add(Step.run(lang + "-" + a, input(a, lang).argv(), o.root().resolve(lang).resolve(a.name()),
                    List.of()));
            for (TransferType type : o.types()) {
                if ((a == Analysis.qa || a == Analysis.reasoning) && type != TransferType.TYPE1) continue;
                List<String> after = List.of(name(lang, type, "detect"));
                Invocation off = input(a, lang).with("--deactivate", ranking(lang, type)).with("--top-n", o.topN());
                steps.add(Step.run(name(lang, type, a + "-off"), off.argv(), dir(lang, type).resolve(a + "-off"),
                        after));
                Invocation baseline = input(a, lang)
                                              .with("--deactivate", ranking(lang, type))
                                              .with("--top-n", o.topN())
                                              .flag("--baseline", true)
                                              .with("--seed", o.seed())
                                              .with("--baseline-seeds", o.baselineSeeds() > 1 ? o.baselineSeeds() : null);
                Path out = dir(lang, type).resolve(a + "-baseline");
                String step = name(lang, type, a + "-baseline");
                // repeated seeds run one after another in one process, each into its own folder: not sharded
                steps.add(o.baselineSeeds() > 1
                                ? Step.command(step, baseline.with("--out", out).argv(), out.resolve("run.json"), after)
                                : Step.run(step, baseline.argv(), out, after));
            }
        }
    }

    /** The analysis of one language's data, nothing off. */
    private Invocation input(Analysis a, String lang) {
        Invocation run = model(a.name());
        switch (a) {
            case similarity, mknn -> {
                String pairs = o.data().testPairs() != null ? o.data().testPairs() : o.data().pairs();
                run.with("--pairs", file(pairs, lang)).with("--lang", lang);
                if (a == Analysis.mknn) run.with("--k", o.k());
            }
            case qa -> run.with("--questions", o.data().questions()).with("--lang", lang);
            case reasoning -> {
                MmluProxFiles files = o.data().reasoning().apply(lang);
                run.with("--test", files.test()).with("--fewshot", files.fewshot()).with("--lang", lang);
            }
            default -> throw new IllegalArgumentException(a + " is not an analysis per language");
        }
        return run;
    }

    private void specificity() {
        Invocation s = model("specificity");
        List<String> after = new ArrayList<>();
        for (String lang : o.langs()) {
            for (TransferType type : o.types()) {
                s.with("--ranking", ranking(lang, type));
                after.add(name(lang, type, "detect"));
            }
        }
        s.with("--top-n", o.topN()).with("--sentences", everyLanguage());
        steps.add(Step.run("specificity", s.argv(), o.root().resolve("specificity"), after));
    }

    /** LAPE across languages, then each detection's top n against every language's LAPE neurons. */
    private void lape() {
        steps.add(Step.run("lape", model("lape").with("--sentences", everyLanguage()).argv(), o.root().resolve("lape"),
                List.of()));
        for (String lang : o.langs()) {
            for (TransferType type : o.types()) {
                Path out = dir(lang, type).resolve("overlap");
                Invocation overlap = Invocation.of("overlap")
                                             .positional(ranking(lang, type))
                                             .positional(o.root().resolve("lape/language_specific.tsv"))
                                             .with("--top-n", o.topN())
                                             .with("--out", out);
                steps.add(Step.command(name(lang, type, "overlap"), overlap.argv(), out.resolve("overlap.json"),
                        List.of(name(lang, type, "detect"), "lape")));
            }
        }
    }

    private void report() {
        Invocation r = Invocation.of("report");
        for (String lang : o.langs()) r.positional(o.root().resolve(lang));
        for (Analysis a : List.of(Analysis.latent, Analysis.specificity, Analysis.lape)) {
            if (o.analyses().contains(a)) r.positional(o.root().resolve(a.name()));
        }
        r.with("--title", "tn study of " + o.model().getFileName()).with("--out", o.root().resolve("report.html"));
        steps.add(Step.command(
                "report", r.argv(), o.root().resolve("report.html"), steps.stream().map(Step::name).toList()));
    }

    private Path dir(String lang, TransferType type) {
        return o.root().resolve(lang).resolve(type.id());
    }

    private static String name(String lang, TransferType type, String step) {
        return lang + "-" + type.id() + "-" + step;
    }

    private Path ranking(String lang, TransferType type) {
        return dir(lang, type).resolve("detect/ranking.tsv");
    }

    private String file(String template, String lang) {
        return o.files().apply(template, lang);
    }

    /**
     * --sentences of the runs across languages: every L2's test sentences (its detection sentences
     * when none are given), and English when given.
     */
    private String everyLanguage() {
        String sentences = o.data().testSentences() != null ? o.data().testSentences() : o.data().sentences();
        return o.langs().stream().map(l -> l + "=" + file(sentences, l)).collect(Collectors.joining(","))
                + (o.data().english() != null ? ",en=" + o.data().english() : "");
    }

    /**
     * A run command on the model, with the study's run settings. Reasoning sizes its own context,
     * as the harness does: the model's trained context is its max length, whatever --ctx the
     * detections run with.
     */
    private Invocation model(String command) {
        return Invocation.of(command)
                .with("--model", o.model())
                .settings(o.settings(), !command.equals(Analysis.reasoning.name()));
    }
}
