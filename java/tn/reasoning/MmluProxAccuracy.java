package tn.reasoning;

import tn.io.AtomicFile;
import tn.io.Json;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Exact-match accuracy per subject and the size-weighted total over the subjects (the task
 * group's aggregate in lm-evaluation-harness: the subjects' accuracies weighted by their
 * numbers of questions, i.e. all right answers over all questions).
 */
public final class MmluProxAccuracy {
    private final int[] questions = new int[Subject.values().length];
    private final int[] right = new int[Subject.values().length];

    /** One row of the table: a subject, or "total". */
    public record Line(String subject, int questions, int correct, double accuracy) {}

    public void add(Subject subject, boolean correct) {
        questions[subject.ordinal()]++;
        if (correct) right[subject.ordinal()]++;
    }

    /** The subjects with questions, in the task's order, then the total. */
    public List<Line> lines() {
        List<Line> lines = new ArrayList<>();
        int n = 0, c = 0;
        for (Subject s : Subject.values()) {
            int i = s.ordinal();
            if (questions[i] == 0) continue;
            lines.add(new Line(s.id(), questions[i], right[i], (double) right[i] / questions[i]));
            n += questions[i];
            c += right[i];
        }
        lines.add(new Line("total", n, c, n == 0 ? Double.NaN : (double) c / n));
        return lines;
    }

    public Line total() {
        List<Line> l = lines();
        return l.get(l.size() - 1);
    }

    /** accuracy.tsv: subject, n, correct, accuracy, and the total row. */
    public void writeTsv(Path file) {
        StringBuilder b = new StringBuilder("subject\tn\tcorrect\taccuracy\n");
        for (Line l : lines()) {
            b.append(String.format(
                    Locale.ROOT, "%s\t%d\t%d\t%.6f%n", l.subject(), l.questions(), l.correct(), l.accuracy()));
        }
        AtomicFile.writeString(file, b.toString());
    }

    /** accuracy.json: the facts given, then per subject and the total. */
    public void writeJson(Path file, Map<String, Object> facts) {
        Map<String, Object> j = new LinkedHashMap<>(facts);
        Map<String, Object> subjects = new LinkedHashMap<>();
        for (Line l : lines()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("n", l.questions());
            m.put("correct", l.correct());
            m.put("accuracy", l.accuracy());
            if (l.subject().equals("total"))
                j.put("total", m);
            else
                subjects.put(l.subject(), m);
        }
        j.put("subjects", subjects);
        Json.write(file, j);
    }
}
