package tn.compare;

import com.google.gson.JsonObject;
import tn.io.InputFile;
import tn.io.Json;

import java.nio.file.Path;

/** The pairs of tied score vectors of tests/data/compare/ties.json and SciPy's figures for them (make_fixture.py). */
record ScipyTies(double[] reference, double[] other, double spearman, double kendall) {
    static final Path FILE = Path.of("tests/data/compare/ties.json");
    static final String[] CASES = {"ties_both", "ties_reference_only", "float32_ties", "distinct"};

    static ScipyTies of(String name) {
        JsonObject c = Json.parse(InputFile.readString(FILE))
                               .getAsJsonObject()
                               .getAsJsonObject("cases")
                               .getAsJsonObject(name);
        return new ScipyTies(doubles(c, "reference"), doubles(c, "other"), c.get("spearman").getAsDouble(),
                c.get("kendall").getAsDouble());
    }

    /** other as scores.npy holds it: the fixture's values are float32 already. */
    float[] otherAsFloats() {
        float[] f = new float[other.length];
        for (int i = 0; i < f.length; i++) {
            f[i] = (float) other[i];
            if (f[i] != other[i]) throw new IllegalStateException("not a float32 value: " + other[i]);
        }
        return f;
    }

    private static double[] doubles(JsonObject c, String field) {
        return c.getAsJsonArray(field).asList().stream().mapToDouble(e -> e.getAsDouble()).toArray();
    }
}
