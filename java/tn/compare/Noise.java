package tn.compare;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * A run's difference from the reference next to the reference's own sampling noise. Its
 * agreement (Spearman, top-k overlaps) is beyond the noise where it falls below the 5th
 * percentile of the reference's bootstrap agreement: what a fresh sample of as many sentences
 * would give one time in twenty. And neuron by neuron, the score shift against its standard
 * error, sqrt(se_ref^2 + se_run^2): the neurons that moved by more than z of them. The two runs
 * score the same sentences, so their errors are correlated and the combined error overstates the
 * noise of the difference: a neuron listed has moved for certain.
 *
 * @param verdict "within" or "beyond" the reference's sampling noise, or null without a bootstrap in the reference
 * @param beyond  the figures that fall below the reference's bootstrap 5th percentile
 * @param moved   the candidates whose score moved by more than z standard errors, by |shift| / se descending;
 *                null for a top-n list, which has no scores
 */
public record Noise(String verdict, List<String> beyond, List<Moved> moved) {
    /** One candidate that moved: flat index layer * n_ff + neuron. */
    public record Moved(int index, double reference, double score, double se) {
        public double shift() {
            return score - reference;
        }

        public double z() {
            return shift() / se;
        }
    }

    static Noise of(DetectionOutput reference, DetectionOutput run, Agreement agreement, int[] candidates, double z) {
        String verdict = null;
        List<String> beyond = new ArrayList<>();
        DetectionOutput.Bootstrap b = reference.bootstrap();
        if (b != null) {
            // a figure a top-n list cannot give (NaN) is never beyond
            if (agreement.spearman() < b.spearmanP5()) beyond.add("spearman");
            for (Agreement.TopK k : agreement.topK()) {
                double[] p5Median = b.overlapP5Median().get(k.k());
                if (p5Median != null && k.overlap() < p5Median[0]) beyond.add("overlap@" + k.k());
            }
            verdict = beyond.isEmpty() ? "within" : "beyond";
        }
        if (!run.scored()) return new Noise(verdict, List.copyOf(beyond), null);
        List<Moved> moved = new ArrayList<>();
        if (reference.standardErrors() != null && run != reference) {
            for (int i : candidates) {
                double seRef = reference.standardErrors()[i];
                double seRun = run.standardErrors() != null ? run.standardErrors()[i] : 0;
                double se = Math.sqrt(seRef * seRef + seRun * seRun);
                double shift = run.scores()[i] - reference.scores()[i];
                if (se > 0 && Math.abs(shift) > z * se)
                    moved.add(new Moved(i, reference.scores()[i], run.scores()[i], se));
            }
            moved.sort(Comparator.comparingDouble((Moved m) -> - Math.abs(m.z())).thenComparingInt(Moved::index));
        }
        return new Noise(verdict, List.copyOf(beyond), List.copyOf(moved));
    }

    /** The reference's bootstrap figures, for tables: Spearman's and each k's 5th percentile. */
    static Map<String, Double> referenceP5(DetectionOutput reference) {
        DetectionOutput.Bootstrap b = reference.bootstrap();
        if (b == null) return Map.of();
        java.util.LinkedHashMap<String, Double> m = new java.util.LinkedHashMap<>();
        m.put("spearman", b.spearmanP5());
        b.overlapP5Median().forEach((k, v) -> m.put("overlap@" + k, v[0]));
        return m;
    }
}
