package tn.run;

import tn.method.Stability;

import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** stability.json, the sampling noise of a detect run's ranking, and its summary on the terminal. */
public final class StabilityRecord {
    private StabilityRecord() {}

    public static Map<String, Object> of(Stability.Result r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("items", r.items());
        m.put("blocks", r.blockItems().length);
        m.put("block_items", r.blockItems());
        m.put("assignment", "item i (0-based, in input order, after skipping) is in block i mod blocks");
        m.put("ks", r.ks());
        Map<String, Object> split = null;
        if (r.splitHalf() != null) {
            split = new LinkedHashMap<>();
            split.put("halves",
                    r.blockItems().length % 2 == 0 ? "even-indexed items against odd-indexed items"
                                                   : "items of even blocks against items of odd blocks");
            split.put("scores", "each half's mean scores rounded to float32, as scores.npy holds them");
            split.put("spearman", r.splitHalf().spearman());
            split.put("top_k_overlap", byK(r.ks(), r.splitHalf().overlap()));
        }
        m.put("split_half", split);
        Map<String, Object> boot = null;
        if (r.bootstrap() != null) {
            Stability.Bootstrap b = r.bootstrap();
            boot = new LinkedHashMap<>();
            boot.put("replicates", b.replicates());
            boot.put("seed", b.seed());
            boot.put("blocks_resampled", b.blocksResampled());
            boot.put("against", "the full ranking");
            boot.put("spearman", spread(b.spearman()));
            Map<String, Object> overlaps = new LinkedHashMap<>();
            for (int j = 0; j < r.ks().length; j++) overlaps.put(String.valueOf(r.ks()[j]), spread(b.overlap()[j]));
            boot.put("top_k_overlap", overlaps);
            boot.put("rank_interval",
                    "ranking.tsv's rank_p5 and rank_p95: each listed neuron's rank over the replicates");
        }
        m.put("bootstrap", boot);
        List<Map<String, Object>> curve = r.curve()
                                                  .stream()
                                                  .map(p -> {
                                                      Map<String, Object> c = new LinkedHashMap<>();
                                                      c.put("blocks_per_sample", p.blocks());
                                                      c.put("items_per_sample", p.meanItems());
                                                      c.put("spearman", p.spearman());
                                                      c.put("top_k_overlap", byK(r.ks(), p.overlap()));
                                                      return c;
                                                  })
                                                  .toList();
        m.put("sample_size_curve", curve);
        m.put("sample_size_curve_note",
                "median agreement between two disjoint samples of the blocks, "
                        + "per sample size (stability.png)");
        m.put("verdicts", verdicts(r));
        m.put("standard_errors", "scores_se.npy: each candidate's standard error of the mean score, from the blocks");
        return m;
    }

    /** A few lines: what agreement to expect from another sample of this size. */
    public static void print(Stability.Result r, PrintWriter out) {
        if (r.splitHalf() != null) {
            out.printf(Locale.ROOT, "stability: split halves agree with Spearman %.4f, top-%s overlap %s%n",
                    r.splitHalf().spearman(), ks(r.ks()), figures(r.splitHalf().overlap()));
        }
        if (r.bootstrap() != null) {
            Stability.Bootstrap b = r.bootstrap();
            double[] median = new double[r.ks().length], p5 = new double[r.ks().length];
            for (int j = 0; j < median.length; j++) {
                median[j] = b.overlap()[j].median();
                p5[j] = b.overlap()[j].p5();
            }
            out.printf(Locale.ROOT,
                    "stability: bootstrap of %d blocks x %d: Spearman median %.4f (5th pct %.4f), top-%s overlap "
                            + "median %s (5th pct %s)%n",
                    b.blocksResampled(), b.replicates(), b.spearman().median(), b.spearman().p5(), ks(r.ks()),
                    figures(median), figures(p5));
        }
        for (String v : verdicts(r)) out.println(v);
    }

    /** A top k's overlap with another sample's that is this high in 95% of the bootstrap replicates is stable. */
    static final double STABLE_P5 = 0.9;
    /** Below this median, most of the top k would change with another sample. */
    static final double UNSTABLE_MEDIAN = 0.5;

    /**
     * One line per top k in words: "top 100 stable: bootstrap median overlap 0.94, 5th percentile
     * 0.90". Stable where the 5th percentile is at least 0.9; unstable where the median is below
     * 0.5; partly stable between. Empty without a bootstrap.
     */
    public static List<String> verdicts(Stability.Result r) {
        if (r.bootstrap() == null) return List.of();
        List<String> lines = new java.util.ArrayList<>();
        for (int j = 0; j < r.ks().length; j++) {
            Stability.Spread s = r.bootstrap().overlap()[j];
            String word = s.p5() >= STABLE_P5      ? "stable"
                    : s.median() < UNSTABLE_MEDIAN ? "unstable (more sentences needed)"
                                                   : "partly stable";
            lines.add(String.format(Locale.ROOT, "top %d %s: bootstrap median overlap %.2f, 5th percentile %.2f",
                    r.ks()[j], word, s.median(), s.p5()));
        }
        return lines;
    }

    private static Map<String, Double> byK(int[] ks, double[] values) {
        Map<String, Double> m = new LinkedHashMap<>();
        for (int j = 0; j < ks.length; j++) m.put(String.valueOf(ks[j]), values[j]);
        return m;
    }

    private static Map<String, Double> spread(Stability.Spread s) {
        Map<String, Double> m = new LinkedHashMap<>();
        m.put("median", s.median());
        m.put("p5", s.p5());
        return m;
    }

    private static String ks(int[] ks) {
        StringBuilder b = new StringBuilder();
        for (int k : ks) b.append(b.length() > 0 ? "/" : "").append(k);
        return b.toString();
    }

    private static String figures(double[] v) {
        StringBuilder b = new StringBuilder();
        for (double x : v) b.append(b.length() > 0 ? "/" : "").append(String.format(Locale.ROOT, "%.3f", x));
        return b.toString();
    }
}
