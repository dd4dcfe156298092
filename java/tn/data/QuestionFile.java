package tn.data;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import tn.io.InputException;
import tn.io.Sha256;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.UnaryOperator;

/**
 * Reads questions for question answering: JSONL, one {"question": ..., "answers": [...], "lang": ...}
 * per line (MKQA's questions and gold answers, one language per line). Lines of other languages
 * are left out; a line without "lang" belongs to the language asked for. An empty "answers" is
 * MKQA's unanswerable question: only an empty prediction scores.
 */
public final class QuestionFile {
    private QuestionFile() {
    }

    public record Question(String question, List<String> answers, int line) {}

    /**
     * The questions of one language, in file order, and the prompts made of them as a monolingual
     * dataset: prompts().monolingual().get(k) is questions().get(k) in the template.
     */
    public record Questions(Dataset prompts, List<Question> questions) {}

    public static Questions read(Path file, String lang, UnaryOperator<String> template) {
        if (!file.getFileName().toString().endsWith(".jsonl")) {
            throw new InputException(file + ": questions must be a .jsonl file of {\"question\": ..., \"answers\": [...], \"lang\": ...}");
        }
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            throw InputException.unreadable(file, e);
        }
        List<Question> questions = new ArrayList<>();
        List<String> prompts = new ArrayList<>();
        List<Integer> lines = new ArrayList<>();
        Map<String, Integer> otherLanguages = new TreeMap<>();
        int blank = 0;
        List<String> text = SentenceFiles.lines(file, bytes);
        for (int i = 0; i < text.size(); i++) {
            int line = i + 1;
            if (text.get(i).isBlank()) {
                blank++;
                continue;
            }
            JsonObject o = object(file, line, text.get(i));
            String itsLang = o.has("lang") ? string(o, "lang", file, line) : lang;
            if (!itsLang.equals(lang)) {
                otherLanguages.merge(itsLang, 1, Integer::sum);
                continue;
            }
            String question = string(o, "question", file, line);
            if (question.isBlank()) throw new InputException(file + " line " + line + ": \"question\" is empty");
            questions.add(new Question(question, answers(o, file, line), line));
            prompts.add(template.apply(question));
            lines.add(line);
        }
        if (questions.isEmpty()) {
            throw new InputException(file + ": no questions in language '" + lang + "'"
                    + (otherLanguages.isEmpty() ? "" : " (found " + otherLanguages + ")"));
        }
        Dataset data = new Dataset(file, "jsonl", Sha256.of(bytes), prompts, null,
                lines.stream().mapToInt(Integer::intValue).toArray(), blank);
        return new Questions(data, List.copyOf(questions));
    }

    private static JsonObject object(Path file, int line, String text) {
        try {
            JsonElement e = JsonParser.parseString(text);
            if (!e.isJsonObject()) throw new InputException(file + " line " + line + ": expected a JSON object");
            return e.getAsJsonObject();
        } catch (JsonParseException e) {
            throw new InputException(file + " line " + line + ": invalid JSON (" + e.getMessage() + ")");
        }
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

    private static String string(JsonObject o, String key, Path file, int line) {
        JsonElement e = o.get(key);
        if (e == null) throw new InputException(file + " line " + line + ": no \"" + key + "\"");
        if (!e.isJsonPrimitive() || !e.getAsJsonPrimitive().isString()) {
            throw new InputException(file + " line " + line + ": \"" + key + "\" is not a string");
        }
        return e.getAsString();
    }
}
