package tn.compare;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Spearman and Kendall on tied scores equal SciPy's spearmanr and kendalltau (tau-b), computed
 * by SciPy itself (tests/data/compare/ties.json), and the slow textbook definitions.
 */
class AgreementScipyTest {
    @ParameterizedTest
    @ValueSource(strings = {"ties_both", "ties_reference_only", "float32_ties", "distinct"})
    void rankCorrelationsEqualScipys(String name) {
        ScipyTies c = ScipyTies.of(name);
        Agreement a = Agreement.of(c.reference(), c.other(), Comparison.KS, 5);
        assertEquals(c.spearman(), a.spearman(), 1e-12, name + " spearman");
        assertEquals(c.kendall(), a.kendall(), 1e-12, name + " kendall");
        assertEquals(NaiveAgreement.spearman(c.reference(), c.other()), a.spearman(), 1e-12, name);
        assertEquals(NaiveAgreement.kendall(c.reference(), c.other()), a.kendall(), 1e-12, name);
    }
}
