package tn.analysis;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class SpecificityTableTest {
    static SpecificitySummary summary(String target, String type, double low, double high) {
        RankedNeurons r = new RankedNeurons(Path.of(target + "-" + type + "/ranking.tsv"), target + "-" + type, target,
                type, NeuronSet.none());
        return new SpecificitySummary(r, 1000, 0, low, high);
    }

    @Test
    void rowsAreLanguagesAndColumnsTypesAsInThePaper() {
        String table = SpecificityTable.render(List.of(
                summary("ja", "type1", 0.381, 0.2), summary("nl", "type1", 0.075, 0.01),
                summary("ja", "type2", 0.604, 0.3), summary("nl", "type2", 0.522, 0.25)));
        List<String> lines = table.lines().toList();
        assertEquals("share    | Type-1                | Type-2               ", lines.get(0));
        assertEquals("target   | eta2>0.1  eta2>0.25 | eta2>0.1  eta2>0.25", lines.get(1));
        assertEquals("ja       |    0.381      0.200 |    0.604      0.300", lines.get(2));
        assertEquals("nl       |    0.075      0.010 |    0.522      0.250", lines.get(3));
        assertEquals(5, lines.size());
    }

    @Test
    void aSecondRankingOfTheSameCellOpensARowAndMissingCellsShowADash() {
        String table = SpecificityTable.render(List.of(
                summary("ko", "type2", 0.3, 0.1), summary("ko", "type2", 0.4, 0.2), summary("ko", "?", 0.5, 0.25)));
        List<String> lines = table.lines().toList();
        assertEquals("share    | Type-2                | type unknown         ", lines.get(0));
        assertEquals("ko       |    0.300      0.100 |    0.500      0.250", lines.get(2));
        assertEquals("ko       |    0.400      0.200 |        -          -", lines.get(3));
    }
}
