package tn.cli;

import tn.TestRankings;
import tn.run.RunContext;
import tn.run.RunInput;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tn.TestModels;
import org.apache.commons.math3.stat.inference.TTest;
import tn.analysis.LabelSetting;
import tn.analysis.LanguageFamilies;
import tn.analysis.RankedNeurons;
import tn.analysis.SpecificityTest;
import tn.data.SentenceFiles;
import tn.llama.Capture;
import tn.llama.CaptureSpec;
import tn.llama.Kind;
import tn.llama.Model;
import tn.model.ModelSummary;
import tn.llama.Neuron;
import tn.llama.Session;
import tn.llama.SessionOptions;
import tn.method.LastLayer;
import tn.run.RunSettings;
import tn.run.SpecificityRun;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** tn specificity on a synthetic model: eta^2 and p against activations captured directly, shares, plot, table, errors. */
class SpecificityCommandTest {
    static final List<String> LANGS = List.of("ja", "ko", "en");

    @TempDir
    static Path dir;
    static Path model;
    static Path jaType1, koType2, plain;

    @BeforeAll
    static void plainRun() throws IOException {
        model = TestModels.file(TestModels.SPM);
        // layers 0 and 1 for the Type-1 ranking, 1..3 for the Type-2 one; (1, 0) and (1, 3) in both
        List<Neuron> early = new ArrayList<>(), late = new ArrayList<>();
        for (int i = 0; i < 15; i++) early.add(new Neuron(0, 6 * i + 1));
        for (int i = 0; i < 15; i++) early.add(new Neuron(1, 3 * i));
        late.add(new Neuron(1, 3));
        late.add(new Neuron(1, 0));
        for (int i = 0; i < 18; i++) late.add(new Neuron(2 + i % 2, 5 * i + 2));
        // what a detection's run.json says of the model: a ranking is checked against the model's shape
        ModelSummary shape = ModelSummary.of(model);
        String detected = "{\"command\": \"detect\", \"model\": {\"n_layer\": " + shape.nLayer()
                + ", \"n_ff\": " + shape.nFf() + "}, \"parameters\": ";
        jaType1 = ranking("ja-type1", early, detected + "{\"type\": \"type1\", \"lang\": \"ja\"}}");
        koType2 = ranking("ko-type2", late, detected + "{\"type\": \"type2\", \"lang\": \"ko\"}}");
        plain = dir.resolve("plain");
        TnCli.Result r = RunCommandsTest.tn("specificity", "--model", model.toString(), "--ranking", jaType1.toString(),
                "--ranking", koType2.toString(), "--sentences", sentences(), "--labels", "both", "--batch", "1",
                "--threads", "1", "--out", plain.toString());
        assertEquals(0, r.code(), r.err());
    }

    /** DIR/name/ranking.tsv listing neurons in rank order, with runJson beside it (none if null). */
    static Path ranking(String name, List<Neuron> neurons, String runJson) throws IOException {
        Path d = Files.createDirectories(dir.resolve(name));
        Path ranking = TestRankings.write(d.resolve("ranking.tsv"), neurons);
        if (runJson != null) Files.writeString(d.resolve("run.json"), runJson);
        return ranking;
    }

    static String sentences() {
        return String.join(",", LANGS.stream().map(l -> l + "=data/demo/" + l + ".txt").toList());
    }

    /**
     * Per language, per sentence, the activation row of each layer at the last token, one sentence per pass. One
     * thread, as the runs here: llama.cpp's spinning workers crawl on a machine shared with other jobs.
     */
    static Map<String, List<float[][]>> directActivations() {
        Map<String, List<float[][]>> out = new LinkedHashMap<>();
        try (Model m = Model.open(model);
                Session session = m.newSession(SessionOptions.defaults().withThreads(1).withKvF32(true))) {
            int nLayer = m.info().nLayer();
            CaptureSpec spec = CaptureSpec.lastToken().allLayers(Kind.ACTIVATION, nLayer).build();
            for (String lang : LANGS) {
                List<float[][]> rows = new ArrayList<>();
                for (String text : SentenceFiles.read(Path.of("data/demo/" + lang + ".txt"), lang).monolingual()) {
                    Capture c = session.run(List.of(m.tokenize(text)), spec);
                    float[][] a = new float[nLayer][];
                    for (int l = 0; l < nLayer; l++) a[l] = c.lastToken(Kind.ACTIVATION, l, 0);
                    rows.add(a);
                }
                out.put(lang, rows);
            }
        }
        return out;
    }

    record Row(String labels, String label, String target, String type, int rank, int layer, int neuron, double eta2,
            double p, double welchT, double welchP, long nTarget, long nOther, double[] means) {}

    /** The rows of one label setting (language or family) of a run's specificity.tsv. */
    static List<Row> readTsv(Path run, String labels) throws IOException {
        List<String> lines = Files.readAllLines(run.resolve("specificity.tsv"), StandardCharsets.UTF_8);
        assertEquals(
                "labels\tranking\tlabel\ttarget\ttype\trank\tlayer\tneuron\teta2\tp_value\twelch_t\twelch_df\twelch_p"
                        + "\tn_target\tn_other\tmean_ja\tmean_ko\tmean_en",
                lines.get(0));
        List<Row> rows = new ArrayList<>();
        for (String line : lines.subList(1, lines.size())) {
            String[] f = line.split("\t");
            if (!f[0].equals(labels)) continue;
            double[] means = new double[LANGS.size()];
            for (int g = 0; g < means.length; g++) means[g] = Double.parseDouble(f[15 + g]);
            rows.add(new Row(f[0], f[2], f[3], f[4], Integer.parseInt(f[5]), Integer.parseInt(f[6]),
                    Integer.parseInt(f[7]), Double.parseDouble(f[8]), Double.parseDouble(f[9]),
                    Double.parseDouble(f[10]), Double.parseDouble(f[12]), Long.parseLong(f[13]), Long.parseLong(f[14]),
                    means));
        }
        return rows;
    }

    static List<Row> readTsv(Path run) throws IOException {
        return readTsv(run, "language");
    }

    /**
     * With the original's families (ja+ko, nl+it+en): ja's and ko's label 1 is the 80 ja and ko sentences, label 0
     * the 40 en ones. eta^2, the ANOVA's p and Welch's t and p against the captured activations merged into the two
     * groups, computed directly (Commons Math's TTest for Welch); the shares and mean eta^2 of summary.tsv from them.
     */
    @Test
    void familyLabelsAndWelchAgainstDirectlyCapturedActivations() throws IOException {
        Map<String, List<float[][]>> acts = directActivations();
        List<Row> rows = readTsv(plain, "family");
        assertEquals(30 + 20, rows.size());
        TTest tTest = new TTest();
        Map<String, List<Double>> eta2ByLabel = new HashMap<>();
        for (Row r : rows) {
            List<Double> one = new ArrayList<>(), zero = new ArrayList<>();
            for (String lang : LANGS) {
                for (float[][] a : acts.get(lang))
                    (lang.equals("en") ? zero : one).add((double) a[r.layer()][r.neuron()]);
            }
            double[] a1 = one.stream().mapToDouble(Double::doubleValue).toArray(),
                     a0 = zero.stream().mapToDouble(Double::doubleValue).toArray();
            assertEquals(80, r.nTarget());
            assertEquals(40, r.nOther());
            double[] expected = SpecificityTest.twoPass(new double[][] {a1, a0}, 0);
            String where = r.label() + " rank " + r.rank();
            assertEquals(expected[0], r.eta2(), 1e-6 * expected[0] + 1e-12, where);
            assertEquals(expected[1], r.p(), Math.max(1e-6 * expected[1], 1e-14), where);
            assertEquals(tTest.t(a0, a1), r.welchT(), 1e-6 * Math.abs(r.welchT()) + 1e-9, where);
            assertEquals(tTest.tTest(a0, a1), r.welchP(), Math.max(1e-6 * r.welchP(), 1e-14), where);
            eta2ByLabel.computeIfAbsent(r.label(), k -> new ArrayList<>()).add(r.eta2());
        }
        List<String> summary = Files.readAllLines(plain.resolve("summary.tsv"));
        for (String line : summary.subList(1, summary.size())) {
            String[] f = line.split("\t");
            if (!f[0].equals("family")) continue;
            List<Double> eta2 = eta2ByLabel.get(f[2]);
            assertEquals(eta2.subList(0, 10).stream().mapToDouble(Double::doubleValue).average().orElseThrow(),
                    Double.parseDouble(f[9]), 1e-12, line);
            assertEquals("nan", f[10], "a ranking of fewer than 100 has no top-100 mean");
        }
    }

    @Test
    void eta2AndPEqualThoseOfDirectlyCapturedActivations() throws IOException {
        Map<String, List<float[][]>> acts = directActivations();
        List<Row> rows = readTsv(plain);
        assertEquals(30 + 20, rows.size(), "every neuron of both rankings (fewer than 1000: the whole ranking)");
        Map<String, int[]> specific = new HashMap<>(); // label -> {eta2 >= 0.1, eta2 >= 0.25}, p < 0.05
        int checkedSmallP = 0;
        for (Row r : rows) {
            double[][] groups = new double[LANGS.size()][];
            for (int g = 0; g < LANGS.size(); g++) {
                groups[g] = acts.get(LANGS.get(g)).stream().mapToDouble(a -> a[r.layer()][r.neuron()]).toArray();
                assertEquals(SpecificityTest.mean(groups[g]), r.means()[g], 1e-9 * (1 + Math.abs(r.means()[g])),
                        r.toString());
            }
            int target = LANGS.indexOf(r.target());
            assertEquals(40, r.nTarget());
            assertEquals(80, r.nOther());
            double[] expected = SpecificityTest.twoPass(groups, target);
            String where = r.label() + " rank " + r.rank();
            assertEquals(expected[0], r.eta2(), 1e-6 * expected[0] + 1e-12, where);
            // 1 - cdf (the naive side) is exact only to ~1e-16 absolute; below, compare relative to the tail
            assertEquals(expected[1], r.p(), Math.max(1e-6 * expected[1], 1e-14), where);
            if (r.p() < 1e-3) checkedSmallP++;
            int[] counts = specific.computeIfAbsent(r.label(), k -> new int[2]);
            if (expected[1] < 0.05 && expected[0] >= 0.1) counts[0]++;
            if (expected[1] < 0.05 && expected[0] >= 0.25) counts[1]++;
        }
        assertTrue(checkedSmallP > 0, "some neuron separates the languages: the comparison is not all near p = 1");

        List<String> summary = Files.readAllLines(plain.resolve("summary.tsv"));
        assertEquals("labels\tranking\tlabel\ttarget\ttype\tneurons\tundefined\tshare_eta2_ge_0.1_p_lt_0.05"
                        + "\tshare_eta2_ge_0.25_p_lt_0.05\tmean_eta2_top10\tmean_eta2_top100\tmean_eta2_top1000",
                summary.get(0));
        assertEquals(5, summary.size(), "two label settings of two rankings");
        for (String line : summary.subList(1, 3)) {
            String[] f = line.split("\t");
            assertEquals("language", f[0]);
            int n = f[2].equals("ja-type1") ? 30 : 20;
            assertEquals(f[2].equals("ja-type1") ? "ja\ttype1" : "ko\ttype2", f[3] + "\t" + f[4]);
            assertEquals(n, Integer.parseInt(f[5]));
            assertEquals("0", f[6]);
            assertEquals(specific.get(f[2])[0] / (double) n, Double.parseDouble(f[7]), 1e-15, line);
            assertEquals(specific.get(f[2])[1] / (double) n, Double.parseDouble(f[8]), 1e-15, line);
        }
        assertTrue(specific.values().stream().anyMatch(c -> c[0] > 0), "some share is not 0");
    }

    @Test
    void rankingsKeepTheirOrderAndTheSharedNeuronsAgree() throws IOException {
        List<Row> rows = readTsv(plain);
        assertEquals(List.of(0, 1), List.of(rows.get(0).layer(), rows.get(0).neuron()));
        assertEquals(List.of(1, 3), List.of(rows.get(30).layer(), rows.get(30).neuron()));
        Row inJa = rows.stream()
                           .filter(r -> r.label().equals("ja-type1") && r.layer() == 1 && r.neuron() == 3)
                           .findFirst()
                           .orElseThrow();
        Row inKo = rows.get(30);
        assertEquals(inJa.means()[0], inKo.means()[0], 0, "one capture for both rankings");
        assertTrue(inJa.eta2() != inKo.eta2(), "but split by a different target");
        String runJson = Files.readString(plain.resolve("run.json"));
        assertTrue(runJson.contains("\"command\": \"specificity\""), runJson);
        assertTrue(runJson.contains("\"neurons_captured\": 48"), runJson);
        assertTrue(runJson.contains("ko.txt"), runJson);
    }

    @Test
    void theHistogramIsDrawn() throws IOException {
        for (String f : List.of("eta2_hist.png", "eta2_hist_family.png")) {
            BufferedImage img = ImageIO.read(plain.resolve(f).toFile());
            assertEquals(1000, img.getWidth());
            assertTrue(CompareCommandTest.distinctColours(img) > 5, f + " looks blank");
        }
    }

    @Test
    void twoRankingsPrintTheLanguageByTypeTable() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        Map<String, Path> files = new LinkedHashMap<>();
        for (String l : LANGS) files.put(l, Path.of("data/demo/" + l + ".txt"));
        RunSettings loud = new RunSettings(1, 1, 512, -1, LastLayer.NORMED, false, false, false, 60, null);
        Path out = dir.resolve("direct");
        tn.io.Console console = new tn.io.Console(tn.io.Console.writer(bytes), tn.io.Console.silent().err(), false);
        new SpecificityRun(new RunContext(model, new RunInput.Languages(files), out, loud, console),
                new SpecificityRun.Params(
                        List.of(RankedNeurons.read(jaType1, null, null), RankedNeurons.read(koType2, null, null)),
                        LabelSetting.parse("both"), LanguageFamilies.SEED))
                .execute();
        List<String> lines = bytes.toString(StandardCharsets.UTF_8).lines().toList();
        assertEquals("language labels (1: the target's sentences)", lines.get(0));
        assertTrue(lines.get(1).startsWith("share     | Type-1                | Type-2"), lines.get(1));
        String[] shares = Files.readAllLines(plain.resolve("summary.tsv")).get(1).split("\t");
        assertEquals(String.format(Locale.ROOT, "ja        | %9.3f  %10.3f |         -           -",
                             Double.parseDouble(shares[7]), Double.parseDouble(shares[8])),
                lines.get(3));
        assertTrue(lines.get(4).startsWith("ko        |         -           - |"), lines.get(4));
        assertEquals(String.format(Locale.ROOT, "ja        | %7.3f        -        - |       -        -        -",
                             Double.parseDouble(shares[9])),
                lines.get(8));
        int family = lines.indexOf("language-family labels (1: the sentences of the target's family)");
        String[] familyShares = Files.readAllLines(plain.resolve("summary.tsv")).get(3).split("\t");
        assertEquals("family", familyShares[0]);
        assertEquals(String.format(Locale.ROOT, "ja        | %9.3f  %10.3f |         -           -",
                             Double.parseDouble(familyShares[7]), Double.parseDouble(familyShares[8])),
                lines.get(family + 3));
        assertEquals(
                Files.readString(plain.resolve("specificity.tsv")), Files.readString(out.resolve("specificity.tsv")));
    }

    @Test
    void topNAndTargetOverrideTheRanking() throws IOException {
        Path bare = ranking("bare", List.of(new Neuron(2, 7), new Neuron(0, 1), new Neuron(3, 95)), null);
        Path out = dir.resolve("bare-out");
        TnCli.Result r = RunCommandsTest.tn("specificity", "--model", model.toString(), "--ranking", bare.toString(),
                "--ranking", jaType1.toString(), "--top-n", "2", "--target", "en", "--sentences", sentences(),
                "--batch", "1", "--threads", "1", "--out", out.toString());
        assertEquals(0, r.code(), r.err());
        List<Row> rows = readTsv(out);
        assertEquals(4, rows.size());
        assertEquals("bare en ? 2 0 1",
                String.join(" ", rows.get(1).label(), rows.get(1).target(), rows.get(1).type(), "" + rows.get(1).rank(),
                        "" + rows.get(1).layer(), "" + rows.get(1).neuron()));
        assertEquals("en type1", rows.get(2).target() + " " + rows.get(2).type());
        Row asJa = readTsv(plain).get(0);
        assertEquals(List.of(asJa.layer(), asJa.neuron()), List.of(rows.get(2).layer(), rows.get(2).neuron()));
        assertTrue(asJa.eta2() != rows.get(2).eta2(), "en against the rest is another split than ja against the rest");
    }

    @Test
    void badInputIsNamedWithTheRightExitCode() throws IOException {
        Path bare = ranking("no-run-json", List.of(new Neuron(0, 1)), null);
        Path far = ranking("far", List.of(new Neuron(9, 1)), null);
        String[][] cases = {{"" + Tn.EXIT_INPUT, "nowhere/ranking.tsv", "--ranking",
                                    dir.resolve("nowhere/ranking.tsv").toString(), "--sentences", sentences()},
                {"" + Tn.EXIT_USAGE, "'it'", "--ranking", jaType1.toString(), "--target", "it", "--sentences",
                        sentences()},
                {"" + Tn.EXIT_USAGE, "'ja' of " + jaType1, "--ranking", jaType1.toString(), "--sentences",
                        "ko=data/demo/ko.txt,en=data/demo/en.txt"},
                {"" + Tn.EXIT_USAGE, "entry 'en': expected LANG=FILE", "--ranking", jaType1.toString(), "--sentences",
                        "ja=data/demo/ja.txt,en"},
                {"" + Tn.EXIT_USAGE, "at least two languages", "--ranking", jaType1.toString(), "--sentences",
                        "ja=data/demo/ja.txt"},
                {"" + Tn.EXIT_USAGE, bare + ": neither a run.json", "--ranking", bare.toString(), "--sentences",
                        sentences()},
                {"" + Tn.EXIT_USAGE, "--top-n must be 1..30", "--ranking", jaType1.toString(), "--top-n", "31",
                        "--sentences", sentences()},
                {"" + Tn.EXIT_INPUT, far + ": neuron (9, 1) does not exist", "--ranking", far.toString(), "--target",
                        "ja", "--sentences", sentences()},
                {"" + Tn.EXIT_INPUT, "nowhere.txt", "--ranking", jaType1.toString(), "--sentences",
                        "ja=data/demo/ja.txt,en=data/demo/nowhere.txt"}};
        for (String[] c : cases) {
            List<String> args = new ArrayList<>(
                    List.of("specificity", "--model", model.toString(), "--out", dir.resolve("bad").toString()));
            args.addAll(List.of(c).subList(2, c.length));
            TnCli.Result r = RunCommandsTest.tn(args.toArray(String[] ::new));
            assertEquals(Integer.parseInt(c[0]), r.code(), c[1] + ": " + r.err());
            assertTrue(r.err().contains(c[1]), c[1] + " not in: " + r.err());
            assertTrue(!r.err().contains("\tat "), "no stack trace: " + r.err());
        }
    }

    @Test
    void helpExplainsEveryOption() {
        StringWriter help = new StringWriter();
        Tn.commandLine().getSubcommands().get("specificity").usage(new PrintWriter(help));
        for (String option : List.of("--model", "--ranking", "--top-n", "--target", "--sentences", "--out", "--batch",
                     "--resume", "--quiet", "eta2", "p_value", "summary.tsv", "eta2_hist.png")) {
            assertTrue(help.toString().contains(option), option);
        }
    }
}
