package tn.report;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import tn.cli.Tn;
import tn.cli.TnCli;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** tn report on the command line: exit codes of bad input and usage, and its help. */
class ReportCommandTest {
    @TempDir
    Path tmp;

    @Test
    void aFolderOfFilesWithoutRunJsonIsReported() throws IOException {
        Path run = Files.createDirectories(tmp.resolve("files"));
        Files.writeString(run.resolve("t.tsv"), "a\tb\n1\t2\n");
        Path out = tmp.resolve("r.html");
        TnCli.Result r =
                TnCli.run("report", run.toString(), "--out", out.toString(), "--title", "Mine", "--max-rows", "1");
        assertEquals(0, r.code(), r.err());
        String html = Files.readString(out);
        assertTrue(
                html.contains("<h1>Mine</h1>") && html.contains("showing 1 of 1 rows") && html.contains("No run.json"),
                html);
    }

    @Test
    void noRunDirOrABadOptionIsAUsageError() {
        Path out = tmp.resolve("r.html");
        for (String[] args : new String[][] {{"report", "--out", out.toString()}, {"report", tmp.toString()},
                     {"report", tmp.toString(), "--out", out.toString(), "--max-rows", "-1"},
                     {"report", tmp.toString(), "--out", out.toString(), "--max-rows", "many"}}) {
            TnCli.Result r = TnCli.run(args);
            assertEquals(Tn.EXIT_USAGE, r.code(), String.join(" ", args) + ": " + r.err());
        }
        assertFalse(Files.exists(out), "nothing is written after a usage error");
    }

    @Test
    void aMissingFolderOrCorruptRunJsonIsBadInputNamingThePath() throws IOException {
        Path good = Files.createDirectories(tmp.resolve("good"));
        Path corrupt = Files.createDirectories(tmp.resolve("corrupt"));
        Files.writeString(corrupt.resolve("run.json"), "{\"command\": \"detect\",");
        Path file = Files.writeString(tmp.resolve("a-file.txt"), "x");
        Path out = tmp.resolve("r.html");
        for (Path bad : List.of(tmp.resolve("missing"), corrupt, file)) {
            TnCli.Result r = TnCli.run("report", good.toString(), bad.toString(), "--out", out.toString());
            assertEquals(Tn.EXIT_INPUT, r.code(), bad + ": " + r.err());
            assertTrue(r.err().contains(bad.toString()), r.err());
            assertFalse(r.err().contains("Exception"), "a message, not a stack trace: " + r.err());
        }
        assertFalse(Files.exists(out), "no page from bad input");
    }

    @Test
    void helpExplainsEveryOption() {
        StringWriter help = new StringWriter();
        Tn.commandLine().getSubcommands().get("report").usage(new PrintWriter(help));
        for (String part : List.of("RUN_DIR", "--out", "--max-rows", "--title", "run.json", ".png", ".tsv", ".npy")) {
            assertTrue(help.toString().contains(part), part + " in:\n" + help);
        }
    }
}
