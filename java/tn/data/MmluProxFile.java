package tn.data;

import blue.strategic.parquet.Hydrator;
import blue.strategic.parquet.ParquetReader;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;
import tn.io.BoundedInput;
import tn.io.InputException;
import tn.io.InputFile;
import tn.io.Sha256;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Reads one split of MMLU-ProX (test or validation, one language): the release's parquet file as
 * published, or JSONL (optionally gzipped) with the same fields, one row per line. Fields:
 * question_id (an integer or a string), question, option_0 .. option_9 (null or absent where a
 * question has fewer options), answer (the letter), answer_index, cot_content (the worked answer
 * of a few-shot example), category (the subject, e.g. "computer science"); others are ignored.
 */
public final class MmluProxFile {
    public static final int OPTIONS = 10;

    /**
     * One question. options has OPTIONS entries, null where absent; answerIndex and cotContent may
     * be null; line is its line (JSONL) or row (parquet), from 1, and where names file and line.
     */
    public record Row(String questionId, String question, List<String> options, String answer, Integer answerIndex,
            String cotContent, String category, int line, String where) {}

    /** A split's rows in file order, and the sha256 of the file. */
    public record Rows(Path file, String format, String sha256, List<Row> rows) {}

    private MmluProxFile() {}

    public static Rows read(Path file) {
        String name = file.getFileName().toString();
        boolean parquet = name.endsWith(".parquet");
        if (!parquet && !name.endsWith(".jsonl") && !name.endsWith(".jsonl.gz")) {
            throw new InputException(file + ": MMLU-ProX questions must be the release's .parquet file or .jsonl "
                    + "(or .jsonl.gz) with its fields (question_id, question, option_0..option_9, answer, cot_content, category)");
        }
        byte[] bytes = InputFile.readAllBytes(file);
        List<Row> rows = parquet ? parquet(file, bytes) : jsonl(file, bytes, name.endsWith(".gz"));
        if (rows.isEmpty()) throw new InputException(file + ": no questions");
        return new Rows(file, parquet ? "parquet" : "jsonl", Sha256.of(bytes), List.copyOf(rows));
    }

    /** Prompts made of a split's rows, as a dataset of the split's file (lines[k]: the row prompt k asks). */
    public static Dataset prompts(Rows rows, List<String> prompts, int[] lines) {
        return new Dataset(rows.file(), rows.format(), rows.sha256(), prompts, null, lines, 0);
    }

    private static List<Row> jsonl(Path file, byte[] bytes, boolean gzipped) {
        byte[] text = gzipped ? BoundedInput.gunzip(file, bytes) : bytes;
        List<String> lines = SentenceFiles.lines(file, text);
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).isBlank()) continue;
            int line = i + 1;
            JsonObject o = SentenceFiles.jsonObject(file, line, lines.get(i));
            Map<String, Object> values = new HashMap<>();
            for (Map.Entry<String, JsonElement> e : o.entrySet()) values.put(e.getKey(), scalar(e.getValue()));
            rows.add(row(values, line, file + " line " + line));
        }
        return rows;
    }

    /** A JSON scalar as the parquet reader gives it: String, Long, Double, Boolean, or null. */
    private static Object scalar(JsonElement e) {
        if (e == null || e.isJsonNull()) return null;
        if (!e.isJsonPrimitive()) return e;
        JsonPrimitive p = e.getAsJsonPrimitive();
        if (p.isString()) return p.getAsString();
        if (p.isBoolean()) return p.getAsBoolean();
        double d = p.getAsDouble();
        return d == Math.rint(d) && Math.abs(d) < 1e15 ? (Object) p.getAsLong() : (Object) d;
    }

    private static List<Row> parquet(Path file, byte[] bytes) {
        if (bytes.length < 12 || !new String(bytes, 0, 4).equals("PAR1")
                || !new String(bytes, bytes.length - 4, 4).equals("PAR1")) {
            throw new InputException(file + ": not a parquet file (no PAR1 magic at its start and end)");
        }
        int[] count = {0};
        Hydrator<Map<String, Object>, Row, String[]> hydrator = new Hydrator<>() {
            @Override
            public Map<String, Object> start() {
                return new HashMap<>();
            }

            @Override
            public Map<String, Object> add(Map<String, Object> target, String[] heading, Object value) {
                target.put(String.join(".", heading), value);
                return target;
            }

            @Override
            public Row finish(Map<String, Object> target) {
                count[0]++;
                return row(target, count[0], file + " row " + count[0]);
            }
        };
        try (Stream<Row> s = ParquetReader.streamContent(file.toFile(), hydrator)) {
            return s.toList();
        } catch (InputException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            throw new InputException(file + ": cannot read it as parquet (" + e.getMessage() + ")", e);
        }
    }

    private static Row row(Map<String, Object> v, int line, String where) {
        String[] options = new String[OPTIONS];
        for (int i = 0; i < OPTIONS; i++) options[i] = optionalString(v, "option_" + i, where);
        Object index = v.get("answer_index");
        if (index != null && !(index instanceof Long || index instanceof Integer)) {
            throw new InputException(where + ": \"answer_index\" is not an integer");
        }
        return new Row(id(v, where), requiredString(v, "question", where), Arrays.asList(options),
                requiredString(v, "answer", where), index == null ? null : ((Number) index).intValue(),
                optionalString(v, "cot_content", where), requiredString(v, "category", where), line, where);
    }

    private static String id(Map<String, Object> v, String where) {
        Object id = v.get("question_id");
        if (id instanceof Long || id instanceof Integer || id instanceof String) return id.toString();
        throw new InputException(where + ": "
                + (id == null ? "no \"question_id\"" : "\"question_id\" is neither an integer nor a string"));
    }

    private static String requiredString(Map<String, Object> v, String key, String where) {
        String s = optionalString(v, key, where);
        if (s == null) throw new InputException(where + ": no \"" + key + "\"");
        return s;
    }

    private static String optionalString(Map<String, Object> v, String key, String where) {
        Object o = v.get(key);
        if (o == null || o instanceof String) return (String) o;
        throw new InputException(where + ": \"" + key + "\" is not a string");
    }
}
