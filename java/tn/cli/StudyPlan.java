package tn.cli;

import tn.jobs.Plan;
import tn.jobs.Step;
import tn.method.TransferType;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.BiFunction;
import java.util.stream.Collectors;

/**
 * The steps of a study, as tn command lines under its folder: per language L and type T,
 * L/T/centroids and L/T/detect; the pair analyses (similarity, mknn) per language plain and per
 * language and type with the detection's top n off and a random baseline; latent, specificity and
 * lape across languages, with L/T/overlap; report.html last.
 */
final class StudyPlan {
    /** The analyses a study can run, in the order they run. */
    enum Analysis { similarity, mknn, latent, specificity, lape }

    /** What the study's options say. files: a file option's path for a language. */
    record Options(Path model, List<String> langs, List<TransferType> types, String pairs, String sentences,
            String testPairs, Path english, Set<Analysis> analyses, int topN, int seed, int k, Path root,
            List<String> runOptions, BiFunction<String, String, String> files) {}

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
                case similarity, mknn -> p.pairAnalysis(a);
                case latent ->
                    p.steps.add(Step.run("latent", p.model("latent", "--sentences", p.everyLanguage()),
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
                steps.add(Step.run(centroids,
                        model("centroids", "--type", type.id(), "--lang", lang, "--sentences",
                                file(type == TransferType.TYPE1 ? o.pairs() : o.sentences(), lang)),
                        dir.resolve("centroids"), List.of()));
                steps.add(Step.run(name(lang, type, "detect"),
                        model("detect", "--type", type.id(), "--lang", lang, "--top-n", String.valueOf(o.topN()),
                                "--centroids", dir.resolve("centroids/centroids.npy").toString(), "--sentences",
                                file(o.sentences(), lang)),
                        dir.resolve("detect"), List.of(centroids)));
            }
        }
    }

    /** similarity or mknn of each language's test pairs: plain, with the top n off, with as many random neurons off. */
    private void pairAnalysis(Analysis a) {
        for (String lang : o.langs()) {
            List<String> args = new ArrayList<>(
                    List.of("--pairs", file(o.testPairs() != null ? o.testPairs() : o.pairs(), lang), "--lang", lang));
            if (a == Analysis.mknn) args.addAll(List.of("--k", String.valueOf(o.k())));
            steps.add(Step.run(
                    lang + "-" + a, model(a.name(), args), o.root().resolve(lang).resolve(a.name()), List.of()));
            for (TransferType type : o.types()) {
                List<String> off = new ArrayList<>(args);
                off.addAll(List.of("--deactivate", ranking(lang, type), "--top-n", String.valueOf(o.topN())));
                List<String> baseline = new ArrayList<>(off);
                baseline.addAll(List.of("--baseline", "--seed", String.valueOf(o.seed())));
                List<String> after = List.of(name(lang, type, "detect"));
                steps.add(Step.run(name(lang, type, a + "-off"), model(a.name(), off),
                        dir(lang, type).resolve(a + "-off"), after));
                steps.add(Step.run(name(lang, type, a + "-baseline"), model(a.name(), baseline),
                        dir(lang, type).resolve(a + "-baseline"), after));
            }
        }
    }

    private void specificity() {
        List<String> args = new ArrayList<>();
        List<String> after = new ArrayList<>();
        for (String lang : o.langs()) {
            for (TransferType type : o.types()) {
                args.addAll(List.of("--ranking", ranking(lang, type)));
                after.add(name(lang, type, "detect"));
            }
        }
        args.addAll(List.of("--top-n", String.valueOf(o.topN()), "--sentences", everyLanguage()));
        steps.add(Step.run("specificity", model("specificity", args), o.root().resolve("specificity"), after));
    }

    /** LAPE across languages, then each detection's top n against every language's LAPE neurons. */
    private void lape() {
        steps.add(Step.run("lape", model("lape", "--sentences", everyLanguage()), o.root().resolve("lape"), List.of()));
        for (String lang : o.langs()) {
            for (TransferType type : o.types()) {
                Path out = dir(lang, type).resolve("overlap");
                steps.add(Step.command(name(lang, type, "overlap"),
                        List.of("overlap", ranking(lang, type),
                                o.root().resolve("lape/language_specific.tsv").toString(), "--top-n",
                                String.valueOf(o.topN()), "--out", out.toString()),
                        out.resolve("overlap.json"), List.of(name(lang, type, "detect"), "lape")));
            }
        }
    }

    private void report() {
        List<String> args = new ArrayList<>(List.of("report"));
        for (String lang : o.langs()) args.add(o.root().resolve(lang).toString());
        for (Analysis a : List.of(Analysis.latent, Analysis.specificity, Analysis.lape)) {
            if (o.analyses().contains(a)) args.add(o.root().resolve(a.name()).toString());
        }
        args.addAll(List.of("--title", "tn study of " + o.model().getFileName(), "--out",
                o.root().resolve("report.html").toString()));
        steps.add(
                Step.command("report", args, o.root().resolve("report.html"), steps.stream().map(Step::name).toList()));
    }

    private Path dir(String lang, TransferType type) {
        return o.root().resolve(lang).resolve(type.id());
    }

    private static String name(String lang, TransferType type, String step) {
        return lang + "-" + type.id() + "-" + step;
    }

    private String ranking(String lang, TransferType type) {
        return dir(lang, type).resolve("detect/ranking.tsv").toString();
    }

    private String file(String template, String lang) {
        return o.files().apply(template, lang);
    }

    /** --sentences of the runs across languages: every L2, and English when given. */
    private String everyLanguage() {
        return o.langs().stream().map(l -> l + "=" + file(o.sentences(), l)).collect(Collectors.joining(","))
                + (o.english() != null ? ",en=" + o.english() : "");
    }

    /** A run command on the model with these arguments and the study's run options. */
    private List<String> model(String command, String... args) {
        return model(command, List.of(args));
    }

    private List<String> model(String command, List<String> args) {
        List<String> a = new ArrayList<>(List.of(command, "--model", o.model().toString()));
        a.addAll(args);
        a.addAll(o.runOptions());
        return a;
    }
}
