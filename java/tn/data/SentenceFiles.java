package tn.data;

import tn.io.Json;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import tn.io.InputException;
import tn.io.InputFile;
import tn.io.Sha256;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Reads sentence files: .txt (a sentence per line), .tsv (en TAB L2 per line), .jsonl
 * ({"text": ...} or {"en": ..., "l2": ...} per line; the L2 key may also be the language code),
 * and .pkl, the original implementation's pickles (a list of str, or of (en, L2) tuples, or a dict
 * of such lists per language, {lang: [str]}, of which the language asked for is read).
 * Blank items are skipped and counted; anything malformed is an error naming file and line.
 */
public final class SentenceFiles {
    private SentenceFiles() {}

    public static Dataset read(Path file, String lang) {
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        String format = name.endsWith(".txt") ? "txt"
                : name.endsWith(".tsv")       ? "tsv"
                : name.endsWith(".jsonl")     ? "jsonl"
                : name.endsWith(".pkl")       ? "pkl"
                                              : null;
        if (format == null) {
            throw new InputException(file + ": unknown sentence file type; expected .txt, .tsv, .jsonl or .pkl");
        }
        byte[] bytes = InputFile.readAllBytes(file);
        Builder b = new Builder(file, format, Sha256.of(bytes));
        if (format.equals("pkl")) {
            readPickle(file, bytes, lang, b);
        } else {
            List<String> lines = lines(file, bytes);
            for (int i = 0; i < lines.size(); i++) {
                int line = i + 1;
                String text = lines.get(i);
                if (text.isBlank()) {
                    b.skipped++;
                    continue;
                }
                switch (format) {
                    case "txt" -> b.sentence(text, line);
                    case "tsv" -> tsvLine(file, line, text, b);
                    default -> jsonLine(file, line, text, lang, b);
                }
            }
        }
        return b.build();
    }

    /**
     * Lines decoded strictly as UTF-8 (or UTF-16, when a byte order mark says so), without a
     * leading BOM; a line ends at LF, CRLF or a lone CR (old Mac files), never merging lines. A
     * NUL is refused by line: no text holds one, and a UTF-16 file without its BOM reads as
     * UTF-8 full of them.
     */
    public static List<String> lines(Path file, byte[] bytes) {
        byte[] utf8Bytes = fromUtf16(file, bytes);
        CharsetDecoder utf8 = StandardCharsets.UTF_8.newDecoder()
                                      .onMalformedInput(CodingErrorAction.REPORT)
                                      .onUnmappableCharacter(CodingErrorAction.REPORT);
        List<String> lines = new ArrayList<>();
        int start = utf8Bytes.length >= 3 && (utf8Bytes[0] & 0xff) == 0xef && (utf8Bytes[1] & 0xff) == 0xbb
                        && (utf8Bytes[2] & 0xff) == 0xbf
                ? 3
                : 0;
        while (start < utf8Bytes.length) {
            int end = start;
            while (end < utf8Bytes.length && utf8Bytes[end] != '\n' && utf8Bytes[end] != '\r') end++;
            int line = lines.size() + 1;
            for (int i = start; i < end; i++) {
                if (utf8Bytes[i] == 0) {
                    throw new InputException(file + " line " + line + ": holds a NUL byte, which no text has (a "
                            + "UTF-16 file without a byte order mark? save it as UTF-8)");
                }
            }
            try {
                lines.add(utf8.decode(ByteBuffer.wrap(utf8Bytes, start, end - start)).toString());
            } catch (CharacterCodingException e) {
                throw new InputException(file + " line " + line + ": invalid UTF-8 (UTF-16 without a byte order mark, "
                        + "or another encoding? save it as UTF-8)");
            }
            boolean crlf = end + 1 < utf8Bytes.length && utf8Bytes[end] == '\r' && utf8Bytes[end + 1] == '\n';
            start = end + (crlf ? 2 : 1);
        }
        return lines;
    }

    /** bytes as UTF-8: re-encoded from UTF-16 where they start with its byte order mark, else as they are. */
    private static byte[] fromUtf16(Path file, byte[] bytes) {
        boolean le = bytes.length >= 2 && (bytes[0] & 0xff) == 0xff && (bytes[1] & 0xff) == 0xfe;
        boolean be = bytes.length >= 2 && (bytes[0] & 0xff) == 0xfe && (bytes[1] & 0xff) == 0xff;
        if (!le && !be) return bytes;
        try {
            String text = (le ? StandardCharsets.UTF_16LE : StandardCharsets.UTF_16BE)
                                  .newDecoder()
                                  .onMalformedInput(CodingErrorAction.REPORT)
                                  .onUnmappableCharacter(CodingErrorAction.REPORT)
                                  .decode(ByteBuffer.wrap(bytes, 2, bytes.length - 2))
                                  .toString();
            return text.getBytes(StandardCharsets.UTF_8);
        } catch (CharacterCodingException e) {
            throw new InputException(file + ": starts with a UTF-16 byte order mark but is not valid UTF-16"
                    + (le ? " (little-endian)" : " (big-endian)"));
        }
    }

    private static void tsvLine(Path file, int line, String text, Builder b) {
        String[] cols = text.split("\t", -1);
        if (cols.length != 2) {
            throw new InputException(
                    file + " line " + line + ": expected two columns, en<TAB>L2, found " + cols.length);
        }
        if (cols[0].isBlank() || cols[1].isBlank()) {
            throw new InputException(
                    file + " line " + line + ": the " + (cols[0].isBlank() ? "English" : "L2") + " side is empty");
        }
        b.pair(cols[0], cols[1], line);
    }

    private static void jsonLine(Path file, int line, String text, String lang, Builder b) {
        JsonObject o = jsonObject(file, line, text);
        if (o.has("text")) {
            String s = string(o, "text", file, line);
            if (s.isBlank())
                b.skipped++;
            else
                b.sentence(s, line);
        } else if (o.has("en") && (o.has("l2") || o.has(lang))) {
            String en = string(o, "en", file, line);
            String l2 = string(o, o.has("l2") ? "l2" : lang, file, line);
            if (en.isBlank() || l2.isBlank())
                b.skipped++;
            else
                b.pair(en, l2, line);
        } else {
            throw new InputException(file + " line " + line + ": expected {\"text\": ...} or {\"en\": ..., \"l2\": ...}"
                    + " (or {\"en\": ..., \"" + lang + "\": ...})");
        }
    }

    /** A JSONL line's object; errors name the file and line. */
    public static JsonObject jsonObject(Path file, int line, String text) {
        try {
            JsonElement e = Json.parse(text);
            if (!e.isJsonObject()) throw new InputException(file + " line " + line + ": expected a JSON object");
            return e.getAsJsonObject();
        } catch (JsonParseException e) {
            // Gson's own words, without the exception it wraps nor its position within this one line
            Throwable why = e.getCause() != null && e.getCause().getMessage() != null ? e.getCause() : e;
            String what = String.valueOf(why.getMessage())
                                  .replaceFirst(" at line 1 column (\\d+) path \\S*", " at column $1");
            throw new InputException(file + " line " + line + ": invalid JSON (" + what + ")");
        }
    }

    /** A string member of a JSONL line's object; errors name the file, line and key. */
    public static String string(JsonObject o, String key, Path file, int line) {
        JsonElement e = o.get(key);
        if (e == null) throw new InputException(file + " line " + line + ": no \"" + key + "\"");
        if (!e.isJsonPrimitive() || !e.getAsJsonPrimitive().isString()) {
            throw new InputException(file + " line " + line + ": \"" + key + "\" is not a string");
        }
        return e.getAsString();
    }

    private static void readPickle(Path file, byte[] bytes, String lang, Builder b) {
        Object root = Pickles.load(file, bytes);
        if (root instanceof Map<?, ?> byLanguage) {
            // the original implementation's sentences of several languages in one file, {lang: [str]}
            // (its mkqa_example_sentences.pkl): the list of the language asked for
            if (!byLanguage.containsKey(lang)) {
                throw new InputException(file + ": a dict of sentences per language without '" + lang + "' (it has: "
                        + byLanguage.keySet().stream().map(String::valueOf).sorted().collect(Collectors.joining(", "))
                        + ")");
            }
            root = byLanguage.get(lang);
            b.key = lang;
        }
        List<?> items = root instanceof List<?> l ? l : root instanceof Object[] a ? Arrays.asList(a) : null;
        if (items == null) {
            throw new InputException(file + (b.key == null ? "" : " ['" + b.key + "']")
                    + ": expected a pickled list of str "
                    + "or of (en, L2) tuples (or a dict of such lists per language), found a "
                    + Pickles.typeName(root));
        }
        for (int k = 0; k < items.size(); k++) {
            Object item = items.get(k);
            if (item instanceof String s) {
                if (s.isBlank())
                    b.skipped++;
                else
                    b.sentence(s, k);
                continue;
            }
            List<?> pair = item instanceof Object[] a ? Arrays.asList(a) : item instanceof List<?> l ? l : null;
            if (pair == null || pair.size() != 2 || !(pair.get(0) instanceof String en)
                    || !(pair.get(1) instanceof String l2)) {
                throw new InputException(
                        Dataset.place(file, "pkl", b.key, k) + ": expected a str or an (en, L2) pair of str");
            }
            if (en.isBlank() || l2.isBlank())
                b.skipped++;
            else
                b.pair(en, l2, k);
        }
    }

    /** Collects items, and refuses a file that mixes sentences and pairs. */
    private static final class Builder {
        final Path file;
        final String format;
        final String sha256;
        final List<String> sentences = new ArrayList<>();
        final List<SentencePair> pairs = new ArrayList<>();
        final List<Integer> sources = new ArrayList<>();
        int skipped;
        String key; // the language's key in a pickled dict of lists

        Builder(Path file, String format, String sha256) {
            this.file = file;
            this.format = format;
            this.sha256 = sha256;
        }

        void sentence(String s, int source) {
            if (!pairs.isEmpty()) throw mixed(source);
            sentences.add(s);
            sources.add(source);
        }

        void pair(String en, String l2, int source) {
            if (!sentences.isEmpty()) throw mixed(source);
            pairs.add(new SentencePair(en, l2));
            sources.add(source);
        }

        InputException mixed(int source) {
            return new InputException(Dataset.place(file, format, key, source)
                    + ": mixes single sentences and en/L2 pairs; a file holds one or the other");
        }

        Dataset build() {
            if (sources.isEmpty())
                throw new InputException(file + (key == null ? "" : " ['" + key + "']") + " has no sentences");
            return new Dataset(file, format, key, sha256, pairs.isEmpty() ? sentences : null,
                    pairs.isEmpty() ? null : pairs, sources.stream().mapToInt(Integer::intValue).toArray(), skipped);
        }
    }
}
