package tn.qa;

import tn.io.InputException;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The original implementation's comparison of three question-answering runs (its
 * visualization.py): without intervention (plain), with the transfer neurons off, and with the
 * random baseline off. For each F1 threshold (0.8 and 0.5 there), the questions whose plain F1 is
 * at least the threshold, and their mean F1 in each run: how much of what the model could answer
 * switching the neurons off destroys, against switching as many random neurons off.
 *
 * @param thresholds one result per threshold, in the order given
 */
public record QaComparison(QuestionScores plain, QuestionScores deactivated, QuestionScores baseline,
                           List<AtThreshold> thresholds) {
    /** The original's thresholds. */
    public static final double[] THRESHOLDS = {0.8, 0.5};

    /** One question's F1 in the three runs. */
    public record Question(long id, double plain, double deactivated, double baseline) {
    }

    /** The questions answered at least this well without intervention, and their mean F1 per run (NaN for none). */
    public record AtThreshold(double threshold, List<Question> questions, double meanPlain, double meanDeactivated,
                              double meanBaseline) {
    }

    public static QaComparison of(QuestionScores plain, QuestionScores deactivated, QuestionScores baseline,
                                  double... thresholds) {
        List<AtThreshold> out = new ArrayList<>();
        for (double t : thresholds) {
            List<Question> kept = new ArrayList<>();
            for (Map.Entry<Long, Double> e : plain.f1().entrySet()) {
                if (e.getValue() < t) continue;
                kept.add(new Question(e.getKey(), e.getValue(), scoreOf(deactivated, e.getKey(), plain),
                        scoreOf(baseline, e.getKey(), plain)));
            }
            out.add(new AtThreshold(t, kept, mean(kept, Question::plain), mean(kept, Question::deactivated),
                    mean(kept, Question::baseline)));
        }
        return new QaComparison(plain, deactivated, baseline, out);
    }

    private static double scoreOf(QuestionScores run, long id, QuestionScores plain) {
        Double f1 = run.f1().get(id);
        if (f1 == null) {
            throw new InputException(run.file() + " has no score for question " + id + ", which " + plain.file()
                    + " has: the runs must answer the same questions");
        }
        return f1;
    }

    private static double mean(List<Question> questions, java.util.function.ToDoubleFunction<Question> f) {
        return questions.stream().mapToDouble(f).average().orElse(Double.NaN);
    }
}
