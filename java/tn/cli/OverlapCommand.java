package tn.cli;

import tn.io.InvalidValueException;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import tn.analysis.NeuronLists;
import tn.analysis.NeuronSet;
import tn.analysis.OverlapReport;
import tn.analysis.RankedNeurons;
import tn.io.AtomicFile;
import tn.io.InputException;
import tn.io.Json;
import tn.llama.Neuron;
import tn.plot.OverlapPlot;
import tn.run.OutputFolder;
import tn.record.RunJson;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;

@Command(name = "overlap", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"How many transfer neurons are also in other neuron sets (typically LAPE's language-specific "
                        + "neurons), per layer, against the number expected by chance.",
                "",
                "The first file is the transfer neurons (A): a detection's ranking.tsv, of which the top --top-n are "
                        + "taken, or a neuron list such as deactivated.tsv (layer<TAB>neuron). Each further file gives "
                        + "the sets compared with A (B): LAPE's language_specific.tsv (one set per language in it, or "
                        + "only --lang), a ranking.tsv (its top --top-n) or a neuron list.",
                "",
                "Per layer l with n_ff neurons: |A_l|, |B_l|, the neurons in both, the number expected if A's "
                        + "|A_l| neurons of the layer were drawn at random, |A_l| |B_l| / n_ff, and the hypergeometric "
                        + "p-value P(X >= shared). The totals' p-value is that of the sum over layers, each layer drawn "
                        + "independently. n_ff and the layer count come from the run.json beside the files (tn's run "
                        + "folders record the model), or from --n-ff (then layers run to the highest layer listed).",
                "",
                "Prints a table; with --out also writes DIR/overlap.tsv (set, layer, transfer, compared, shared, "
                        + "expected, p_value; layer 'all' for the totals), DIR/overlap.json (the same, with where each "
                        + "set came from) and DIR/overlap_K_SET.png per compared set (observed and expected by layer).",
                ""},
        footer = {"",
                "Examples:", "  tn overlap out/ja-type2-detect/ranking.tsv out/lape/language_specific.tsv --top-n 1000",
                "  tn overlap out/ja-type1-detect/ranking.tsv out/lape/language_specific.tsv --top-n 1000 --lang ja "
                        + "--out out/overlap-ja"})
final class OverlapCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "FILE", arity = "2..*",
            description = "The transfer neurons (A), then the sets to compare "
                    + "with them: ranking.tsv, a neuron list (layer<TAB>neuron, e.g. deactivated.tsv) or language_specific.tsv.")
    List<Path> files;

    @Option(names = "--top-n", paramLabel = "N",
            description = "How many neurons of each ranking.tsv to take, from the top (default: the paper's "
                    + RankedNeurons.PAPER_TOP_N + ", or the whole ranking when it lists fewer).")
    Integer topN;

    @Option(names = "--lang", paramLabel = "XX", converter = Converters.LanguageCodes.class,
            description = "Take only this language's neurons from language_specific.tsv files (default: every language "
                    + "in them, each a set of its own).")
    String lang;

    @Option(names = "--n-ff", paramLabel = "F",
            description =
                    "Neurons per layer (the model's n_ff), when no run.json lies beside the files; checked against "
                    + "those that do.")
    Integer nFf;

    @Mixin
    TablesOutOption out;

    @Mixin
    ForceOption force;

    @Mixin
    QuietOption quiet;

    @Mixin
    JsonOption json;

    /** The model's shape as the run.json files and --n-ff tell it; nLayer null when no run.json does. */
    private record Shape(Integer nLayer, int nFf) {}

    @Override
    public Integer call() {
        if (nFf != null && nFf < 1) throw new InvalidValueException("--n-ff must be at least 1, is {}", nFf);
        if (out.dir != null) OutputFolder.refuseToReplace(out.dir, force.force);
        Shape shape = shape();
        List<NeuronLists.Named> first = NeuronLists.read(files.get(0), topN, lang);
        if (first.size() != 1) {
            throw new InvalidValueException(
                    "{} holds the neurons of {} languages ({}); the transfer neurons must be one set: "
                            + "pick a language with --lang",
                    files.get(0), first.size(),
                    first.stream().map(NeuronLists.Named::label).collect(Collectors.joining(", ")));
        }
        List<NeuronLists.Named> compared = new ArrayList<>();
        for (Path f : files.subList(1, files.size())) compared.addAll(NeuronLists.read(f, topN, lang));
        List<NeuronLists.Named> all = new ArrayList<>(first);
        all.addAll(compared);
        int nLayer = shape.nLayer() != null
                ? shape.nLayer()
                : all.stream().flatMap(s -> s.neurons().stream()).mapToInt(Neuron::layer).max().orElse(0) + 1;
        for (NeuronLists.Named s : all) NeuronSet.checkWithin(s.neurons(), nLayer, shape.nFf(), s.file());

        OverlapReport report = OverlapReport.of(first.get(0), compared, nLayer, shape.nFf());
        List<Path> written = out.dir != null ? write(report, out.dir) : List.of(); // a failure leaves stdout empty
        if (json.json) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("command", "overlap");
            m.put("out", out.dir == null ? null : out.dir.toAbsolutePath().toString());
            m.put("files", Outcome.paths(written));
            m.putAll(report.json());
            Outcome.json(spec, m);
        } else if (!quiet.quiet) {
            spec.commandLine().getOut().print(report.table());
            if (out.dir != null) spec.commandLine().getOut().println(Outcome.wrote(written, out.dir));
        }
        spec.commandLine().getOut().flush();
        return 0;
    }

    private Shape shape() {
        Integer layers = null, width = nFf;
        Path widthFrom = null;
        for (Path f : files) {
            Path dir = f.toAbsolutePath().getParent();
            if (dir == null || !Files.isRegularFile(dir.resolve("run.json"))) continue;
            RunJson run = RunJson.of(dir);
            int l = run.integer("model.n_layer"), w = run.integer("model.n_ff");
            if (width != null && width != w) {
                throw new InputException(run.file() + " records n_ff " + w + ", but "
                        + (widthFrom == null ? "--n-ff is " : widthFrom + " records ") + width
                        + ": the files come from different models");
            }
            if (layers != null && layers != l) {
                throw new InputException(run.file() + " records n_layer " + l + ", but " + widthFrom + " records "
                        + layers + ": the files come from different models");
            }
            layers = l;
            width = w;
            widthFrom = run.file();
        }
        if (width == null) {
            throw new InvalidValueException(
                    "no run.json lies beside the files to tell the model's n_ff: give --n-ff F");
        }
        return new Shape(layers, width);
    }

    /** The files, staged and moved into out together (overlap.json last), under its lock. */
    private static List<Path> write(OverlapReport report, Path out) {
        try (OutputFolder folder = OutputFolder.open(out)) {
            Path dir = folder.staging();
            List<Path> files = new ArrayList<>();
            files.add(dir.resolve("overlap.tsv"));
            AtomicFile.writeString(files.get(0), report.tsv());
            for (int k = 0; k < report.comparisons().size(); k++) {
                OverlapReport.Comparison c = report.comparisons().get(k);
                String slug = c.set().label().replaceAll("[^A-Za-z0-9._-]+", "_");
                Path png = dir.resolve("overlap_" + (k + 1) + "_" + slug + ".png");
                OverlapPlot.write(png,
                        "Shared with " + report.transfer().label() + " (" + report.transfer().neurons().size()
                                + "): " + c.set().label() + " (" + c.set().neurons().size() + "), n_ff " + report.nFf(),
                        c.overlap());
                files.add(png);
            }
            Path json = dir.resolve("overlap.json");
            files.add(json);
            return folder.publish(files, json, f -> Json.write(f, report.json()));
        }
    }
}
