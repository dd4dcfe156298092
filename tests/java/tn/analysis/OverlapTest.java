package tn.analysis;

import org.junit.jupiter.api.Test;
import tn.llama.Neuron;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Per-layer overlap of two hand-made sets; p-values against sums of binomial coefficients. */
public class OverlapTest {
    static final int N_FF = 20;

    /** P(X >= k) for X hypergeometric: a of N drawn, b of N marked; the textbook sum. */
    public static double naiveTail(int a, int b, int n, int k) {
        double tail = 0;
        for (int x = k; x <= Math.min(a, b); x++) tail += naivePmf(a, b, n, x);
        return tail;
    }

    static double naivePmf(int a, int b, int n, int x) {
        if (x < 0 || x > a || x > b || a - x > n - b) return 0;
        return binomial(b, x) * binomial(n - b, a - x) / binomial(n, a);
    }

    static double binomial(int n, int k) {
        double c = 1;
        for (int i = 1; i <= k; i++) c = c * (n - k + i) / i;
        return c;
    }

    static Set<Neuron> neurons(int layer, int... indices) {
        Set<Neuron> s = new HashSet<>();
        for (int i : indices) s.add(new Neuron(layer, i));
        return s;
    }

    @Test
    void countsExpectationsAndPValuesPerLayer() {
        // layer 0: A 4, B 5, shared 3; layer 1: A 2, B 0; layer 2: A 0, B 3; layer 3: A 6, B 6, shared 1
        Set<Neuron> a = new HashSet<>(neurons(0, 0, 1, 2, 3));
        a.addAll(neurons(1, 7, 8));
        a.addAll(neurons(3, 0, 1, 2, 3, 4, 5));
        Set<Neuron> b = new HashSet<>(neurons(0, 1, 2, 3, 10, 11));
        b.addAll(neurons(2, 0, 1, 2));
        b.addAll(neurons(3, 5, 6, 7, 8, 9, 10));
        Overlap o = Overlap.of(a, b, 4, N_FF);

        int[][] expected = {{4, 5, 3}, {2, 0, 0}, {0, 3, 0}, {6, 6, 1}};
        for (int l = 0; l < 4; l++) {
            Overlap.Row r = o.layers().get(l);
            assertEquals(l, r.layer());
            assertEquals(expected[l][0], r.a());
            assertEquals(expected[l][1], r.b());
            assertEquals(expected[l][2], r.observed());
            assertEquals(expected[l][0] * expected[l][1] / (double) N_FF, r.expected(), 1e-12);
            assertEquals(naiveTail(expected[l][0], expected[l][1], N_FF, expected[l][2]), r.pValue(), 1e-12);
        }
        // layer 0 by hand: P(X >= 3) = [C(5,3) C(15,1) + C(5,4) C(15,0)] / C(20,4) = (150 + 5) / 4845
        assertEquals(155.0 / 4845, o.layers().get(0).pValue(), 1e-12);
        assertEquals(1.0, o.layers().get(1).pValue(), 1e-12); // nothing to share: certain
        // layer 3: P(X >= 1) = 1 - C(14,6) / C(20,6) = 1 - 3003 / 38760
        assertEquals(1 - 3003.0 / 38760, o.layers().get(3).pValue(), 1e-12);

        Overlap.Row total = o.total();
        assertEquals(12, total.a());
        assertEquals(14, total.b());
        assertEquals(4, total.observed());
        assertEquals((20 + 0 + 0 + 36) / (double) N_FF, total.expected(), 1e-12);
        // the sum of layers 0 and 3 (the others are 0 for sure) reaching at least 4
        double naive = 0;
        for (int x0 = 0; x0 <= 4; x0++) {
            for (int x3 = 0; x3 <= 6; x3++) {
                if (x0 + x3 >= 4) naive += naivePmf(4, 5, N_FF, x0) * naivePmf(6, 6, N_FF, x3);
            }
        }
        assertEquals(naive, total.pValue(), 1e-12);
    }

    @Test
    void identicalSetsAreFarAboveChance() {
        Set<Neuron> a = neurons(1, 0, 1, 2, 3, 4);
        Overlap o = Overlap.of(a, a, 2, N_FF);
        assertEquals(List.of(0, 5), o.layers().stream().map(Overlap.Row::observed).toList());
        assertEquals(1.25, o.layers().get(1).expected(), 1e-12);
        assertEquals(1 / binomial(20, 5), o.layers().get(1).pValue(), 1e-15);
        assertEquals(1 / binomial(20, 5), o.total().pValue(), 1e-15);
        Overlap none = Overlap.of(a, Set.of(), 2, N_FF);
        assertEquals(1.0, none.total().pValue(), 1e-12);
        assertEquals(0.0, none.total().expected());
    }
}
