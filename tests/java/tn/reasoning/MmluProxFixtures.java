package tn.reasoning;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;

/** The fixtures of tests/data/reasoning, made by the seed's lm-evaluation-harness (see its README). */
final class MmluProxFixtures {
    static final Path DIR = Path.of(System.getProperty("tn.repo", "."), "tests", "data", "reasoning");

    private MmluProxFixtures() {}

    static Path sample(String name) {
        return DIR.resolve("sample").resolve(name);
    }

    static JsonObject expected(String name) {
        try {
            return JsonParser.parseString(Files.readString(DIR.resolve("expected").resolve(name))).getAsJsonObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The lines of expected/NAME.jsonl.gz. */
    static List<JsonObject> expectedLines(String name) {
        try (InputStream in = new GZIPInputStream(
                     Files.newInputStream(DIR.resolve("expected").resolve(name + ".jsonl.gz")))) {
            List<JsonObject> lines = new ArrayList<>();
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                if (!line.isEmpty()) lines.add(JsonParser.parseString(line).getAsJsonObject());
            }
            return lines;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
