package tn.analysis;

import java.util.ArrayList;
import java.util.List;

/**
 * One ranking's result in one label setting, in the paper's terms: the share of its neurons whose
 * activation is specific at eta^2 >= 0.1 and at eta^2 >= 0.25, both with the ANOVA's p < 0.05
 * (Tables 13-20, as the original's htest.py counts); and, as its corr_analysis.py prints, the mean
 * eta^2 of the top 10, 100 and 1000 neurons. The shares are of every listed neuron, one whose
 * eta^2 is undefined (NaN) counting as not specific; a mean is over the top k neurons whose eta^2
 * is defined (the original's np.mean would be nan with any undefined; real models have none).
 *
 * @param undefined how many neurons had no eta^2 (constant activation)
 * @param meanEta2  the mean eta^2 of the top k, for each k of {@link #TOPS} up to the neurons listed
 */
public record SpecificitySummary(RankedNeurons ranking, LabelSetting labels, int neurons, int undefined,
        double shareAtLeast01, double shareAtLeast025, List<TopMean> meanEta2) {
    public static final double LOW = 0.1, HIGH = 0.25;
    public static final int[] TOPS = {10, 100, 1000};

    /** The mean eta^2 of the first k neurons of the ranking. */
    public record TopMean(int k, double meanEta2) {}

    public SpecificitySummary {
        meanEta2 = List.copyOf(meanEta2);
    }

    /** perNeuron in rank order. */
    public static SpecificitySummary of(RankedNeurons ranking, LabelSetting labels, List<Specificity> perNeuron) {
        int n = perNeuron.size();
        long undefined = perNeuron.stream().filter(s -> !s.defined()).count();
        long low = perNeuron.stream().filter(s -> s.specific(LOW)).count();
        long high = perNeuron.stream().filter(s -> s.specific(HIGH)).count();
        List<TopMean> means = new ArrayList<>();
        for (int k : TOPS) {
            if (k > n) break;
            means.add(new TopMean(k,
                    perNeuron.subList(0, k)
                            .stream()
                            .filter(Specificity::defined)
                            .mapToDouble(Specificity::eta2)
                            .average()
                            .orElse(Double.NaN)));
        }
        return new SpecificitySummary(ranking, labels, n, (int) undefined, (double) low / n, (double) high / n, means);
    }

    /** The mean eta^2 of the top k, NaN when the ranking lists fewer than k neurons. */
    public double meanEta2Top(int k) {
        return meanEta2.stream().filter(m -> m.k() == k).mapToDouble(TopMean::meanEta2).findFirst().orElse(Double.NaN);
    }
}
