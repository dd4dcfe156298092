package tn.analysis;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The 95% interval across seeds against Student's t quantiles in closed form (1 and 2 degrees of freedom). */
class SeedIntervalTest {
    /** t_{0.975} with 1 degree of freedom: the Cauchy quantile tan(pi (p - 1/2)). */
    static final double T1 = Math.tan(Math.PI * 0.475);
    /** With 2: F(t) = 1/2 + t / (2 sqrt(2 + t^2)) = 0.975 gives t^2 = 2 * 0.95^2 / (1 - 0.95^2). */
    static final double T2 = Math.sqrt(2 * 0.95 * 0.95 / (1 - 0.95 * 0.95));

    @Test
    void threeSeedsUseTheQuantileOfTwoDegreesOfFreedom() {
        SeedInterval ci = SeedInterval.of(new double[] {0.5, 0.75, 0.6});
        double mean = (0.5 + 0.75 + 0.6) / 3;
        double sd = Math.sqrt((Math.pow(0.5 - mean, 2) + Math.pow(0.75 - mean, 2) + Math.pow(0.6 - mean, 2)) / 2);
        assertEquals(mean, ci.mean(), 1e-15);
        assertEquals(mean - T2 * sd / Math.sqrt(3), ci.low(), 1e-12);
        assertEquals(mean + T2 * sd / Math.sqrt(3), ci.high(), 1e-12);
        assertEquals(4.302652729749464, T2, 1e-12); // the value printed in t tables
    }

    @Test
    void twoSeedsUseTheCauchyQuantile() {
        SeedInterval ci = SeedInterval.of(new double[] {1, 2});
        double sd = Math.sqrt(0.5);
        assertEquals(1.5 - T1 * sd / Math.sqrt(2), ci.low(), 1e-10);
        assertEquals(1.5 + T1 * sd / Math.sqrt(2), ci.high(), 1e-10);
    }

    @Test
    void equalValuesHaveNoWidthAndNaNSpreads() {
        SeedInterval same = SeedInterval.of(new double[] {0.25, 0.25, 0.25, 0.25});
        assertEquals(new SeedInterval(0.25, 0.25, 0.25), same);
        SeedInterval nan = SeedInterval.of(new double[] {0.25, Double.NaN});
        assertTrue(Double.isNaN(nan.mean()) && Double.isNaN(nan.low()) && Double.isNaN(nan.high()));
        assertThrows(IllegalArgumentException.class, () -> SeedInterval.of(new double[] {1}));
    }
}
