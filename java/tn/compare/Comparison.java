package tn.compare;

import tn.io.Tsv;
import tn.io.InvalidValueException;
import tn.io.AtomicFile;
import tn.io.InputException;
import tn.io.Json;
import tn.model.QuantizationReport;
import tn.model.FileType;
import tn.method.Ranking;
import tn.plot.ComparisonPlots;
import tn.run.OutputFolder;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.IntStream;

/**
 * Detection runs of one model family and transfer type (typically one per quantization)
 * compared with a reference run: {@link Agreement} per run, and how many of each run's top n
 * fall in each layer. Writes compare.tsv, compare.json, layer_counts.tsv and two PNG plots.
 */
public final class Comparison {
    /** The k of the top-k overlaps, capped by the number of candidate neurons. */
    public static final int[] KS = {10, 100, 1000};

    /** One run against the reference, and that difference next to the reference's sampling noise. */
    public record Row(String label, DetectionOutput run, Agreement agreement, int[] topNPerLayer, Noise noise) {}

    private final DetectionOutput reference;
    private final List<Row> rows;
    private final int topN;
    private final int[] candidates; // flat (layer * n_ff + neuron) indices of the candidate neurons
    private final double z;

    private Comparison(DetectionOutput reference, List<Row> rows, int topN, int[] candidates, double z) {
        this.reference = reference;
        this.rows = rows;
        this.topN = topN;
        this.candidates = candidates;
        this.z = z;
    }

    /** The default z: neurons whose score moved by more than this many standard errors are listed. */
    public static final double DEFAULT_Z = 3;

    /** Compares every run (the reference included, as a check) with the reference. */
    public static Comparison of(List<DetectionOutput> runs, DetectionOutput reference, int topN) {
        return of(runs, reference, topN, DEFAULT_Z);
    }

    /** As above, listing the neurons whose score moved by more than z standard errors. */
    public static Comparison of(List<DetectionOutput> runs, DetectionOutput reference, int topN, double z) {
        if (!(z > 0) || Double.isInfinite(z))
            throw new InvalidValueException("{z} must be a positive number, is {}", z);
        for (DetectionOutput run : runs) checkComparable(reference, run);
        float[] ref = reference.scores();
        int[] candidates = IntStream.range(0, ref.length).filter(i -> !Float.isNaN(ref[i])).toArray();
        if (candidates.length < 2)
            throw new InputException(reference.dir() + "/scores.npy has fewer than 2 scored neurons");
        if (topN < 1) throw new InvalidValueException("{top_n} must be positive, is {}", topN);
        double[] refScores = pick(reference, candidates);
        List<Row> rows = new ArrayList<>();
        List<String> labels = labels(runs);
        for (DetectionOutput run : runs) {
            double[] scores = pick(run, candidates);
            if (Arrays.stream(scores).distinct().limit(2).count() < 2) {
                throw new InputException(run.dir() + "/scores.npy gives every candidate neuron the score " + scores[0]
                        + ": a ranking of equal scores means nothing (were its centroids all zeros?)");
            }
            for (int i = 0; i < run.scores().length; i++) {
                if (Float.isNaN(run.scores()[i]) != Float.isNaN(ref[i])) {
                    throw new InputException(run.dir() + "/scores.npy scores other neurons than the reference "
                            + reference.dir() + " (layer " + i / run.nFf() + ", neuron " + i % run.nFf() + ")");
                }
            }
            Agreement agreement = Agreement.of(refScores, scores, KS, topN);
            rows.add(new Row(labels.get(rows.size()), run, agreement, perLayer(run, candidates, scores, topN),
                    Noise.of(reference, run, agreement, candidates, z)));
        }
        return new Comparison(reference, rows, topN, candidates, z);
    }

    /** Short unique names for tables and plots: the file types where they tell the runs apart, else the folders. */
    private static List<String> labels(List<DetectionOutput> runs) {
        List<String> types = runs.stream().map(DetectionOutput::fileType).toList();
        if (types.stream().distinct().count() == runs.size()) return types;
        List<String> folders = runs.stream()
                                       .map(r -> r.dir().toAbsolutePath().normalize())
                                       .map(p -> p.getFileName() == null ? p.toString() : p.getFileName().toString())
                                       .toList();
        if (folders.stream().distinct().count() == runs.size()) return folders;
        return IntStream.range(0, runs.size()).mapToObj(i -> (i + 1) + ": " + folders.get(i)).toList();
    }

    private static void checkComparable(DetectionOutput ref, DetectionOutput run) {
        String a = describe(ref), b = describe(run);
        if (!a.equals(b)) {
            throw new InputException("runs of different models: " + ref.dir() + " ran on " + a + ", " + run.dir()
                    + " on " + b + "; compare needs one model family (e.g. quantizations of one model)");
        }
        if (!ref.type().equals(run.type()) || !ref.layers().equals(run.layers())) {
            throw new InputException("runs of different transfer types or layers: " + ref.dir() + " is " + ref.type()
                    + " over layers " + ref.layers() + ", " + run.dir() + " is " + run.type() + " over layers "
                    + run.layers());
        }
        if (!ref.lang().equals(run.lang())) {
            throw new InputException("runs of different languages: " + ref.dir() + " detected " + ref.lang()
                    + " neurons, " + run.dir() + " " + run.lang()
                    + " neurons; compare needs one language (field 'parameters.lang' of "
                    + "their run.json)");
        }
    }

    private static String describe(DetectionOutput r) {
        return r.architecture() + " with " + r.nLayer() + " layers, n_embd " + r.nEmbd() + ", n_ff " + r.nFf();
    }

    private static double[] pick(DetectionOutput run, int[] candidates) {
        double[] out = new double[candidates.length];
        for (int j = 0; j < candidates.length; j++) out[j] = run.scores()[candidates[j]];
        return out;
    }

    private static int[] perLayer(DetectionOutput run, int[] candidates, double[] scores, int topN) {
        int[] counts = new int[run.nLayer()];
        int[] order = Ranking.order(scores);
        for (int pos = 0; pos < Math.min(topN, order.length); pos++) counts[candidates[order[pos]] / run.nFf()]++;
        return counts;
    }

    public List<Row> rows() {
        return rows;
    }

    public DetectionOutput reference() {
        return reference;
    }

    /**
     * Writes compare.tsv, compare.json, layer_counts.tsv, layers.png and agreement_vs_bpw.png, and
     * where the reference has standard errors moved.tsv and shift_vs_se.png; returns them.
     */
    public List<Path> write(Path dir) {
        // staged and moved into dir together (compare.json last), under dir's lock: all of them or none
        try (OutputFolder folder = OutputFolder.open(dir)) {
            Path s = folder.staging();
            List<Path> files = new ArrayList<>(List.of(s.resolve("compare.tsv"), s.resolve("layer_counts.tsv"),
                    s.resolve("layers.png"), s.resolve("agreement_vs_bpw.png")));
            AtomicFile.writeString(files.get(0), tsv());
            AtomicFile.writeString(files.get(1), layerCountsTsv());
            ComparisonPlots.layers(this, files.get(2));
            ComparisonPlots.agreement(this, files.get(3));
            if (reference.standardErrors() != null) {
                Path moved = s.resolve("moved.tsv"), shift = s.resolve("shift_vs_se.png");
                AtomicFile.writeString(moved, movedTsv());
                ComparisonPlots.shift(this, shift);
                files.add(moved);
                files.add(shift);
            }
            Path json = s.resolve("compare.json");
            AtomicFile.writeString(json, json() + "\n");
            files.add(1, json);
            return folder.publish(files, json);
        }
    }

    /** Every run's neurons that moved by more than z standard errors. */
    private String movedTsv() {
        StringBuilder b = new StringBuilder("run\tlayer\tneuron\treference_score\tscore\tshift\tse\tz\n");
        for (Row row : rows) {
            for (Noise.Moved m : row.noise().moved()) {
                b.append(Tsv.row(row.label(), m.index() / reference.nFf(), m.index() % reference.nFf(), m.reference(),
                        m.score(), m.shift(), m.se(), String.format(Locale.ROOT, "%.3f", m.z())));
            }
        }
        return b.toString();
    }

    /** The table shown on stdout. */
    public void print(PrintWriter out) {
        out.printf("reference: %s  (%s %s, %s, %d candidate neurons)%n", reference.dir(), reference.type(),
                reference.lang(), reference.architecture(), candidates.length);
        StringBuilder head = new StringBuilder(String.format("%-28s %6s %8s %8s", "run", "bpw", "spearman", "kendall"));
        for (Agreement.TopK k : rows.get(0).agreement().topK()) head.append(String.format(" %8s", "ovl@" + k.k()));
        head.append(String.format(" %13s", "top" + topN + " med/p90"));
        if (reference.bootstrap() != null) head.append(String.format(" %-8s", "noise"));
        if (reference.standardErrors() != null) head.append(String.format(" %8s", "moved>" + fmt(z) + "se"));
        head.append("  holds");
        out.println(head);
        if (reference.bootstrap() != null) {
            StringBuilder noise = new StringBuilder(String.format(Locale.ROOT, "%-28s %6s %8.4f %8s",
                    "reference bootstrap p5", "", reference.bootstrap().spearmanP5(), ""));
            for (Agreement.TopK k : rows.get(0).agreement().topK()) {
                double[] v = reference.bootstrap().overlapP5Median().get(k.k());
                noise.append(v == null ? String.format(" %8s", "-") : String.format(Locale.ROOT, " %8.3f", v[0]));
            }
            out.println(noise);
        }
        for (Row row : rows) {
            Agreement a = row.agreement();
            StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "%-28s %6.2f %8.4f %8.4f",
                    abbreviate(row.label(), 28), row.run().bitsPerWeight(), a.spearman(), a.kendall()));
            for (Agreement.TopK k : a.topK()) line.append(String.format(Locale.ROOT, " %8.3f", k.overlap()));
            line.append(String.format(Locale.ROOT, " %13s", fmt(a.landingMedian()) + "/" + fmt(a.landingP90())));
            if (row.noise().verdict() != null) line.append(String.format(" %-8s", row.noise().verdict()));
            if (reference.standardErrors() != null) line.append(String.format(" %8d", row.noise().moved().size()));
            line.append("  ").append(holds(row.run()));
            out.println(line);
        }
    }

    private String tsv() {
        StringBuilder b = new StringBuilder("run\tfile_type\tbits_per_weight\tlang\tspearman\tkendall");
        for (Agreement.TopK k : rows.get(0).agreement().topK())
            b.append("\toverlap@").append(k.k()).append("\tjaccard@").append(k.k());
        b.append("\tref_top").append(topN).append("_median_rank\tref_top").append(topN).append("_p90_rank");
        for (String figure : Noise.referenceP5(reference).keySet()) b.append("\tref_bootstrap_p5_").append(figure);
        b.append("\tnoise\tmoved_beyond_z\n");
        for (Row row : rows) {
            Agreement a = row.agreement();
            List<Object> fields = new ArrayList<>(Arrays.asList(row.run().dir(), row.run().fileType(),
                    String.format(Locale.ROOT, "%.4f", row.run().bitsPerWeight()), row.run().lang(), a.spearman(),
                    a.kendall()));
            for (Agreement.TopK k : a.topK()) fields.addAll(List.of(k.overlap(), k.jaccard()));
            fields.addAll(List.of(a.landingMedian(), a.landingP90()));
            fields.addAll(Noise.referenceP5(reference).values());
            fields.add(row.noise().verdict() == null ? "" : row.noise().verdict());
            fields.add(reference.standardErrors() == null ? "" : String.valueOf(row.noise().moved().size()));
            b.append(Tsv.row(fields));
        }
        return b.toString();
    }

    private String layerCountsTsv() {
        StringBuilder b = new StringBuilder("layer");
        for (Row row : rows) b.append('\t').append(row.label());
        b.append('\n');
        for (int layer : scoredLayers()) {
            b.append(layer);
            for (Row row : rows) b.append('\t').append(row.topNPerLayer()[layer]);
            b.append('\n');
        }
        return b.toString();
    }

    /**
     * What the run's model holds: its file type as asked, or where llama.cpp fell back the types
     * it wrote instead ("Q4_K_M->Q5_0+Q8_0"); the recorded file type when the model file is gone.
     */
    static String holds(DetectionOutput run) {
        Path model = Path.of(run.modelPath());
        if (!Files.isRegularFile(model)) return run.fileType();
        FileType asked;
        try {
            asked = FileType.parse(run.fileType());
        } catch (InvalidValueException e) {
            asked = null; // not a type tn knows: the types it holds, as they are
        }
        try {
            return QuantizationReport.of(model, asked).label();
        } catch (RuntimeException e) { // replaced by a file that does not read: what run.json says
            return run.fileType();
        }
    }

    /** compare.json's text: every figure of the comparison. */
    public String json() {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("reference", reference.dir().toAbsolutePath().toString());
        root.put("type", reference.type());
        root.put("layers", reference.layers());
        root.put("candidate_neurons", candidates.length);
        root.put("top_n", topN);
        root.put("z", z);
        if (reference.bootstrap() != null) {
            Map<String, Object> boot = new LinkedHashMap<>();
            boot.put("replicates", reference.bootstrap().replicates());
            boot.put("p5", Noise.referenceP5(reference));
            boot.put("meaning",
                    "the reference's agreement with rankings from resampled sentences (stability.json): "
                            + "a run agreeing less than its 5th percentile differs beyond sampling noise");
            root.put("reference_bootstrap", boot);
        }
        List<Map<String, Object>> runs = new ArrayList<>();
        for (Row row : rows) {
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("run", row.run().dir().toAbsolutePath().toString());
            r.put("model", row.run().modelPath());
            r.put("model_sha256", row.run().modelSha256());
            r.put("file_type", row.run().fileType());
            r.put("holds", holds(row.run()));
            r.put("bits_per_weight", row.run().bitsPerWeight());
            r.put("lang", row.run().lang());
            r.put("spearman", row.agreement().spearman());
            r.put("kendall", row.agreement().kendall());
            Map<String, Object> topK = new LinkedHashMap<>();
            for (Agreement.TopK k : row.agreement().topK()) {
                topK.put(String.valueOf(k.k()), Map.of("overlap", k.overlap(), "jaccard", k.jaccard()));
            }
            r.put("top_k", topK);
            r.put("reference_top_n_rank",
                    Map.of("median", row.agreement().landingMedian(), "p90", row.agreement().landingP90()));
            Map<String, Integer> perLayer = new LinkedHashMap<>();
            for (int layer : scoredLayers()) perLayer.put(String.valueOf(layer), row.topNPerLayer()[layer]);
            r.put("top_n_per_layer", perLayer);
            r.put("noise", row.noise().verdict());
            r.put("beyond_noise", row.noise().beyond());
            r.put("moved_beyond_z", reference.standardErrors() == null ? null : row.noise().moved().size());
            runs.add(r);
        }
        root.put("runs", runs);
        return Json.text(root);
    }

    /** The layers that hold candidate neurons, in order. */
    public int[] scoredLayers() {
        return IntStream.of(candidates).map(i -> i / reference.nFf()).distinct().toArray();
    }

    /** The n of the per-layer counts and of where the reference's top n landed. */
    public int topN() {
        return topN;
    }

    private static String fmt(double rank) {
        return rank == Math.rint(rank) ? String.valueOf((long) rank) : String.format(Locale.ROOT, "%.1f", rank);
    }

    private static String abbreviate(String s, int width) {
        return s.length() <= width ? s : "..." + s.substring(s.length() - width + 3);
    }
}
