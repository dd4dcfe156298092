package tn.compare;

import tn.io.Tsv;
import tn.io.InvalidValueException;
import tn.io.AtomicFile;
import tn.io.InputException;
import tn.io.Json;
import tn.llama.Neuron;
import tn.method.LayerRange;
import tn.model.FileType;
import tn.model.QuantizationReport;
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
 * Detection runs of one model family and transfer type (typically one per quantization), and the
 * original implementation's rankings of it, compared with a reference: {@link Agreement} per
 * run, and how many of each run's top n fall in each layer. Writes compare.tsv, compare.json,
 * layer_counts.tsv and two PNG plots.
 */
public final class Comparison {
    /** The k of the top-k overlaps, capped by the number of candidate neurons. */
    public static final int[] KS = {10, 100, 1000};

    /**
     * One run against the reference, and that difference next to the reference's sampling noise;
     * topNPerLayer is null for a top-n list shorter than n.
     */
    public record Row(String label, DetectionOutput run, Agreement agreement, int[] topNPerLayer, Noise noise) {}

    private final DetectionOutput reference;
    private final DetectionOutput shape; // the scored run whose candidates and layout (n_ff, n_layer) are compared
    private final List<Row> rows;
    private final int topN;
    private final int[] candidates; // flat (layer * n_ff + neuron) indices of the candidate neurons
    private final double z;

    private Comparison(
            DetectionOutput reference, DetectionOutput shape, List<Row> rows, int topN, int[] candidates, double z) {
        this.reference = reference;
        this.shape = shape;
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

    /**
     * As above, listing the neurons whose score moved by more than z standard errors. The
     * candidate neurons are those the reference scores, or where it is a top-n list the first
     * scored run's; every other side must score the same ones, or list only among them.
     */
    public static Comparison of(List<DetectionOutput> runs, DetectionOutput reference, int topN, double z) {
        if (!(z > 0) || Double.isInfinite(z))
            throw new InvalidValueException("{z} must be a positive number, is {}", z);
        if (topN < 1) throw new InvalidValueException("{top_n} must be positive, is {}", topN);
        DetectionOutput shape = reference.scored() ? reference
                : runs.stream().filter(DetectionOutput::scored).findFirst().orElseThrow(
                        () -> new InputException("every ranking given is a top-n list (" + reference.dir() + ", ...): "
                                + "compare needs one that scores every candidate neuron, a tn detect folder or "
                                + "the original implementation's *_score_dict.pkl"));
        checkComparable(shape, reference);
        for (DetectionOutput run : runs) {
            checkComparable(reference, run);
            checkComparable(shape, run);
        }
        int[] candidates = candidatesOf(shape);
        if (candidates.length < 2) throw new InputException(scoresFile(shape) + " has fewer than 2 scored neurons");
        Agreement.Ranked ref = ranked(reference, shape, candidates);
        List<Row> rows = new ArrayList<>();
        List<String> labels = labels(runs);
        for (DetectionOutput run : runs) {
            Agreement.Ranked ranked = ranked(run, shape, candidates);
            Agreement agreement = Agreement.of(ref, ranked, candidates.length, KS, topN);
            rows.add(new Row(labels.get(rows.size()), run, agreement, perLayer(ranked, shape, candidates, topN),
                    Noise.of(reference, run, agreement, candidates, z)));
        }
        return new Comparison(reference, shape, rows, topN, candidates, z);
    }

    /** The flat indices (layer * n_ff + neuron) of the neurons a scored run scores, increasing. */
    private static int[] candidatesOf(DetectionOutput run) {
        return IntStream.range(0, run.scores().length).filter(i -> !Double.isNaN(run.scores()[i])).toArray();
    }

    /** A run's ranking of the candidates, checked to be of those candidates and to mean something. */
    private static Agreement.Ranked ranked(DetectionOutput run, DetectionOutput shape, int[] candidates) {
        if (!run.scored()) {
            int[] order = new int[run.listed().size()];
            for (int pos = 0; pos < order.length; pos++) {
                Neuron n = run.listed().get(pos);
                order[pos] = Arrays.binarySearch(candidates, n.layer() * shape.nFf() + n.index());
            }
            return new Agreement.Ranked(order, null);
        }
        if (run != shape && !Arrays.equals(candidatesOf(run), candidates)) {
            throw new InputException(scoresFile(run) + " scores other neurons than " + scoresFile(shape)
                    + " (candidate layers " + run.layers() + " and " + shape.layers() + ")");
        }
        double[] scores = new double[candidates.length];
        for (int j = 0; j < candidates.length; j++) scores[j] = run.scores()[candidates[j]];
        if (Arrays.stream(scores).distinct().limit(2).count() < 2) {
            throw new InputException(scoresFile(run) + " gives every candidate neuron the score " + scores[0]
                    + ": a ranking of equal scores means nothing (were its centroids all zeros?)");
        }
        return Agreement.Ranked.of(scores);
    }

    /** The file that holds a scored run's scores: a run's scores.npy, or the original's dict. */
    private static Path scoresFile(DetectionOutput run) {
        return run.fromOriginal() ? run.dir() : run.dir().resolve("scores.npy");
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

    /**
     * Refuses two rankings that cannot rank the same neurons: other models (tn runs record theirs),
     * transfer types, languages, model widths or candidate layers; a top-n list must list only
     * neurons the other side scores. Messages name both sides.
     */
    private static void checkComparable(DetectionOutput ref, DetectionOutput run) {
        if (ref == run) return;
        if (!ref.fromOriginal() && !run.fromOriginal()) {
            String a = describe(ref), b = describe(run);
            if (!a.equals(b)) {
                throw new InputException("runs of different models: " + ref.dir() + " ran on " + a + ", " + run.dir()
                        + " on " + b + "; compare needs one model family (e.g. quantizations of one model)");
            }
        }
        boolean bothScored = ref.scored() && run.scored();
        if (!ref.type().equals(run.type()) || (bothScored && !ref.layers().equals(run.layers()))) {
            throw new InputException("runs of different transfer types or layers: " + ref.dir() + " is " + ref.type()
                    + " over layers " + ref.layers() + ", " + run.dir() + " is " + run.type() + " over layers "
                    + run.layers());
        }
        if (!ref.lang().equals(run.lang())) {
            throw new InputException("runs of different languages: " + ref.dir() + " detected " + ref.lang()
                    + " neurons, " + run.dir() + " " + run.lang() + " neurons; compare needs one language (field "
                    + "'parameters.lang' of a run.json, the name's {lang}_ of the original's pickles)");
        }
        if (bothScored && ref.nFf() != run.nFf()) {
            throw new InputException("rankings of models of different widths: " + ref.dir() + " has " + ref.nFf()
                    + " neurons per layer, " + run.dir() + " " + run.nFf());
        }
        if (ref.scored() != run.scored()) {
            DetectionOutput list = ref.scored() ? run : ref, scored = ref.scored() ? ref : run;
            LayerRange layers = LayerRange.parse(scored.layers());
            for (Neuron n : list.listed()) {
                if (!layers.contains(n.layer()) || n.index() >= scored.nFf()) {
                    throw new InputException(list.dir() + " lists neuron " + n + ", which is not among the candidate "
                            + "neurons of " + scored.dir() + " (layers " + layers + ", " + scored.nFf()
                            + " neurons per layer): a different model or transfer type");
                }
            }
        }
    }

    private static String describe(DetectionOutput r) {
        return r.architecture() + " with " + r.nLayer() + " layers, n_embd " + r.nEmbd() + ", n_ff " + r.nFf();
    }

    /**
     * How many of a ranking's top n lie in each layer, indexed by layer (the shape's n_layer); null
     * for a top-n list shorter than n.
     */
    private static int[] perLayer(Agreement.Ranked ranked, DetectionOutput shape, int[] candidates, int topN) {
        int n = Math.min(topN, candidates.length);
        if (ranked.order().length < n) return null;
        int[] counts = new int[shape.nLayer()];
        for (int pos = 0; pos < n; pos++) counts[candidates[ranked.order()[pos]] / shape.nFf()]++;
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
            files.add(1, json);
            return folder.publish(files, json, f -> AtomicFile.writeString(f, json() + "\n"));
        }
    }

    /** Every run's neurons that moved by more than z standard errors. */
    private String movedTsv() {
        StringBuilder b = new StringBuilder("run\tlayer\tneuron\treference_score\tscore\tshift\tse\tz\n");
        for (Row row : rows) {
            if (row.noise().moved() == null) continue;
            for (Noise.Moved m : row.noise().moved()) {
                b.append(Tsv.row(row.label(), m.index() / shape.nFf(), m.index() % shape.nFf(), m.reference(),
                        m.score(), m.shift(), m.se(), String.format(Locale.ROOT, "%.3f", m.z())));
            }
        }
        return b.toString();
    }

    /** The table shown on stdout; "-" marks a figure a top-n list cannot give, ">n" a rank beyond its n. */
    public void print(PrintWriter out) {
        out.printf("reference: %s  (%s %s, %s, %d candidate neurons)%n", reference.dir(), reference.type(),
                reference.lang(),
                reference.fromOriginal() ? "the original implementation's ranking" : reference.architecture(),
                candidates.length);
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
            StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "%-28s %6s %8s %8s",
                    abbreviate(row.label(), 28), figure(row.run().bitsPerWeight(), "%.2f"),
                    figure(a.spearman(), "%.4f"), figure(a.kendall(), "%.4f")));
            for (Agreement.TopK k : a.topK()) line.append(String.format(" %8s", figure(k.overlap(), "%.3f")));
            line.append(String.format(" %13s", rank(row, a.landingMedian()) + "/" + rank(row, a.landingP90())));
            if (row.noise().verdict() != null) line.append(String.format(" %-8s", row.noise().verdict()));
            if (reference.standardErrors() != null) line.append(String.format(" %8s", moved(row)));
            line.append("  ").append(holds(row.run()));
            out.println(line);
        }
        if (!reference.scored())
            out.println("reference " + reference.dir().getFileName() + ": " + topListNote(reference));
        for (Row row : rows) {
            if (!row.run().scored() && row.run() != reference) out.println(row.label() + ": " + topListNote(row.run()));
        }
    }

    /** What a comparison with a top-n list cannot give, in words, for the table and compare.json. */
    private static String topListNote(DetectionOutput list) {
        int n = list.listed().size();
        return list.dir().getFileName() + " is a top-" + n + " list (the original implementation's ranking without "
                + "scores): no Spearman, Kendall or moved neurons; overlaps only for k <= " + n + "; a reference "
                + "neuron it does not list ranks beyond " + n + " ('>" + n + "', null)";
    }

    private static String figure(double v, String format) {
        return Double.isNaN(v) ? "-" : String.format(Locale.ROOT, format, v);
    }

    /** A landing rank; beyond a top-n list's n where the list does not hold it. */
    private static String rank(Row row, double rank) {
        return Double.isInfinite(rank) ? ">" + row.run().listed().size() : fmt(rank);
    }

    private static String moved(Row row) {
        return row.noise().moved() == null ? "-" : String.valueOf(row.noise().moved().size());
    }

    /** A figure for compare.tsv: empty where it does not exist. */
    private static String cell(double v) {
        return Double.isNaN(v) ? "" : String.valueOf(v);
    }

    /** A figure for compare.json: null where it does not exist (and for a rank beyond a top-n list). */
    private static Double orNull(double v) {
        return Double.isFinite(v) ? v : null;
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
            double bpw = row.run().bitsPerWeight();
            List<Object> fields = new ArrayList<>(Arrays.asList(row.run().dir(), row.run().fileType(),
                    Double.isNaN(bpw) ? "" : String.format(Locale.ROOT, "%.4f", bpw), row.run().lang(),
                    cell(a.spearman()), cell(a.kendall())));
            for (Agreement.TopK k : a.topK()) fields.addAll(List.of(cell(k.overlap()), cell(k.jaccard())));
            fields.addAll(List.of(rankCell(row, a.landingMedian()), rankCell(row, a.landingP90())));
            fields.addAll(Noise.referenceP5(reference).values());
            fields.add(row.noise().verdict() == null ? "" : row.noise().verdict());
            fields.add(reference.standardErrors() == null || row.noise().moved() == null ? ""
                                                                                         : row.noise().moved().size());
            b.append(Tsv.row(fields));
        }
        return b.toString();
    }

    private static String rankCell(Row row, double rank) {
        return Double.isInfinite(rank) ? rank(row, rank) : String.valueOf(rank);
    }

    /** Per layer, each run's top-n count; empty for a top-n list shorter than n. */
    private String layerCountsTsv() {
        StringBuilder b = new StringBuilder("layer");
        for (Row row : rows) b.append('\t').append(row.label());
        b.append('\n');
        for (int layer : scoredLayers()) {
            b.append(layer);
            for (Row row : rows) b.append('\t').append(row.topNPerLayer() == null ? "" : row.topNPerLayer()[layer]);
            b.append('\n');
        }
        return b.toString();
    }

    /**
     * What the run's model holds: its file type as asked, or where llama.cpp fell back the types
     * it wrote instead ("Q4_K_M->Q5_0+Q8_0"); the recorded file type when the model file is gone.
     */
    static String holds(DetectionOutput run) {
        if (run.modelPath() == null) return run.fileType(); // the original's rankings name no model file
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
        root.put("layers", shape.layers());
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
            DetectionOutput run = row.run();
            r.put("run", run.dir().toAbsolutePath().toString());
            r.put("ranking", !run.fromOriginal() ? "tn detect run"
                            : run.scored()   ? "the original implementation's score dict"
                                             : "the original implementation's top-" + run.listed().size() + " list");
            r.put("model", run.modelPath());
            r.put("model_sha256", run.modelSha256());
            r.put("file_type", run.fileType());
            r.put("holds", holds(run));
            r.put("bits_per_weight", orNull(run.bitsPerWeight()));
            r.put("lang", run.lang());
            r.put("spearman", orNull(row.agreement().spearman()));
            r.put("kendall", orNull(row.agreement().kendall()));
            Map<String, Object> topK = new LinkedHashMap<>();
            for (Agreement.TopK k : row.agreement().topK()) {
                Map<String, Object> figures = new LinkedHashMap<>();
                figures.put("overlap", orNull(k.overlap()));
                figures.put("jaccard", orNull(k.jaccard()));
                topK.put(String.valueOf(k.k()), figures);
            }
            r.put("top_k", topK);
            Map<String, Object> landing = new LinkedHashMap<>();
            landing.put("median", orNull(row.agreement().landingMedian()));
            landing.put("p90", orNull(row.agreement().landingP90()));
            r.put("reference_top_n_rank", landing);
            Map<String, Integer> perLayer = new LinkedHashMap<>();
            if (row.topNPerLayer() != null) {
                for (int layer : scoredLayers()) perLayer.put(String.valueOf(layer), row.topNPerLayer()[layer]);
            }
            r.put("top_n_per_layer", row.topNPerLayer() == null ? null : perLayer);
            r.put("noise", row.noise().verdict());
            r.put("beyond_noise", row.noise().beyond());
            r.put("moved_beyond_z", reference.standardErrors() == null || row.noise().moved() == null
                            ? null
                            : row.noise().moved().size());
            if (!run.scored() || !reference.scored())
                r.put("not_computed", topListNote(run.scored() ? reference : run));
            runs.add(r);
        }
        root.put("runs", runs);
        return Json.text(root);
    }

    /** The layers that hold candidate neurons, in order. */
    public int[] scoredLayers() {
        return IntStream.of(candidates).map(i -> i / shape.nFf()).distinct().toArray();
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
