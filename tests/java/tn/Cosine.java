package tn;

/**
 * The cosine similarity every test computes its expectations with, in float64: u.v / max(|u| |v|,
 * 1e-8), as torch's cosine_similarity (the original implementation's) and tn's TransferScores
 * compute it, so a zero vector has similarity 0 with anything (tn's PairSimilarity gives 0 too),
 * never NaN.
 */
public final class Cosine {
    /** TransferScores.EPS: torch's default eps. */
    static final double EPS = 1e-8;

    private Cosine() {}

    public static double of(double[] u, double[] v) {
        double uv = 0, uu = 0, vv = 0;
        for (int j = 0; j < u.length; j++) {
            uv += u[j] * v[j];
            uu += u[j] * u[j];
            vv += v[j] * v[j];
        }
        return uv / Math.max(Math.sqrt(uu) * Math.sqrt(vv), EPS);
    }

    public static double of(float[] u, float[] v) {
        return of(widen(u), widen(v));
    }

    private static double[] widen(float[] x) {
        double[] out = new double[x.length];
        for (int j = 0; j < x.length; j++) out[j] = x[j];
        return out;
    }
}
