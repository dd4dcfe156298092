package tn.data.tatoeba;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The shuffle behind the non-parallel pairs: a permutation with no fixed point, fixed by the seed. */
class PairSelectionTest {
    @Test
    void derangementsHaveNoFixedPointAndDependOnlyOnTheSeed() {
        for (int size = 2; size <= 12; size++) {
            for (long seed = 0; seed < 50; seed++) {
                int[] p = PairSelection.derangement(size, new SplittableRandom(seed));
                boolean[] seen = new boolean[size];
                for (int i = 0; i < size; i++) {
                    assertNotEquals(i, p[i]);
                    seen[p[i]] = true;
                }
                for (boolean s : seen) assertTrue(s, "a permutation: " + Arrays.toString(p));
            }
        }
        assertArrayEquals(PairSelection.derangement(9, new SplittableRandom(3)),
                PairSelection.derangement(9, new SplittableRandom(3)));
        assertThrows(IllegalArgumentException.class, () -> PairSelection.derangement(1, new SplittableRandom(3)));
    }
}
