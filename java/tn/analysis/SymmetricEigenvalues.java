package tn.analysis;

import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.interfaces.decomposition.TridiagonalSimilarDecomposition_F64;

/**
 * Every eigenvalue of a real symmetric matrix, by a route with no iteration that can fail to
 * converge: Householder reduction to a tridiagonal matrix T with the same eigenvalues (EJML, a
 * fixed m - 2 reflections), then bisection with Sturm counts on T (Golub and Van Loan, section
 * 8.4.1; LAPACK's dstebz), which halves an interval a bounded number of times per eigenvalue.
 *
 * <p>Why not a QR iteration: EJML's symmetric QR eigensolver gives up after a fixed number of
 * steps, and it does on the Gram matrices of states with repeated rows (sentences that end in the
 * same token), whose many zero eigenvalues its relative deflation test never separates. Both steps
 * here are backward stable: each eigenvalue comes out within a few units of eps * ||A|| of the
 * exact one, as accurate as an SVD's squared singular values relative to the largest.
 *
 * <p>Cost for m = 1000: the reduction is 4/3 m^3 flops (about a second); the bisection about 60
 * Sturm counts of m steps per eigenvalue, 6e7 steps in all.
 */
final class SymmetricEigenvalues {
    private static final double EPS = Math.ulp(1.0) / 2;

    private SymmetricEigenvalues() {}

    /** The eigenvalues of the symmetric m x m matrix a (only read), in increasing order. */
    static double[] of(double[][] a) {
        int m = a.length;
        if (m == 0) return new double[0];
        TridiagonalSimilarDecomposition_F64<DMatrixRMaj> tridiagonal = DecompositionFactory_DDRM.tridiagonal(m);
        if (!tridiagonal.decompose(new DMatrixRMaj(a)))
            throw new IllegalStateException("the Householder tridiagonal reduction failed");
        double[] diagonal = new double[m], off = new double[Math.max(0, m - 1)];
        tridiagonal.getDiagonal(diagonal, off);
        return ofTridiagonal(diagonal, off);
    }

    /**
     * The eigenvalues of the symmetric tridiagonal matrix with the given diagonal and
     * off-diagonal (off[i] joins rows i and i + 1), increasing. Each is bisected on its own, from
     * Gershgorin's bounds of the whole matrix, until its interval is as narrow as doubles allow or
     * narrower than eps * ||T||, beyond which a Sturm count no longer tells the halves apart.
     */
    static double[] ofTridiagonal(double[] diagonal, double[] off) {
        int m = diagonal.length;
        double lower = Double.POSITIVE_INFINITY, upper = Double.NEGATIVE_INFINITY, maxOff2 = 0;
        for (int i = 0; i < m; i++) {
            double radius = (i > 0 ? Math.abs(off[i - 1]) : 0) + (i < m - 1 ? Math.abs(off[i]) : 0);
            lower = Math.min(lower, diagonal[i] - radius);
            upper = Math.max(upper, diagonal[i] + radius);
            if (i < m - 1) maxOff2 = Math.max(maxOff2, off[i] * off[i]);
        }
        if (!Double.isFinite(lower) || !Double.isFinite(upper))
            throw new IllegalArgumentException("the matrix has NaN or infinite entries");
        double norm = Math.max(Math.abs(lower), Math.abs(upper));
        // the smallest pivot a Sturm count divides by, as dstebz's PIVMIN
        double pivmin = Double.MIN_NORMAL * Math.max(1, maxOff2);
        // widened so that the counts at the bounds are surely 0 and m despite rounding
        double slack = 2 * EPS * norm * m + 2 * pivmin;
        lower -= slack;
        upper += slack;
        double absolute = EPS * norm;
        double[] values = new double[m];
        for (int k = 0; k < m; k++) {
            double lo = lower, hi = upper; // count(lo) <= k < count(hi)
            while (hi - lo > Math.max(absolute, 2 * EPS * Math.max(Math.abs(lo), Math.abs(hi)))) {
                double mid = lo + (hi - lo) / 2;
                if (mid <= lo || mid >= hi) break;
                if (countBelow(diagonal, off, mid, pivmin) > k) hi = mid;
                else lo = mid;
            }
            values[k] = lo + (hi - lo) / 2;
        }
        return values;
    }

    /**
     * Sylvester's law of inertia: the number of eigenvalues below x is the number of negative
     * pivots of the LDL^T factorisation of T - xI; a pivot too small to divide by counts as a
     * small negative one, as in dstebz.
     */
    static int countBelow(double[] diagonal, double[] off, double x, double pivmin) {
        int count = 0;
        double pivot = 1;
        for (int i = 0; i < diagonal.length; i++) {
            pivot = diagonal[i] - x - (i > 0 ? off[i - 1] * off[i - 1] / pivot : 0);
            if (Math.abs(pivot) <= pivmin) pivot = -pivmin;
            if (pivot < 0) count++;
        }
        return count;
    }
}
