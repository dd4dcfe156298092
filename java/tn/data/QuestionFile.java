package tn.data;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import tn.io.BoundedInput;
import tn.io.InputException;
import tn.io.InputFile;
import tn.io.Sha256;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.UnaryOperator;

/**
 * Reads questions for question answering: JSONL, one {"question": ..., "answers": [...], "lang": ...}
 * per line (MKQA's questions and gold answers, one language per line). Lines of other languages
 * are left out; a line without "lang" belongs to the language asked for. An empty "answers" is
 * MKQA's unanswerable question: only an empty prediction scores.
 * <p>
 * MKQA's own release (mkqa.jsonl or mkqa.jsonl.gz) is read as it is, in file order (the order of
 * the Hugging Face dataset the original implementation loads): each line holds every language,
 * {"example_id", "queries": {lang: question}, "answers": {lang: [{"type", "text", "aliases"}]}}.
 * As the original's qa.py does, the gold answers are lang's answers' texts and aliases, the empty
 * ones left out and each kept once, in order (none left: an unanswerable question); a question
 * whose first English answer is of type long_answer or unanswerable is left out, unless kept on
 * request (the type may be MKQA's name or the Hugging Face dataset's class number, 1 and 2).
 */
public final class QuestionFile {
    private QuestionFile() {}

    /**
     * @param id    MKQA's example_id, or for tn's JSONL the line's "id" if it has one, else the line number
     * @param index the question's place among the file's questions (0 for the first): in MKQA's release
     *              every line counts, long_answer and unanswerable ones too (the original's q_idx, which its F1
     *              pickles pair with the scores); in tn's JSONL the lines of the language
     * @param line  the file's line number (1 for the first)
     */
    public record Question(Object id, int index, String question, List<String> answers, int line) {}

    /**
     * The questions of one language, in file order, and the prompts made of them as a monolingual
     * dataset: prompts().monolingual().get(k) is questions().get(k) in the template.
     *
     * @param leftOut how many MKQA questions were left out as long_answer or unanswerable
     */
    public record Questions(Dataset prompts, List<Question> questions, int leftOut) {}

    /** MKQA's answer types the original leaves out: by name in mkqa.jsonl, by class number in the Hugging Face dataset. */
    private static final Set<String> LEFT_OUT_TYPES = Set.of("long_answer", "unanswerable", "1", "2");

    /** skipUnanswerable: leave out MKQA's long_answer and unanswerable questions, as the original does. */
    public static Questions read(Path file, String lang, UnaryOperator<String> template, boolean skipUnanswerable) {
        String name = file.getFileName().toString();
        if (!name.endsWith(".jsonl") && !name.endsWith(".jsonl.gz")) {
            throw new InputException(file + ": questions must be a .jsonl (or .jsonl.gz) file of {\"question\": ..., "
                    + "\"answers\": [...], \"lang\": ...}, or MKQA's mkqa.jsonl");
        }
        byte[] bytes = InputFile.readAllBytes(file);
        byte[] text = name.endsWith(".gz") ? BoundedInput.gunzip(file, bytes) : bytes;
        List<Question> questions = new ArrayList<>();
        List<String> prompts = new ArrayList<>();
        List<Integer> lineNumbers = new ArrayList<>();
        Map<String, Integer> otherLanguages = new TreeMap<>();
        int blank = 0, leftOut = 0, index = 0;
        List<String> lines = SentenceFiles.lines(file, text);
        for (int i = 0; i < lines.size(); i++) {
            int line = i + 1;
            if (lines.get(i).isBlank()) {
                blank++;
                continue;
            }
            JsonObject o = SentenceFiles.jsonObject(file, line, lines.get(i));
            if (o.has("queries")) {
                int at = index++;
                if (skipUnanswerable && LEFT_OUT_TYPES.contains(englishType(o, file, line))) {
                    leftOut++;
                    continue;
                }
                Question q = mkqa(o, lang, file, line, at);
                questions.add(q);
                prompts.add(template.apply(q.question()));
                lineNumbers.add(line);
                continue;
            }
            String itsLang = o.has("lang") ? SentenceFiles.string(o, "lang", file, line) : lang;
            if (!itsLang.equals(lang)) {
                otherLanguages.merge(itsLang, 1, Integer::sum);
                continue;
            }
            String question = SentenceFiles.string(o, "question", file, line);
            if (question.isBlank()) throw new InputException(file + " line " + line + ": \"question\" is empty");
            questions.add(new Question(id(o, "id", line), index++, question, answers(o, file, line), line));
            prompts.add(template.apply(question));
            lineNumbers.add(line);
        }
        if (questions.isEmpty()) {
            throw new InputException(file + ": no questions in language '" + lang + "'"
                    + (otherLanguages.isEmpty() ? "" : " (found " + otherLanguages + ")")
                    + (leftOut == 0 ? "" : " but the " + leftOut + " long_answer and unanswerable ones left out"));
        }
        Dataset data = new Dataset(file, "jsonl", Sha256.of(bytes), prompts, null,
                lineNumbers.stream().mapToInt(Integer::intValue).toArray(), blank);
        return new Questions(data, List.copyOf(questions), leftOut);
    }

    /** The type of an MKQA line's first English answer, as text ("" when it has none). */
    private static String englishType(JsonObject o, Path file, int line) {
        JsonElement en = member(o, "answers", file, line).get("en");
        if (en == null || !en.isJsonArray() || en.getAsJsonArray().isEmpty()) return "";
        JsonElement first = en.getAsJsonArray().get(0);
        if (!first.isJsonObject())
            throw new InputException(file + " line " + line + ": an MKQA answer is not an object");
        JsonElement type = first.getAsJsonObject().get("type");
        return type == null || !type.isJsonPrimitive() ? "" : type.getAsString();
    }

    /** A line's own id: key's number or text, else the line number. */
    private static Object id(JsonObject o, String key, int line) {
        JsonElement e = o.get(key);
        if (e == null || !e.isJsonPrimitive()) return line;
        return e.getAsJsonPrimitive().isNumber() ? (Object) e.getAsLong() : e.getAsString();
    }

    /** A line of MKQA's release: the question and gold answers in lang. */
    private static Question mkqa(JsonObject o, String lang, Path file, int line, int index) {
        JsonObject queries = member(o, "queries", file, line);
        if (!queries.has(lang)) {
            throw new InputException(file + " line " + line + ": MKQA's \"queries\" has no '" + lang + "' (it has "
                    + queries.keySet() + ")");
        }
        String question = SentenceFiles.string(queries, lang, file, line);
        JsonElement given = member(o, "answers", file, line).get(lang);
        if (given == null || !given.isJsonArray()) {
            throw new InputException(file + " line " + line + ": MKQA's \"answers\" has no list for '" + lang + "'");
        }
        Set<String> answers = new LinkedHashSet<>(); // each once, in order, as the original's
        for (JsonElement e : given.getAsJsonArray()) {
            if (!e.isJsonObject())
                throw new InputException(file + " line " + line + ": an MKQA answer is not an object");
            JsonObject a = e.getAsJsonObject();
            JsonElement text = a.get("text");
            if (text != null && text.isJsonPrimitive()) answers.add(text.getAsString());
            if (a.has("aliases") && a.get("aliases").isJsonArray()) {
                for (JsonElement alias : a.getAsJsonArray("aliases"))
                    if (alias.isJsonPrimitive()) answers.add(alias.getAsString());
            }
        }
        answers.remove(""); // an unanswerable answer has no text: a question with no other is unanswerable
        return new Question(id(o, "example_id", line), index, question, List.copyOf(answers), line);
    }

    private static JsonObject member(JsonObject o, String key, Path file, int line) {
        JsonElement e = o.get(key);
        if (e == null || !e.isJsonObject())
            throw new InputException(file + " line " + line + ": \"" + key + "\" is not an object");
        return e.getAsJsonObject();
    }

    private static List<String> answers(JsonObject o, Path file, int line) {
        JsonElement e = o.get("answers");
        if (e == null || !e.isJsonArray()) {
            throw new InputException(file + " line " + line + ": \"answers\" must be a list of strings");
        }
        List<String> answers = new ArrayList<>();
        JsonArray a = e.getAsJsonArray();
        for (int j = 0; j < a.size(); j++) {
            JsonElement x = a.get(j);
            if (!x.isJsonPrimitive() || !x.getAsJsonPrimitive().isString()) {
                throw new InputException(file + " line " + line + ": answer " + j + " is not a string");
            }
            answers.add(x.getAsString());
        }
        return List.copyOf(answers);
    }
}
