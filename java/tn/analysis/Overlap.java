package tn.analysis;

import org.apache.commons.math3.distribution.HypergeometricDistribution;
import tn.llama.Neuron;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.IntStream;

/**
 * How many neurons two sets share, per layer, against chance. In a layer of nFf neurons holding
 * a neurons of set A and b of set B, if A's were drawn at random, the number shared would be
 * hypergeometric: expected a b / nFf, and p = P(X >= observed) is the chance of sharing at least
 * as many. The total's p-value is that of the sum over layers, the layers drawn independently
 * (the exact distribution: the convolution of the layers' distributions).
 *
 * @param layers one row per layer, 0..nLayer-1
 */
public record Overlap(int nFf, List<Row> layers, Row total) {
    /** layer -1 for the total. */
    public record Row(int layer, int a, int b, int observed, double expected, double pValue) {}

    public Overlap {
        layers = List.copyOf(layers);
    }

    public static Overlap of(Set<Neuron> a, Set<Neuron> b, int nLayer, int nFf) {
        int[] inA = new int[nLayer], inB = new int[nLayer], both = new int[nLayer];
        for (Neuron n : a) inA[n.layer()]++;
        for (Neuron n : b) {
            inB[n.layer()]++;
            if (a.contains(n)) both[n.layer()]++;
        }
        List<Row> rows = new ArrayList<>();
        double[] sum = {1}; // the distribution of the number shared, over the layers so far
        double expected = 0;
        for (int l = 0; l < nLayer; l++) {
            if (inA[l] == 0 || inB[l] == 0) { // nothing can be shared (Commons Math gives NaN when both are 0)
                rows.add(new Row(l, inA[l], inB[l], 0, 0, 1));
                continue;
            }
            HypergeometricDistribution h = new HypergeometricDistribution(null, nFf, inB[l], inA[l]);
            rows.add(new Row(l, inA[l], inB[l], both[l], h.getNumericalMean(), h.upperCumulativeProbability(both[l])));
            expected += h.getNumericalMean();
            sum = convolve(sum, h);
        }
        double tail = 0;
        int observed = IntStream.of(both).sum();
        for (int x = sum.length - 1; x >= observed; x--) tail += sum[x]; // small terms first
        return new Overlap(nFf, rows, new Row(-1, a.size(), b.size(), observed, expected, Math.min(1, tail)));
    }

    /** The distribution of S + X, S given by its probabilities for 0.., X hypergeometric. */
    private static double[] convolve(double[] s, HypergeometricDistribution x) {
        int max = x.getSupportUpperBound();
        double[] out = new double[s.length + max];
        for (int k = x.getSupportLowerBound(); k <= max; k++) {
            double pk = x.probability(k);
            for (int j = 0; j < s.length; j++) out[j + k] += s[j] * pk;
        }
        return out;
    }
}
