package tn.analysis;

import tn.io.InvalidValueException;
import tn.data.ReferencePickles;
import tn.llama.Neuron;
import tn.method.TransferType;
import tn.record.RunJson;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The top neurons of one detection's ranking.tsv (or of the original implementation's ranking
 * pickles), with what the specificity analysis needs to know of the detection: the language the
 * neurons were detected for (their target) and their transfer type, both read from the run.json
 * that tn detect writes beside the ranking, or else from the original's file name
 * ({@code ja_type1_top1000.pkl}).
 *
 * @param file   the ranking.tsv
 * @param label  a short name for tables and plots: the ranking's folder, or its file name
 * @param target the language code the neurons are tested for
 * @param type   "type1", "type2", or "?" when no run.json says
 * @param top    the neurons, in rank order
 */
public record RankedNeurons(Path file, String label, String target, String type, NeuronSet top) {
    /** The paper's number of transfer neurons, the default --top-n. */
    public static final int PAPER_TOP_N = 1000;
    public static final String UNKNOWN_TYPE = "?";

    /**
     * Reads the top topN neurons of each file; topN null takes the paper's 1000, or the whole
     * ranking when it lists fewer (a detection run with a smaller --top-n), while an explicit topN
     * beyond a ranking's length is an error. target null takes each run.json's language; a ranking
     * without one is then a usage error naming the file. Labels are the rankings' places below the
     * folder they all share ("ja/type1/detect" for .../results/ja/type1/detect/ranking.tsv).
     */
    public static List<RankedNeurons> read(List<Path> files, Integer topN, String target) {
        List<Path> abs = files.stream().map(f -> f.toAbsolutePath().normalize()).toList();
        Path common = abs.get(0).getParent();
        for (Path f : abs)
            while (common != null && !f.startsWith(common)) common = common.getParent();
        List<RankedNeurons> out = new ArrayList<>();
        for (int k = 0; k < files.size(); k++) out.add(read(files.get(k), label(abs.get(k), common), topN, target));
        return out;
    }

    /** One ranking, labelled by its folder. */
    public static RankedNeurons read(Path file, Integer topN, String target) {
        return read(List.of(file), topN, target).get(0);
    }

    private static RankedNeurons read(Path file, String label, Integer topN, String target) {
        List<Neuron> ranked = NeuronSet.readRanking(file);
        NeuronSet top = NeuronSet.top(file, ranked, topN != null ? topN : Math.min(PAPER_TOP_N, ranked.size()));
        Path dir = file.toAbsolutePath().getParent();
        RunJson detection = dir != null && Files.isRegularFile(dir.resolve("run.json")) ? RunJson.of(dir) : null;
        Optional<ReferencePickles.Name> seedName =
                detection == null ? ReferencePickles.Name.of(file) : Optional.empty();
        String lang = target != null ? target
                : detection != null  ? field(detection, "parameters.lang")
                                     : seedName.map(ReferencePickles.Name::lang).orElse(null);
        if (lang == null) {
            throw new InvalidValueException("{ranking} {}: neither a run.json beside it nor its name ({}) gives its "
                            + "language; give the target language with {target}",
                    file, "{lang}_{type}_top{n}.pkl");
        }
        String type =
                detection != null ? field(detection, "parameters.type") : seedName.map(n -> n.type().id()).orElse(null);
        return new RankedNeurons(file, label, lang, type != null ? knownType(type) : UNKNOWN_TYPE, top);
    }

    /** The neurons, after checking that the ranking comes from a model of this shape and each neuron exists in it. */
    public List<Neuron> neuronsIn(int nLayer, int nFf) {
        NeuronSet.checkDetectedOn(file, nLayer, nFf);
        return top.within(nLayer, nFf, file).neurons();
    }

    /** What run.json records of this ranking, and so what a checkpoint's fingerprint holds. */
    public Map<String, Object> parameters() {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("file", file.toAbsolutePath().toString());
        p.put("label", label);
        p.put("target", target);
        p.put("type", type);
        p.put("top_n", top.neurons().size());
        p.put("neurons", top.neurons().toString()); // an edited ranking must not be resumed into
        return p;
    }

    /** file below common, less a final "ranking.tsv"; the file's folder name when nothing is left. */
    private static String label(Path file, Path common) {
        String below = common == null ? file.toString() : common.relativize(file).toString();
        String name = String.valueOf(file.getFileName());
        if (name.equals("ranking.tsv"))
            below = below.substring(0, below.length() - name.length()).replaceAll("/+$", "");
        if (!below.isEmpty()) return below;
        return file.getParent() != null && file.getParent().getFileName() != null
                ? file.getParent().getFileName().toString()
                : name;
    }

    private static String knownType(String recorded) {
        try {
            return TransferType.parse(recorded).id();
        } catch (InvalidValueException e) {
            return UNKNOWN_TYPE;
        }
    }

    /** A field of the detection's run.json, or null when there is no run.json or it lacks the field. */
    private static String field(RunJson detection, String path) {
        return detection == null ? null : detection.optionalText(path).orElse(null);
    }
}
