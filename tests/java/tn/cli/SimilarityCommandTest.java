package tn.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tn.TestModels;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static tn.cli.RunCommandsTest.tn;

/** tn similarity's options: which neurons go off, and the errors for combinations that mean nothing. */
class SimilarityCommandTest {
    @TempDir
    Path dir;

    String model() {
        return TestModels.file(TestModels.SPM).toString();
    }

    Path ranking() throws IOException {
        Path f = dir.resolve("ranking.tsv");
        Files.writeString(f, "rank\tlayer\tneuron\tscore\n1\t0\t5\t0.9\n2\t1\t7\t0.8\n3\t2\t9\t0.7\n4\t1\t2\t0.6\n");
        return f;
    }

    @Test
    void transferNeuronsOrABaselineOfTheSameSizeAreSwitchedOffAndWrittenOut() throws IOException {
        Path r = ranking();
        Path tns = dir.resolve("tns");
        assertEquals(0,
                tn("similarity", "--model", model(), "--pairs", "data/demo/en-ja.tsv", "--deactivate", r.toString(),
                        "--top-n", "3", "--out", tns.toString())
                        .code());
        assertEquals(
                List.of("layer\tneuron", "0\t5", "1\t7", "2\t9"), Files.readAllLines(tns.resolve("deactivated.tsv")));
        assertTrue(
                Files.readString(tns.resolve("run.json")).contains("\"lang\": \"ja\""), "the L2 comes from en-ja.tsv");

        Path base = dir.resolve("base");
        assertEquals(0,
                tn("similarity", "--model", model(), "--pairs", "data/demo/en-ja.tsv", "--deactivate", r.toString(),
                        "--top-n", "3", "--baseline", "--seed", "3", "--out", base.toString())
                        .code());
        List<String> drawn = Files.readAllLines(base.resolve("deactivated.tsv"));
        assertEquals(4, drawn.size()); // header + as many as --top-n
        for (String line : drawn.subList(1, 4)) {
            int layer = Integer.parseInt(line.split("\t")[0]);
            assertTrue(layer >= 0 && layer <= 2, "outside the ranking's layers: " + line);
            assertFalse(List.of("0\t5", "1\t7", "2\t9").contains(line), "a transfer neuron in the baseline: " + line);
        }
        assertFalse(Files.readString(base.resolve("similarity.csv"))
                        .equals(Files.readString(tns.resolve("similarity.csv"))));
    }

    @Test
    void meaninglessCombinationsAreUsageErrors() throws IOException {
        Path r = ranking();
        String[][] bad = {
                {"--deactivate", r.toString()},
                {"--top-n", "3"},
                {"--baseline"},
                {"--baseline", "5"},
                {"--deactivate", r.toString(), "--top-n", "3", "--layers", "0:2"},
                {"--deactivate", r.toString(), "--top-n", "9"},
        };
        for (String[] extra : bad) {
            List<String> args = new java.util.ArrayList<>(List.of("similarity", "--model", model(), "--pairs",
                    "data/demo/en-ja.tsv", "--out", dir.resolve("x").toString()));
            args.addAll(List.of(extra));
            TnCli.Result res = tn(args.toArray(String[] ::new));
            assertEquals(Tn.EXIT_USAGE, res.code(), String.join(" ", extra) + ": " + res.err());
        }
        Path pairs = dir.resolve("pairs.tsv");
        Files.copy(Path.of("data/demo/en-ja.tsv"), pairs);
        TnCli.Result res =
                tn("similarity", "--model", model(), "--pairs", pairs.toString(), "--out", dir.resolve("y").toString());
        assertEquals(Tn.EXIT_USAGE, res.code());
        assertTrue(res.err().contains("--lang is needed"), res.err());
    }
}
