package tn.analysis;

import tn.data.ReferencePickles;
import tn.io.InputException;
import tn.io.InputFile;
import tn.llama.Neuron;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The neuron sets a file holds, whichever of tn's files it is (told by its header): a detection's
 * ranking.tsv (its top n), a list of neurons (deactivated.tsv, {@code layer neuron}) or LAPE's
 * language_specific.tsv (one set per language, or the one language asked for). The original
 * implementation's .pkl rankings (a top-n list or a score dict) count as rankings.
 */
public final class NeuronLists {
    /**
     * @param label short name: the language, or the file's folder and name
     * @param origin what the set is, in words
     */
    public record Named(String label, String origin, Path file, Set<Neuron> neurons) {
        public Named {
            neurons = Set.copyOf(neurons);
        }
    }

    private NeuronLists() {}

    /**
     * @param topN how many of a ranking to take; null for the paper's 1000, or the whole ranking when it lists fewer
     * @param lang the language to take from a language_specific.tsv; null for all of them
     */
    public static List<Named> read(Path file, Integer topN, String lang) {
        String name = file.getFileName().toString();
        Path parent = file.toAbsolutePath().getParent();
        String where = (parent == null || parent.getFileName() == null ? "" : parent.getFileName() + "/") + name;
        String header = ReferencePickles.isPickle(file) ? null : firstLine(file); // a pickle is a ranking
        if (header == null || header.startsWith("rank\tlayer\tneuron")) {
            List<Neuron> ranked = NeuronSet.readRanking(file);
            int n = topN != null ? topN : Math.min(RankedNeurons.PAPER_TOP_N, ranked.size());
            List<Neuron> top = NeuronSet.top(file, ranked, n).neurons();
            return List.of(new Named(where + " top " + n, "top " + n + " of " + file, file, new LinkedHashSet<>(top)));
        }
        if (header.startsWith("language\tlayer\tneuron")) {
            Map<String, List<Neuron>> byLanguage = LanguageSpecificTsv.read(file);
            if (lang != null && !byLanguage.containsKey(lang)) {
                throw new InputException(file + " has no neurons for language " + lang
                        + " (it has: " + String.join(", ", byLanguage.keySet()) + ")");
            }
            if (byLanguage.isEmpty()) throw new InputException(file + ": no neurons listed");
            List<Named> out = new ArrayList<>();
            byLanguage.forEach((code, neurons) -> {
                if (lang == null || lang.equals(code)) {
                    out.add(new Named(code, code + "-specific neurons of " + file, file, new TreeSet<>(neurons)));
                }
            });
            return out;
        }
        if (header.equals("layer\tneuron")) {
            return List.of(new Named(where, "the neurons listed in " + file, file, readList(file)));
        }
        throw new InputException(file + ":1: not a ranking.tsv (rank, layer, neuron, score), a neuron list "
                + "(layer, neuron) or a language_specific.tsv (language, layer, neuron, ...)");
    }

    private static String firstLine(Path file) {
        return InputFile.readAllLines(file).stream().findFirst().orElse("").strip();
    }

    /** deactivated.tsv: {@code layer neuron} under a header; errors name the file and line. */
    private static Set<Neuron> readList(Path file) {
        List<String> lines = InputFile.readAllLines(file);
        Set<Neuron> out = new TreeSet<>();
        for (int i = 1; i < lines.size(); i++) {
            if (lines.get(i).isBlank()) continue;
            String[] f = lines.get(i).split("\t");
            String at = file + ":" + (i + 1) + ": ";
            if (f.length != 2) throw new InputException(at + "expected layer<TAB>neuron");
            Neuron n;
            try {
                n = new Neuron(Integer.parseInt(f[0].strip()), Integer.parseInt(f[1].strip()));
            } catch (IllegalArgumentException e) {
                throw new InputException(at + e.getMessage(), e);
            }
            if (!out.add(n)) throw new InputException(at + "neuron " + n + " is listed twice");
        }
        return out;
    }
}
