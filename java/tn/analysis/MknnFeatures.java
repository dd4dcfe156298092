package tn.analysis;

import tn.method.Accumulator;

import java.util.stream.IntStream;

/**
 * The features mutual kNN alignment compares (docs/method.md, mutual k-nearest neighbours): every pair's English and L2
 * vector at every layer, kept in the sums so that a checkpoint keeps them. The statistic needs
 * all items at once, so nothing can be reduced while they arrive. Vectors are kept as captured
 * (float, exact in double); {@link MutualKnn} normalises them.
 */
public final class MknnFeatures extends Accumulator {
    private static final int EN = 0, L2 = 1;

    private final int nLayer;
    private final int items;
    private final int width;

    public MknnFeatures(int nLayer, int items, int width) {
        super(size(nLayer, items, width));
        this.nLayer = nLayer;
        this.items = items;
        this.width = width;
    }

    private static int size(int nLayer, int items, int width) {
        long size = 2L * nLayer * items * width;
        if (size > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException(items + " pairs x " + nLayer + " layers x " + width
                    + " dimensions x 2 languages are too many values to hold; use fewer pairs");
        }
        return (int) size;
    }

    /**
     * Adds pairs first..first+sentences-1 of the run: en[l] and l2[l] are the sentences x width
     * vectors of layer l, pair first + s in row s.
     */
    public void add(int first, float[][] en, float[][] l2, int sentences) {
        if (first < 0 || first + sentences > items) {
            throw new IllegalStateException(
                    "pairs " + first + ".." + (first + sentences) + " of the " + items + " this was made for");
        }
        int at = first * width;
        for (int l = 0; l < nLayer; l++) {
            copy(en[l], sentences, offset(EN, l) + at);
            copy(l2[l], sentences, offset(L2, l) + at);
        }
        count += sentences;
    }

    /** The alignment of every layer, layers in parallel: each compares all pairs with all pairs. */
    public double[] scores(int k) {
        if (count != items) throw new IllegalStateException(count + " of " + items + " pairs added");
        return IntStream.range(0, nLayer)
                .parallel()
                .mapToDouble(l -> MutualKnn.score(side(EN, l), side(L2, l), width, k))
                .toArray();
    }

    private void copy(float[] from, int sentences, int to) {
        for (int i = 0; i < sentences * width; i++) sums[to + i] = from[i];
    }

    /** One language's vectors of layer l, back in float (they were floats when added, so exactly). */
    private float[] side(int language, int l) {
        float[] v = new float[items * width];
        int from = offset(language, l);
        for (int i = 0; i < v.length; i++) v[i] = (float) sums[from + i];
        return v;
    }

    private int offset(int language, int l) {
        return (language * nLayer + l) * items * width;
    }
}
