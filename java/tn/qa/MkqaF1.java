package tn.qa;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * MKQA's answer scores (mkqa_eval_util.py, calculate_f1 and calculate_em): token F1 and exact
 * match of the normalised answers ({@link MkqaNormalizer}), the best over a question's gold
 * answers. F1 counts common tokens as multisets; when either side has no tokens it is 1 if both
 * have none and 0 otherwise.
 */
public final class MkqaF1 {
    private MkqaF1() {}

    /** Token F1 of a prediction against one gold answer. */
    public static double f1(String prediction, String gold, String lang) {
        List<String> goldTokens = MkqaNormalizer.tokens(gold, lang);
        List<String> predicted = MkqaNormalizer.tokens(prediction, lang);
        if (goldTokens.isEmpty() || predicted.isEmpty()) return goldTokens.equals(predicted) ? 1 : 0;
        int common = common(goldTokens, predicted);
        if (common == 0) return 0;
        double precision = (double) common / predicted.size(), recall = (double) common / goldTokens.size();
        return 2 * precision * recall / (precision + recall);
    }

    /** Whether the normalised prediction equals the normalised gold answer. */
    public static boolean exactMatch(String prediction, String gold, String lang) {
        return MkqaNormalizer.normalize(prediction, lang).equals(MkqaNormalizer.normalize(gold, lang));
    }

    /**
     * The best F1 over the gold answers. No answers counts as one empty answer (MKQA's
     * unanswerable questions): 1 for an empty prediction, else 0.
     */
    public static double score(String prediction, List<String> answers, String lang) {
        return golds(answers).stream().mapToDouble(g -> f1(prediction, g, lang)).max().orElseThrow();
    }

    /** Whether the prediction matches any gold answer exactly; no answers counts as one empty answer. */
    public static boolean exactMatch(String prediction, List<String> answers, String lang) {
        return golds(answers).stream().anyMatch(g -> exactMatch(prediction, g, lang));
    }

    private static List<String> golds(List<String> answers) {
        return answers.isEmpty() ? List.of("") : answers;
    }

    /** The size of the multiset intersection. */
    private static int common(List<String> a, List<String> b) {
        Map<String, Integer> counts = new HashMap<>();
        for (String t : a) counts.merge(t, 1, Integer::sum);
        int common = 0;
        for (String t : b) {
            Integer left = counts.get(t);
            if (left != null && left > 0) {
                counts.put(t, left - 1);
                common++;
            }
        }
        return common;
    }
}
