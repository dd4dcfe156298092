package tn.data;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import tn.io.InputException;
import tn.io.InputFile;
import tn.io.InvalidValueException;
import tn.io.Sha256;
import tn.io.Tsv;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.zip.GZIPInputStream;

/**
 * The latent-space sentence set of the paper: the same MKQA questions in several languages
 * (the original implementation's mkqa_example_sentences.pkl, 1,000 queries each of ja, nl, ko,
 * it and en). The rule: MKQA's release (mkqa.jsonl, or mkqa.jsonl.gz as published) is read in
 * file order, and an example is taken when its query in every language asked for is a non-empty
 * single line (after stripping surrounding white space); the first n examples taken give each
 * language's list, so that item k of every language is the same question. Answers and their
 * types play no part: the set is of questions, not of what can be scored.
 */
public final class MkqaSentences {
    /** The query languages of MKQA's release, as its "queries" spell them. */
    public static final Set<String> LANGUAGES = new TreeSet<>(List.of("ar", "da", "de", "en", "es", "fi", "fr", "he",
            "hu", "it", "ja", "km", "ko", "ms", "nl", "no", "pl", "pt", "ru", "sv", "th", "tr", "vi", "zh_cn", "zh_hk",
            "zh_tw"));

    /** The original implementation's name for the set. */
    public static final String PICKLE = "mkqa_example_sentences";

    /** The rule, in the manifest's words. */
    static final String RULE = "MKQA's examples in file order; an example is taken when its query in every language "
            + "asked for is a non-empty single line after stripping surrounding white space; the first n taken";

    /** The paper's languages. */
    public static final List<String> PAPER_LANGUAGES = List.of("ja", "nl", "ko", "it", "en");

    /**
     * What was taken: per language (in the order asked) its n queries; the example_id and line of
     * each example taken; and the counts of examples read and passed over.
     */
    public record Selection(Map<String, List<String>> sentences, List<String> exampleIds, List<Integer> lines,
            Map<String, Object> counts) {}

    private MkqaSentences() {}

    /** A usage error for a language MKQA does not have, naming the one probably meant. */
    public static void checkLanguages(List<String> langs) {
        if (langs.isEmpty()) throw new InvalidValueException("{langs} is empty");
        for (String lang : langs) {
            if (!LANGUAGES.contains(lang)) {
                throw new InvalidValueException(
                        "{langs}: {}", LanguageCodes.notKnown(lang, LANGUAGES, "MKQA's languages"));
            }
        }
        if (Set.copyOf(langs).size() != langs.size())
            throw new InvalidValueException("{langs} names a language twice: {}", String.join(",", langs));
    }

    /** The first n examples of file whose queries in every language of langs are usable; fewer is an error. */
    public static Selection select(Path file, List<String> langs, int n) {
        checkLanguages(langs);
        if (n < 1) throw new InvalidValueException("{n} must be at least 1, got {}", n);
        String name = file.getFileName().toString();
        if (!name.endsWith(".jsonl") && !name.endsWith(".jsonl.gz")) {
            throw new InputException(file + ": expected MKQA's release, mkqa.jsonl or mkqa.jsonl.gz");
        }
        Map<String, List<String>> sentences = new LinkedHashMap<>();
        for (String lang : langs) sentences.put(lang, new ArrayList<>());
        List<String> ids = new ArrayList<>();
        List<Integer> taken = new ArrayList<>();
        Map<String, Integer> passedOver = new LinkedHashMap<>();
        for (String lang : langs) passedOver.put(lang, 0);
        int examples = 0, line = 0, skipped = 0;
        try (BufferedReader in = reader(file, name.endsWith(".gz"))) {
            for (String text; taken.size() < n && (text = in.readLine()) != null;) {
                line++;
                if (text.isBlank()) continue;
                examples++;
                JsonObject o = SentenceFiles.jsonObject(file, line, text);
                JsonElement q = o.get("queries");
                if (q == null || !q.isJsonObject())
                    throw new InputException(file + " line " + line + ": no \"queries\" object; is it MKQA's release?");
                JsonObject queries = q.getAsJsonObject();
                Map<String, String> row = new LinkedHashMap<>();
                for (String lang : langs) {
                    String query = usable(queries.get(lang));
                    if (query == null) passedOver.merge(lang, 1, Integer::sum);
                    row.put(lang, query);
                }
                if (row.containsValue(null)) {
                    skipped++;
                    continue;
                }
                row.forEach((lang, query) -> sentences.get(lang).add(query));
                JsonElement id = o.get("example_id");
                ids.add(id == null || id.isJsonNull() ? "" : id.getAsString());
                taken.add(line);
            }
        } catch (CharacterCodingException e) {
            throw new InputException(file + " line " + (line + 1) + ": invalid UTF-8", e);
        } catch (IOException e) {
            throw InputException.unreadable(file, e);
        }
        Map<String, Object> counts = new LinkedHashMap<>();
        counts.put("examples_read", examples);
        counts.put("taken", taken.size());
        counts.put("passed_over", skipped);
        counts.put("without_query", passedOver);
        if (taken.size() < n) {
            throw new InputException(file + ": " + n + " examples with a query in each of " + String.join(",", langs)
                    + " asked, and the file has " + taken.size() + " (of " + examples
                    + " examples read, " + skipped + " passed over; without a usable query: " + passedOver + ")");
        }
        Map<String, List<String>> lists = new LinkedHashMap<>();
        sentences.forEach((lang, list) -> lists.put(lang, List.copyOf(list)));
        return new Selection(lists, List.copyOf(ids), List.copyOf(taken), counts);
    }

    /**
     * Writes to out: LANG.txt per language (line k of each is example k), examples.tsv (line,
     * example_id of each example taken), with pickle mkqa_example_sentences.pkl (a dict of each
     * language's list of str, in the order asked, the original implementation's layout), and last
     * manifest.json. Returns the data files written.
     */
    public static List<DatasetWriter.Output> write(Path source, int n, Selection s, Path out, boolean pickle) {
        DatasetWriter writer = new DatasetWriter(out, pickle);
        s.sentences().forEach(writer::sentences);
        StringBuilder tsv = new StringBuilder(Tsv.row("line", "example_id"));
        for (int k = 0; k < s.lines().size(); k++) tsv.append(Tsv.row(s.lines().get(k), s.exampleIds().get(k)));
        writer.write("examples.tsv", tsv.toString().getBytes(StandardCharsets.UTF_8), s.lines().size());
        writer.pickle(PICKLE, s.sentences(), s.lines().size());

        Map<String, Object> m = new LinkedHashMap<>();
        m.put("command", "tn data mkqa-sentences");
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("from", source.toAbsolutePath().normalize().toString());
        p.put("from_sha256", Sha256.of(source));
        p.put("langs", List.copyOf(s.sentences().keySet()));
        p.put("n", n);
        p.put("pickle", pickle);
        m.put("parameters", p);
        m.put("rule", RULE);
        m.put("counts", s.counts());
        List<Map<String, Object>> outputs = new ArrayList<>();
        for (DatasetWriter.Output o : writer.outputs()) {
            Map<String, Object> e = new LinkedHashMap<>();
            e.put("file", o.file());
            e.put("items", o.items());
            e.put("bytes", o.bytes());
            e.put("sha256", o.sha256());
            outputs.add(e);
        }
        m.put("outputs", outputs);
        writer.manifest(m);
        return writer.outputs();
    }

    /** A query stripped of surrounding white space, or null when it is absent, empty or more than one line. */
    private static String usable(JsonElement e) {
        if (e == null || e.isJsonNull() || !e.isJsonPrimitive()) return null;
        String s = e.getAsString().strip();
        return s.isEmpty() || s.indexOf('\n') >= 0 || s.indexOf('\r') >= 0 ? null : s;
    }

    /** Lines decoded strictly as UTF-8: a bad byte is an error, not a replacement character. */
    private static BufferedReader reader(Path file, boolean gzipped) throws IOException {
        InputStream raw = InputFile.newInputStream(file);
        InputStream in;
        try {
            in = gzipped ? new GZIPInputStream(raw, 1 << 16) : raw;
        } catch (IOException e) {
            raw.close();
            throw e;
        }
        return new BufferedReader(new InputStreamReader(in,
                StandardCharsets.UTF_8.newDecoder()
                        .onMalformedInput(CodingErrorAction.REPORT)
                        .onUnmappableCharacter(CodingErrorAction.REPORT)),
                1 << 16);
    }
}
