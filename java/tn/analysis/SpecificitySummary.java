package tn.analysis;

import java.util.List;

/**
 * One ranking's result in the paper's terms (Tables 13-16): the share of its neurons whose
 * activation is language-specific at eta^2 > 0.1 and at eta^2 > 0.25, both with p < 0.05. The
 * shares are of every listed neuron; one whose eta^2 is undefined (NaN) counts as not specific.
 *
 * @param undefined how many neurons had no eta^2 (constant activation)
 */
public record SpecificitySummary(RankedNeurons ranking, int neurons, int undefined, double shareAbove01,
                                 double shareAbove025) {
    public static final double LOW = 0.1, HIGH = 0.25;

    public static SpecificitySummary of(RankedNeurons ranking, List<Specificity> perNeuron) {
        int n = perNeuron.size();
        long undefined = perNeuron.stream().filter(s -> !s.defined()).count();
        long low = perNeuron.stream().filter(s -> s.specific(LOW)).count();
        long high = perNeuron.stream().filter(s -> s.specific(HIGH)).count();
        return new SpecificitySummary(ranking, n, (int) undefined, (double) low / n, (double) high / n);
    }
}
