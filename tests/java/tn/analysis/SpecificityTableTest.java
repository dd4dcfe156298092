package tn.analysis;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class SpecificityTableTest {
    /** A summary of the given shares; its 100 neurons' eta^2 all equal mean, so the top 10 and top 100 mean that. */
    static SpecificitySummary summary(
            String target, String type, LabelSetting labels, double low, double high, double mean) {
        RankedNeurons r = new RankedNeurons(
                Path.of(target + "-" + type + "/ranking.tsv"), target + "-" + type, target, type, NeuronSet.none());
        List<Specificity> same = new ArrayList<>();
        for (int k = 0; k < 100; k++) same.add(SpecificityTest.specificity(mean, 1));
        SpecificitySummary s = SpecificitySummary.of(r, labels, same);
        return new SpecificitySummary(r, labels, 1000, 0, low, high, s.meanEta2());
    }

    static SpecificitySummary summary(String target, String type, double low, double high) {
        return summary(target, type, LabelSetting.LANGUAGE, low, high, 0.5);
    }

    @Test
    void rowsAreLanguagesAndColumnsTypesAsInThePaper() {
        String table =
                SpecificityTable.render(List.of(summary("ja", "type1", 0.381, 0.2), summary("nl", "type1", 0.075, 0.01),
                        summary("ja", "type2", 0.604, 0.3), summary("nl", "type2", 0.522, 0.25)));
        List<String> lines = table.lines().toList();
        assertEquals("language labels (1: the target's sentences)", lines.get(0));
        assertEquals("share     | Type-1                | Type-2               ", lines.get(1));
        assertEquals("target    | eta2>=0.1  eta2>=0.25 | eta2>=0.1  eta2>=0.25", lines.get(2));
        assertEquals("ja        |     0.381       0.200 |     0.604       0.300", lines.get(3));
        assertEquals("nl        |     0.075       0.010 |     0.522       0.250", lines.get(4));
        assertEquals("mean eta2 | Type-1                    | Type-2                   ", lines.get(6));
        assertEquals("target    |   top10   top100  top1000 |   top10   top100  top1000", lines.get(7));
        assertEquals("ja        |   0.500    0.500        - |   0.500    0.500        -", lines.get(8));
        assertEquals("nl        |   0.500    0.500        - |   0.500    0.500        -", lines.get(9));
        assertEquals(10, lines.size());
    }

    @Test
    void aSecondRankingOfTheSameCellOpensARowAndMissingCellsShowADash() {
        String table = SpecificityTable.render(List.of(
                summary("ko", "type2", 0.3, 0.1), summary("ko", "type2", 0.4, 0.2), summary("ko", "?", 0.5, 0.25)));
        List<String> lines = table.lines().toList();
        assertEquals("share     | Type-2                | type unknown         ", lines.get(1));
        assertEquals("ko        |     0.300       0.100 |     0.500       0.250", lines.get(3));
        assertEquals("ko        |     0.400       0.200 |         -           -", lines.get(4));
    }

    @Test
    void bothLabelSettingsEachGetTheirBlock() {
        String table = SpecificityTable.render(List.of(summary("ja", "type1", LabelSetting.LANGUAGE, 0.381, 0.249, 0.2),
                summary("ja", "type1", LabelSetting.FAMILY, 0.5, 0.3, 0.25)));
        List<String> lines = table.lines().toList();
        assertEquals("language labels (1: the target's sentences)", lines.get(0));
        assertEquals("ja        |     0.381       0.249", lines.get(3));
        assertEquals("ja        |   0.200    0.200        -", lines.get(7));
        assertEquals("", lines.get(8));
        assertEquals("language-family labels (1: the sentences of the target's family)", lines.get(9));
        assertEquals("ja        |     0.500       0.300", lines.get(12));
        assertEquals("ja        |   0.250    0.250        -", lines.get(16));
        assertEquals(17, lines.size());
    }
}
