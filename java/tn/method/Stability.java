package tn.method;

import org.apache.commons.math3.stat.correlation.SpearmansCorrelation;
import org.apache.commons.math3.stat.descriptive.rank.Percentile;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ForkJoinPool;
import java.util.stream.IntStream;

/**
 * How much a ranking owes to the sample of sentences it was made from, computed from the score
 * sums kept in blocks of items ({@link BlockSums}), so at no extra forward cost:
 * <ul>
 * <li>split-half agreement: the ranking of the even blocks' items against the odd blocks' (with an
 * even block count, even-indexed items against odd-indexed ones), as two detect runs on those
 * halves would give it: means rounded to float32 as scores.npy holds them, Spearman's rho with
 * average ranks for ties, and the overlap of the top k;</li>
 * <li>a bootstrap over blocks: R resamples of the non-empty blocks with replacement, each ranked
 * and compared with the full ranking (Spearman over every candidate, top-k overlap), summarised
 * by the median and the 5th percentile: the agreement to expect from another sample of this
 * size; and, for the top n, the 5th and 95th percentile of each neuron's rank;</li>
 * <li>agreement against sample size: pairs of disjoint samples of m blocks each, for up to six m
 * from one block to half of them, so a user can read how many sentences a stable top k needs;</li>
 * <li>each candidate's standard error ({@link BlockSums#standardErrors}).</li>
 * </ul>
 * Everything is determined by the sums, the seed and the parameters, whatever the thread count.
 */
public final class Stability {
    /**
     * The top-k sizes reported: those of at most half the candidates, where an overlap can be low
     * (two top k of more than half the candidates share 2k - n of them by construction); half the
     * candidates where none of these is.
     */
    public static final int[] KS = {10, 100, 1000};
    /** Pairs of disjoint samples drawn per sample size, and sample sizes at most. */
    static final int CURVE_DRAWS = 10, CURVE_POINTS = 6;

    /** Spearman's rho and the top-k overlaps of one comparison (overlap[j] for ks()[j]). */
    public record Agreement(double spearman, double[] overlap) {}

    /** The median and the 5th percentile (numpy's linear interpolation) of a figure over the replicates. */
    public record Spread(double median, double p5) {}

    /** The bootstrap's summary: Spearman's spread, and each top k's. */
    public record Bootstrap(int replicates, long seed, int blocksResampled, Spread spearman, Spread[] overlap) {}

    /** Agreement between disjoint samples of blocks blocks (meanItems items on average) each: medians over the draws. */
    public record CurvePoint(int blocks, double meanItems, double spearman, double[] overlap) {}

    /**
     * @param ks          the top-k sizes, capped at the candidate count
     * @param splitHalf   null when a half has no items
     * @param bootstrap   null with fewer than two non-empty blocks or no replicates asked for
     * @param rankP5      for rank r (from 0) of the full ranking's top n, the 5th percentile of its rank (from 1)
     *                    over the replicates; null without a bootstrap
     * @param rankP95     the 95th percentile likewise
     * @param curve       agreement against sample size (empty with fewer than two non-empty blocks)
     * @param standardErrors per candidate
     */
    public record Result(int[] ks, long items, long[] blockItems, Agreement splitHalf, Bootstrap bootstrap,
            double[] rankP5, double[] rankP95, List<CurvePoint> curve, double[] standardErrors) {}

    private Stability() {}

    /**
     * order: every candidate in the full ranking's order ({@link Ranking#order}), of which topN are
     * listed with rank intervals; replicates 0 skips the bootstrap; threads 0 uses every core.
     */
    public static Result of(BlockSums sums, int[] order, int topN, int replicates, long seed, int threads) {
        int nc = sums.candidates();
        int[] ks = ks(nc);
        double[] full = sums.mean(null);
        int[] used = sums.nonEmpty();
        ForkJoinPool pool = new ForkJoinPool(threads > 0 ? threads : Runtime.getRuntime().availableProcessors());
        try {
            Agreement split = splitHalf(sums, ks);
            Bootstrap boot = null;
            double[] p5 = null, p95 = null;
            if (replicates > 0 && used.length >= 2) {
                int[] fullRank = ranks(Ranking.order(full));
                int[][] weights = new int[replicates][sums.blocks()];
                SplittableRandom random = new SplittableRandom(seed);
                for (int[] w : weights)
                    for (int j = 0; j < used.length; j++) w[used[random.nextInt(used.length)]]++;
                int shown = Math.min(topN, nc);
                int[][] topRanks = new int[replicates][];
                Agreement[] agreements = new Agreement[replicates];
                run(pool, replicates, r -> {
                    int[] resampled = Ranking.order(sums.mean(weights[r]));
                    int[] rank = ranks(resampled);
                    agreements[r] = new Agreement(spearman(fullRank, rank), overlaps(order, resampled, ks));
                    int[] t = new int[shown];
                    for (int j = 0; j < shown; j++) t[j] = rank[order[j]] + 1;
                    topRanks[r] = t;
                });
                boot = new Bootstrap(
                        replicates, seed, used.length, spread(agreements, -1), spreads(agreements, ks.length));
                p5 = new double[shown];
                p95 = new double[shown];
                Percentile percentile = new Percentile().withEstimationType(Percentile.EstimationType.R_7);
                double[] column = new double[replicates];
                for (int j = 0; j < shown; j++) {
                    for (int r = 0; r < replicates; r++) column[r] = topRanks[r][j];
                    p5[j] = percentile.evaluate(column, 5);
                    p95[j] = percentile.evaluate(column, 95);
                }
            }
            return new Result(ks, sums.items(), sums.counts().clone(), split, boot, p5, p95,
                    curve(sums, used, ks, seed, pool), sums.standardErrors());
        } finally {
            pool.shutdown();
        }
    }

    /** The top-k sizes reported for nc candidates: {@link #KS} up to nc / 2. */
    static int[] ks(int nc) {
        int[] ks = Arrays.stream(KS).filter(k -> k <= nc / 2).toArray();
        return ks.length > 0 ? ks : new int[] {Math.max(1, nc / 2)};
    }

    /** Even blocks against odd blocks, as float32 means. */
    static Agreement splitHalf(BlockSums sums, int[] ks) {
        int[] even = new int[sums.blocks()], odd = new int[sums.blocks()];
        long nEven = 0, nOdd = 0;
        for (int b = 0; b < sums.blocks(); b++) {
            if (b % 2 == 0) {
                even[b] = 1;
                nEven += sums.counts()[b];
            } else {
                odd[b] = 1;
                nOdd += sums.counts()[b];
            }
        }
        if (nEven == 0 || nOdd == 0) return null;
        double[] a = asFloat32(sums.mean(even)), b = asFloat32(sums.mean(odd));
        double rho = a.length < 2 ? Double.NaN : new SpearmansCorrelation().correlation(a, b);
        if (Arrays.equals(a, b)) rho = 1; // identical halves: exactly 1, not 1 - 1e-16
        return new Agreement(rho, overlaps(Ranking.order(a), Ranking.order(b), ks));
    }

    /** Disjoint samples of m blocks, m from 1 to half the non-empty blocks, CURVE_DRAWS pairs each. */
    static List<CurvePoint> curve(BlockSums sums, int[] used, int[] ks, long seed, ForkJoinPool pool) {
        List<CurvePoint> points = new ArrayList<>();
        SplittableRandom random = new SplittableRandom(seed ^ 0x5DEECE66DL);
        for (int size : curveSizes(used.length / 2)) {
            int[][][] draws = new int[CURVE_DRAWS][2][];
            for (int[][] d : draws) {
                int[] shuffled = used.clone();
                for (int i = shuffled.length - 1; i > 0; i--) {
                    int j = random.nextInt(i + 1);
                    int t = shuffled[i];
                    shuffled[i] = shuffled[j];
                    shuffled[j] = t;
                }
                d[0] = Arrays.copyOfRange(shuffled, 0, size);
                d[1] = Arrays.copyOfRange(shuffled, size, 2 * size);
            }
            Agreement[] agreements = new Agreement[CURVE_DRAWS];
            double[] items = new double[CURVE_DRAWS];
            run(pool, CURVE_DRAWS, r -> {
                int[] oa = Ranking.order(sums.mean(weights(sums.blocks(), draws[r][0])));
                int[] ob = Ranking.order(sums.mean(weights(sums.blocks(), draws[r][1])));
                agreements[r] = new Agreement(spearman(ranks(oa), ranks(ob)), overlaps(oa, ob, ks));
                long n = 0;
                for (int b : draws[r][0]) n += sums.counts()[b];
                for (int b : draws[r][1]) n += sums.counts()[b];
                items[r] = n / 2.0;
            });
            double[] overlap = new double[ks.length];
            for (int j = 0; j < ks.length; j++) overlap[j] = spreads(agreements, ks.length)[j].median();
            points.add(new CurvePoint(
                    size, Arrays.stream(items).average().orElse(0), spread(agreements, -1).median(), overlap));
        }
        return points;
    }

    /** Up to CURVE_POINTS sample sizes from 1 to max blocks, spaced geometrically, max included. */
    static int[] curveSizes(int max) {
        java.util.TreeSet<Integer> sizes = new java.util.TreeSet<>();
        for (int j = 0; j < CURVE_POINTS && max >= 1; j++) {
            sizes.add((int) Math.round(Math.pow(max, CURVE_POINTS == 1 ? 1 : (double) j / (CURVE_POINTS - 1))));
        }
        return sizes.stream().mapToInt(Integer::intValue).toArray();
    }

    private static int[] weights(int blocks, int[] chosen) {
        int[] w = new int[blocks];
        for (int b : chosen) w[b] = 1;
        return w;
    }

    private static void run(ForkJoinPool pool, int n, java.util.function.IntConsumer task) {
        try {
            pool.submit(() -> IntStream.range(0, n).parallel().forEach(task)).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException re ? re : new IllegalStateException(e.getCause());
        }
    }

    /** |first k of a ∩ first k of b| / k for each k. */
    static double[] overlaps(int[] a, int[] b, int[] ks) {
        double[] out = new double[ks.length];
        int n = Math.max(a.length, b.length);
        boolean[] inA = new boolean[n];
        for (int j = 0; j < ks.length; j++) {
            int k = ks[j];
            Arrays.fill(inA, false);
            for (int p = 0; p < k; p++) inA[a[p]] = true;
            int common = 0;
            for (int p = 0; p < k; p++)
                if (inA[b[p]]) common++;
            out[j] = (double) common / k;
        }
        return out;
    }

    /** Spearman's rho of two rankings without ties: 1 - 6 sum d^2 / (n (n^2 - 1)). */
    static double spearman(int[] rankA, int[] rankB) {
        double n = rankA.length, d2 = 0;
        if (n < 2) return Double.NaN;
        for (int i = 0; i < rankA.length; i++) {
            double d = rankA[i] - rankB[i];
            d2 += d * d;
        }
        return 1 - 6 * d2 / (n * (n * n - 1));
    }

    /** rank[c]: the position (from 0) of candidate c in order. */
    static int[] ranks(int[] order) {
        int[] rank = new int[order.length];
        for (int p = 0; p < order.length; p++) rank[order[p]] = p;
        return rank;
    }

    private static double[] asFloat32(double[] v) {
        double[] out = new double[v.length];
        for (int i = 0; i < v.length; i++) out[i] = (float) v[i];
        return out;
    }

    /** column -1: Spearman; j >= 0: the overlap of the j-th k. */
    private static Spread spread(Agreement[] agreements, int column) {
        double[] v = new double[agreements.length];
        for (int r = 0; r < v.length; r++)
            v[r] = column < 0 ? agreements[r].spearman() : agreements[r].overlap()[column];
        Percentile percentile = new Percentile().withEstimationType(Percentile.EstimationType.R_7);
        return new Spread(percentile.evaluate(v, 50), percentile.evaluate(v, 5));
    }

    private static Spread[] spreads(Agreement[] agreements, int ks) {
        Spread[] out = new Spread[ks];
        for (int j = 0; j < ks; j++) out[j] = spread(agreements, j);
        return out;
    }
}
