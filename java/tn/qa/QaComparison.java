package tn.qa;

import tn.io.Tsv;
import tn.io.InputException;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
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
public record QaComparison(
        QuestionScores plain, QuestionScores deactivated, QuestionScores baseline, List<AtThreshold> thresholds) {
    /** The original's thresholds. */
    public static final double[] THRESHOLDS = {0.8, 0.5};

    /** One question's F1 in the three runs. */
    public record Question(long id, double plain, double deactivated, double baseline) {}

    /** The questions answered at least this well without intervention, and their mean F1 per run (NaN for none). */
    public record AtThreshold(double threshold, List<Question> questions, double meanPlain, double meanDeactivated,
            double meanBaseline) {}

    public static QaComparison of(
            QuestionScores plain, QuestionScores deactivated, QuestionScores baseline, double... thresholds) {
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

    /** The table printed: a row per threshold, the questions and their mean F1 in each run. */
    public String table() {
        StringBuilder b = new StringBuilder(String.format(
                Locale.ROOT, "%-9s  %9s  %8s  %12s  %8s%n", "F1 >=", "questions", "plain", "neurons off", "baseline"));
        for (AtThreshold t : thresholds) {
            b.append(String.format(Locale.ROOT, "%-9s  %9d  %8.4f  %12.4f  %8.4f%n", number(t.threshold()),
                    t.questions().size(), t.meanPlain(), t.meanDeactivated(), t.meanBaseline()));
        }
        b.append("(mean F1 of the questions answered at least this well without intervention, in each run)\n");
        return b.toString();
    }

    /** qa_compare.tsv: threshold, questions, mean_f1_plain, mean_f1_deactivated, mean_f1_baseline. */
    public String tsv() {
        StringBuilder b =
                new StringBuilder("threshold\tquestions\tmean_f1_plain\tmean_f1_deactivated\tmean_f1_baseline\n");
        for (AtThreshold t : thresholds) {
            b.append(Tsv.row(
                    number(t.threshold()), t.questions().size(), t.meanPlain(), t.meanDeactivated(), t.meanBaseline()));
        }
        return b.toString();
    }

    /** qa_compare_questions.tsv: threshold, question, f1_plain, f1_deactivated, f1_baseline: the scatter plots' points. */
    public String questionsTsv() {
        StringBuilder b = new StringBuilder("threshold\tquestion\tf1_plain\tf1_deactivated\tf1_baseline\n");
        for (AtThreshold t : thresholds) {
            for (Question q : t.questions()) {
                b.append(Tsv.row(number(t.threshold()), q.id(), q.plain(), q.deactivated(), q.baseline()));
            }
        }
        return b.toString();
    }

    /** 0.8, not 0.80000000000000004. */
    public static String number(double threshold) {
        return java.math.BigDecimal.valueOf(threshold).stripTrailingZeros().toPlainString();
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
