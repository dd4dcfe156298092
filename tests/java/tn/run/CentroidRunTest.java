package tn.run;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tn.TestModels;
import tn.llama.Model;
import tn.data.CentroidFile;
import tn.method.Centroids;
import tn.method.LastLayer;
import tn.method.TransferType;
import tn.reference.ReferenceForward;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Centroids equal their definition computed with the float64 forward pass: Type-1 the mean of
 * pair midpoints, Type-2 the mean of states; the last layer after the final norm by default,
 * its raw output with --last-layer raw.
 */
class CentroidRunTest {
    static final tn.io.Console SILENT = tn.io.Console.silent();
    static final String[][] PAIRS = {
            {"The cat is sleeping on the sofa.", "猫がソファの上で寝ています。"},
            {"Where is the station?", "駅はどこですか？"},
            {"It is raining today.", "今日は雨が降っています。"},
    };

    static Centroids run(TransferType type, LastLayer last, Path data, Path out) {
        RunInput input =
                type == TransferType.TYPE1 ? new RunInput.Pairs(data, "ja") : new RunInput.Sentences(data, "ja");
        CentroidRun run = new CentroidRun(new RunContext(TestModels.file(TestModels.SPM), input, out,
                                                  RunSettings.defaults().withBatch(2).withLastLayer(last), SILENT),
                type);
        run.execute();
        try (Model m = Model.open(TestModels.file(TestModels.SPM))) {
            Centroids fromFile = CentroidFile.read(out.resolve("centroids.npy"), m.info());
            assertEquals(List.of(fromFile.values().length), List.of(run.centroids().values().length));
            return fromFile;
        }
    }

    /** h_l of a sentence's last token by the float64 forward pass. */
    static double[][] hidden(ReferenceForward ref, int[] tokens, LastLayer last) {
        ReferenceForward.Result r = ref.forward(tokens, ReferenceForward.Deactivation.none());
        int nLayer = r.lOut().length, p = tokens.length - 1;
        double[][] h = new double[nLayer][];
        for (int l = 0; l < nLayer; l++) h[l] = r.lOut()[l][p];
        if (last == LastLayer.NORMED) h[nLayer - 1] = r.resultNorm()[p];
        return h;
    }

    static void assertClose(double[][] expected, Centroids actual) {
        double max = 0;
        for (int l = 0; l < expected.length; l++) {
            double[] got = actual.layer(l);
            for (int j = 0; j < got.length; j++) max = Math.max(max, Math.abs(got[j] - expected[l][j]));
        }
        assertTrue(max < 1e-4, "centroids differ from the definition by " + max);
    }

    @Test
    void typeOneIsTheMeanOfPairMidpoints(@TempDir Path dir) throws IOException {
        Path tsv = dir.resolve("pairs.tsv");
        StringBuilder sb = new StringBuilder();
        for (String[] p : PAIRS) sb.append(p[0]).append('\t').append(p[1]).append('\n');
        Files.writeString(tsv, sb);
        for (LastLayer last : LastLayer.values()) {
            Centroids c = run(TransferType.TYPE1, last, tsv, dir.resolve("out-" + last.id()));
            ReferenceForward ref = TestModels.reference(TestModels.file(TestModels.SPM));
            double[][] expected = new double[c.nLayer()][c.nEmbd()];
            try (Model m = Model.open(TestModels.file(TestModels.SPM))) {
                for (String[] p : PAIRS) {
                    double[][] en = hidden(ref, m.tokenize(p[0]), last), l2 = hidden(ref, m.tokenize(p[1]), last);
                    for (int l = 0; l < c.nLayer(); l++) {
                        for (int j = 0; j < c.nEmbd(); j++) expected[l][j] += (en[l][j] + l2[l][j]) / 2 / PAIRS.length;
                    }
                }
            }
            assertClose(expected, c);
        }
    }

    @Test
    void typeTwoIsTheMeanOfStatesAndLastLayerRuleOnlyChangesTheLastLayer(@TempDir Path dir) throws IOException {
        Path txt = dir.resolve("ja.txt");
        StringBuilder sb = new StringBuilder();
        for (String[] p : PAIRS) sb.append(p[1]).append('\n');
        Files.writeString(txt, sb);
        Centroids normed = run(TransferType.TYPE2, LastLayer.NORMED, txt, dir.resolve("normed"));
        Centroids raw = run(TransferType.TYPE2, LastLayer.RAW, txt, dir.resolve("raw"));
        ReferenceForward ref = TestModels.reference(TestModels.file(TestModels.SPM));
        for (LastLayer last : LastLayer.values()) {
            double[][] expected = new double[normed.nLayer()][normed.nEmbd()];
            try (Model m = Model.open(TestModels.file(TestModels.SPM))) {
                for (String[] p : PAIRS) {
                    double[][] h = hidden(ref, m.tokenize(p[1]), last);
                    for (int l = 0; l < h.length; l++) {
                        for (int j = 0; j < h[l].length; j++) expected[l][j] += h[l][j] / PAIRS.length;
                    }
                }
            }
            assertClose(expected, last == LastLayer.NORMED ? normed : raw);
        }
        int last = normed.nLayer() - 1;
        for (int l = 0; l < last; l++)
            assertEquals(0, java.util.Arrays.compare(normed.layer(l), raw.layer(l)), "layer " + l);
        assertTrue(java.util.Arrays.compare(normed.layer(last), raw.layer(last)) != 0, "the last layer differs");
    }
}
