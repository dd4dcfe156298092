package tn.analysis;

import tn.io.InvalidValueException;
import tn.io.InputException;
import tn.io.Npy;
import tn.llama.Neuron;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.stream.IntStream;

/**
 * Language activation probability entropy (LAPE; Tang et al., ACL 2024, "Language-Specific
 * Neurons"), computed as their identify.py computes it. For language g, layer l and neuron i,
 * p = (tokens of g where the activation was > 0) / (tokens of g); q = p normalised over the
 * languages (0 where every p is 0); entropy = -sum_g q ln q. Low entropy: the neuron fires for few
 * languages. Counts are per token; the languages' token counts may differ.
 */
public final class Lape {
    /**
     * identify.py's three rates. filterRate: a neuron is considered only if some language's p
     * exceeds this quantile of all p values; topRate: the share of all neurons selected, by lowest
     * entropy; activationBarRatio: a selected neuron belongs to each language whose p exceeds this
     * quantile of all p values.
     */
    public record Thresholds(double filterRate, double topRate, double activationBarRatio) {
        /** The paper's: 0.95, 0.01, 0.95. */
        public static final Thresholds PAPER = new Thresholds(0.95, 0.01, 0.95);

        public Thresholds {
            check("filter_rate", filterRate);
            check("top_rate", topRate);
            check("activation_bar_ratio", activationBarRatio);
        }

        private static void check(String name, double rate) {
            if (!(rate > 0 && rate <= 1))
                throw new InvalidValueException("{" + name + "} must be in (0, 1], is {}", rate);
        }
    }

    /**
     * A selection: per language (in the order given), its neurons sorted by (layer, neuron); a
     * neuron may belong to several languages or, selected yet under every language's bar, to none.
     *
     * @param filterValue the p value a neuron must exceed for some language to be considered
     * @param activationBar the p value a language must exceed to own a selected neuron
     * @param selected how many neurons the lowest-entropy step took
     */
    public record Selection(Thresholds thresholds, double filterValue, double activationBar, int selected,
            List<List<Neuron>> byLanguage) {
        public Selection {
            byLanguage = byLanguage.stream().map(List::copyOf).toList();
        }
    }

    private final List<String> languages;
    private final int nLayer, nFf;
    /** p, [language][layer][neuron] flattened in C order. */
    private final double[] probability;
    /** entropy, [layer][neuron] flattened. */
    private final double[] entropy;

    /**
     * @param tokens per language, the tokens counted
     * @param positive [language][layer][neuron]: of those tokens, how many had the neuron's activation > 0
     */
    public Lape(List<String> languages, long[] tokens, long[][][] positive) {
        if (languages.isEmpty()) throw new IllegalArgumentException("no languages");
        if (tokens.length != languages.size() || positive.length != languages.size()) {
            throw new IllegalArgumentException(languages.size() + " languages, " + tokens.length + " token counts, "
                    + positive.length + " activation tables");
        }
        this.languages = List.copyOf(languages);
        nLayer = positive[0].length;
        nFf = nLayer == 0 ? 0 : positive[0][0].length;
        if (nLayer == 0 || nFf == 0) throw new IllegalArgumentException("empty activation table");
        probability = new double[languages.size() * nLayer * nFf];
        for (int g = 0; g < languages.size(); g++) {
            if (tokens[g] <= 0) throw new InputException("no tokens were counted for language " + languages.get(g));
            if (positive[g].length != nLayer) throw new IllegalArgumentException("ragged activation table");
            for (int l = 0; l < nLayer; l++) {
                if (positive[g][l].length != nFf) throw new IllegalArgumentException("ragged activation table");
                for (int i = 0; i < nFf; i++) {
                    long c = positive[g][l][i];
                    if (c < 0 || c > tokens[g]) {
                        throw new IllegalArgumentException(languages.get(g) + " (" + l + ", " + i + "): " + c
                                + " positive of " + tokens[g] + " tokens");
                    }
                    probability[(g * nLayer + l) * nFf + i] = (double) c / tokens[g];
                }
            }
        }
        entropy = new double[nLayer * nFf];
        for (int n = 0; n < entropy.length; n++) entropy[n] = entropyOf(n);
    }

    private double entropyOf(int neuron) {
        double sum = 0;
        for (int g = 0; g < languages.size(); g++) sum += probability[g * entropy.length + neuron];
        if (sum == 0) return 0;
        double h = 0;
        for (int g = 0; g < languages.size(); g++) {
            double q = probability[g * entropy.length + neuron] / sum;
            if (q > 0) h -= q * Math.log(q);
        }
        return h;
    }

    public List<String> languages() {
        return languages;
    }

    public int nLayer() {
        return nLayer;
    }

    public int nFf() {
        return nFf;
    }

    public double probability(int language, int layer, int neuron) {
        return probability[(language * nLayer + layer) * nFf + neuron];
    }

    public double entropy(int layer, int neuron) {
        return entropy[layer * nFf + neuron];
    }

    /** activation_probability.npy: float64 [language, layer, neuron]. */
    public void writeProbabilities(Path file) {
        Npy.writeFloat64(file, probability, languages.size(), nLayer, nFf);
    }

    /** entropy.npy: float64 [layer, neuron]. */
    public void writeEntropy(Path file) {
        Npy.writeFloat64(file, entropy, nLayer, nFf);
    }

    /** The language-specific neurons, selected as identify.py selects them. */
    public Selection select(Thresholds t) {
        double filterValue = kthSmallest(probability, pythonRound(probability.length * t.filterRate()));
        double activationBar = kthSmallest(probability, pythonRound(probability.length * t.activationBarRatio()));
        // a neuron no language fires for above the filter value is dismissed: entropy +inf
        double[] candidate = new double[entropy.length];
        for (int n = 0; n < entropy.length; n++) {
            candidate[n] = maxProbability(n) > filterValue ? entropy[n] : Double.POSITIVE_INFINITY;
        }
        // torch.topk(k, largest=False) takes dismissed neurons too when too few are left; ties to the lower index
        int k = (int) pythonRound(entropy.length * t.topRate());
        int[] lowest = IntStream.range(0, candidate.length)
                               .boxed()
                               .sorted(Comparator.<Integer>comparingDouble(n -> candidate[n]).thenComparingInt(n -> n))
                               .limit(k)
                               .mapToInt(Integer::intValue)
                               .sorted()
                               .toArray();
        List<List<Neuron>> byLanguage = new ArrayList<>();
        for (int g = 0; g < languages.size(); g++) {
            List<Neuron> own = new ArrayList<>();
            for (int n : lowest) {
                if (probability[g * entropy.length + n] > activationBar) own.add(new Neuron(n / nFf, n % nFf));
            }
            byLanguage.add(own);
        }
        return new Selection(t, filterValue, activationBar, lowest.length, byLanguage);
    }

    private double maxProbability(int neuron) {
        double max = 0;
        for (int g = 0; g < languages.size(); g++) max = Math.max(max, probability[g * entropy.length + neuron]);
        return max;
    }

    /** torch.kthvalue: the k-th smallest value, k from 1. */
    static double kthSmallest(double[] values, long k) {
        if (k < 1 || k > values.length) {
            throw new InvalidValueException(
                    "the {}-th smallest of {} activation probabilities does not exist: the rate is "
                            + "too small for so few neurons and languages",
                    k, values.length);
        }
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[(int) (k - 1)];
    }

    /** Python's round(): half to even. */
    static long pythonRound(double x) {
        return (long) Math.rint(x);
    }
}
