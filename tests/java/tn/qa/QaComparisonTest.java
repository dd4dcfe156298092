package tn.qa;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tn.io.InputException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The original's visualization.py comparison, on its own pickles (tests/data/README.md) and on tn's answers.tsv. */
class QaComparisonTest {
    static final Path PKL = Path.of("tests/data/pkl");

    @Test
    void theOriginalsPicklesGiveItsOwnMeans() {
        QaComparison c = QaComparison.of(QuestionScores.read(PKL.resolve("qa_normal_ja.pkl")),
                QuestionScores.read(PKL.resolve("qa_type1_ja.pkl")),
                QuestionScores.read(PKL.resolve("qa_baseline_ja.pkl")), QaComparison.THRESHOLDS);
        QaComparison.AtThreshold high = c.thresholds().get(0), low = c.thresholds().get(1);
        assertEquals(0.8, high.threshold());
        assertEquals(List.of(0L, 7L), high.questions().stream().map(QaComparison.Question::id).toList());
        assertEquals(0.9, high.meanPlain(), 1e-15);
        assertEquals(0.125, high.meanDeactivated(), 1e-15);
        assertEquals(0.9, high.meanBaseline(), 1e-15);
        assertEquals(4, low.questions().size());
        assertEquals(0.7416666666666666, low.meanPlain(), 1e-15);
        assertEquals(0.2875, low.meanDeactivated(), 1e-15);
        assertEquals(0.7166666666666667, low.meanBaseline(), 1e-15);
        QaComparison none = QaComparison.of(c.plain(), c.deactivated(), c.baseline(), 1.5);
        assertTrue(
                Double.isNaN(none.thresholds().get(0).meanPlain()), "no question: the mean is NaN, as np.mean of []");
    }

    @Test
    void answersTsvByLineAndErrors(@TempDir Path dir) throws IOException {
        String header =
                "line\tquestion\tgold_answers\tprediction\tf1\texact_match\tgenerated\tstop\tgenerated_tokens\tmin_top2_margin\n";
        Path plain = Files.writeString(dir.resolve("plain.tsv"),
                header + "1\tq\t[]\ta\t1.000000\t1\ta\tmax_new_tokens\t1\t0.5\n"
                        + "2\tq\t[]\tb\t0.500000\t0\tb\tmax_new_tokens\t1\t0.5\n");
        Path off = Files.writeString(dir.resolve("off.tsv"),
                header + "2\tq\t[]\tb\t0.000000\t0\tb\tmax_new_tokens\t1\t0.5\n"
                        + "1\tq\t[]\ta\t0.250000\t0\ta\tmax_new_tokens\t1\t0.5\n");
        QaComparison c =
                QaComparison.of(QuestionScores.read(plain), QuestionScores.read(off), QuestionScores.read(plain), 0.5);
        assertEquals(0.75, c.thresholds().get(0).meanPlain(), 1e-15);
        assertEquals(0.125, c.thresholds().get(0).meanDeactivated(), 1e-15);

        Path partial = Files.writeString(dir.resolve("partial.tsv"), header + "1\tq\t[]\ta\t0.25\t0\ta\tx\t1\t0.5\n");
        InputException e = assertThrows(InputException.class,
                ()
                        -> QaComparison.of(QuestionScores.read(plain), QuestionScores.read(partial),
                                QuestionScores.read(plain), 0.5));
        assertTrue(e.getMessage().contains("partial.tsv has no score for question 2"), e.getMessage());
        Path twice = Files.writeString(dir.resolve("twice.tsv"),
                header + "1\tq\t[]\ta\t0.25\t0\ta\tx\t1\t0.5\n1\tq\t[]\ta\t0.5\t0\ta\tx\t1\t0.5\n");
        e = assertThrows(InputException.class, () -> QuestionScores.read(twice));
        assertTrue(e.getMessage().contains("twice.tsv:3: question 1 is scored twice"), e.getMessage());
        Path other = Files.writeString(dir.resolve("other.tsv"), "rank\tlayer\tneuron\tscore\n");
        e = assertThrows(InputException.class, () -> QuestionScores.read(other));
        assertTrue(e.getMessage().contains("other.tsv:1: not tn qa's answers.tsv"), e.getMessage());
        e = assertThrows(InputException.class, () -> QuestionScores.read(PKL.resolve("ja_type1_top2.pkl")));
        assertTrue(e.getMessage().contains("ja_type1_top2.pkl entry 0: F1 17.0 is not in [0, 1]"), e.getMessage());
    }
}
