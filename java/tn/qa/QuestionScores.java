package tn.qa;

import tn.data.Pickles;
import tn.data.ReferencePickles;
import tn.io.InputException;
import tn.io.InputFile;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One question-answering run's F1 per question, keyed by the question's id: tn qa's answers.tsv
 * (the id is the question's line in the questions file, column "line"; F1 column "f1"), or the
 * original implementation's pickle of the same, a list of (q_idx, f1) tuples (its data/qa/*.pkl).
 *
 * @param f1 question id to F1, in the file's order
 */
public record QuestionScores(Path file, Map<Long, Double> f1) {
    public QuestionScores {
        f1 = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(f1));
    }

    public static QuestionScores read(Path file) {
        Map<Long, Double> f1 = new LinkedHashMap<>();
        if (ReferencePickles.isPickle(file)) {
            if (!(Pickles.load(file) instanceof List<?> list)) {
                throw new InputException(file + ": expected a pickled list of (question index, F1) tuples");
            }
            for (int k = 0; k < list.size(); k++) {
                List<?> t = list.get(k) instanceof Object[] a ? Arrays.asList(a) : List.of();
                if (t.size() != 2 || !(t.get(0) instanceof Number id) || !(t.get(1) instanceof Number score)) {
                    throw new InputException(
                            file + " entry " + k + ": expected a (question index, F1) tuple of numbers");
                }
                put(f1, id.longValue(), score.doubleValue(), file + " entry " + k);
            }
        } else {
            readTsv(file, f1);
        }
        if (f1.isEmpty()) throw new InputException(file + ": no questions");
        return new QuestionScores(file, f1);
    }

    private static void readTsv(Path file, Map<Long, Double> f1) {
        List<String> lines = InputFile.readAllLines(file);
        List<String> header = lines.isEmpty() ? List.of() : List.of(lines.get(0).split("\t", -1));
        int idColumn = header.indexOf("line"), f1Column = header.indexOf("f1");
        if (idColumn < 0 || f1Column < 0) {
            throw new InputException(file + ":1: not tn qa's answers.tsv (no \"line\" and \"f1\" columns), nor a .pkl");
        }
        for (int i = 1; i < lines.size(); i++) {
            if (lines.get(i).isBlank()) continue;
            String[] cells = lines.get(i).split("\t", -1);
            String at = file + ":" + (i + 1);
            try {
                put(f1, Long.parseLong(cells[idColumn].strip()), Double.parseDouble(cells[f1Column].strip()), at);
            } catch (NumberFormatException | ArrayIndexOutOfBoundsException e) {
                throw new InputException(at + ": expected a question's line number and its F1", e);
            }
        }
    }

    private static void put(Map<Long, Double> f1, long id, double score, String at) {
        if (!(score >= 0 && score <= 1)) throw new InputException(at + ": F1 " + score + " is not in [0, 1]");
        if (f1.put(id, score) != null) throw new InputException(at + ": question " + id + " is scored twice");
    }
}
