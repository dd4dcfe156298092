package tn.analysis;

import tn.io.Tsv;
import tn.io.AtomicFile;
import tn.io.InputException;
import tn.io.InputFile;
import tn.llama.Neuron;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * language_specific.tsv, LAPE's selection: a header, then one row per (language, neuron),
 * sorted by language, layer, neuron: {@code language layer neuron entropy probability share},
 * where probability is the language's activation probability p and share its part of the sum of
 * p over languages (q). Layer and neuron are 0-based. A language that owns no neuron has no row.
 */
public final class LanguageSpecificTsv {
    static final String HEADER = "language\tlayer\tneuron\tentropy\tprobability\tshare";

    private LanguageSpecificTsv() {}

    public static void write(Path file, Lape lape, Lape.Selection selection) {
        Map<String, Integer> byCode = new TreeMap<>();
        for (int g = 0; g < lape.languages().size(); g++) byCode.put(lape.languages().get(g), g);
        StringBuilder b = new StringBuilder(HEADER).append('\n');
        for (Map.Entry<String, Integer> language : byCode.entrySet()) {
            for (Neuron n : selection.byLanguage().get(language.getValue())) {
                double p = lape.probability(language.getValue(), n.layer(), n.index());
                double sum = 0;
                for (int g = 0; g < lape.languages().size(); g++) sum += lape.probability(g, n.layer(), n.index());
                b.append(Tsv.row(
                        language.getKey(), n.layer(), n.index(), lape.entropy(n.layer(), n.index()), p, p / sum));
            }
        }
        AtomicFile.writeString(file, b.toString());
    }

    /** Each language's neurons, languages sorted, neurons sorted; errors name the file and line. */
    public static Map<String, List<Neuron>> read(Path file) {
        List<String> lines = InputFile.readAllLines(file);
        if (lines.isEmpty() || !lines.get(0).startsWith("language\tlayer\tneuron")) {
            throw new InputException(file + ":1: not a language_specific.tsv (expected the header "
                    + "language<TAB>layer<TAB>neuron...)");
        }
        Map<String, Set<Neuron>> sets = new TreeMap<>();
        for (int i = 1; i < lines.size(); i++) {
            if (lines.get(i).isBlank()) continue;
            String[] f = lines.get(i).split("\t");
            String where = file + ":" + (i + 1) + ": ";
            if (f.length < 3 || f[0].isBlank()) throw new InputException(where + "expected language, layer, neuron");
            Neuron n;
            try {
                n = new Neuron(Integer.parseInt(f[1].strip()), Integer.parseInt(f[2].strip()));
            } catch (IllegalArgumentException e) {
                throw new InputException(where + e.getMessage(), e);
            }
            if (!sets.computeIfAbsent(f[0].strip(), k -> new TreeSet<>()).add(n)) {
                throw new InputException(where + f[0].strip() + " " + n + " is listed twice");
            }
        }
        Map<String, List<Neuron>> out = new TreeMap<>();
        sets.forEach((lang, set) -> out.put(lang, new ArrayList<>(set)));
        return out;
    }
}
