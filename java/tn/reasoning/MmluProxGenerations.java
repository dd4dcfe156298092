package tn.reasoning;

import tn.io.InvalidValueException;

import com.google.gson.JsonObject;
import tn.data.SentenceFiles;
import tn.io.AtomicFile;
import tn.io.InputException;
import tn.io.InputFile;
import tn.io.Json;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * generations.jsonl: per question, in the run's order, its id and subject, the generated text
 * (cut at the first stop string), why generation stopped, the answer extracted, the gold letter
 * and whether they match. {@link #rescore} recomputes the last two from the text alone.
 */
public final class MmluProxGenerations {
    /** One line. */
    public record Line(String questionId, Subject subject, String generation, String stopReason, String extracted,
            String gold, boolean correct) {}

    private MmluProxGenerations() {}

    /** A scored line: the generation's answer under lang's pattern, right or not. */
    public static Line scored(MmluProxLanguage lang, String questionId, Subject subject, String generation,
            String stopReason, String gold) {
        String extracted = MmluProxScoring.extract(lang.answerPattern(), generation);
        return new Line(
                questionId, subject, generation, stopReason, extracted, gold, MmluProxScoring.correct(extracted, gold));
    }

    public static void write(Path file, List<Line> lines) {
        StringBuilder b = new StringBuilder();
        for (Line l : lines) {
            Map<String, Object> o = new LinkedHashMap<>();
            o.put("question_id", MmluProxPrompts.idValue(l.questionId()));
            o.put("subject", l.subject().id());
            o.put("generation", l.generation());
            o.put("stop_reason", l.stopReason());
            o.put("extracted", l.extracted());
            o.put("gold", l.gold());
            o.put("correct", l.correct());
            b.append(Json.compact(o)).append('\n');
        }
        AtomicFile.writeString(file, b.toString());
    }

    /**
     * The lines of a generations.jsonl with extraction and exact match recomputed under lang from
     * each line's generation and gold (any extracted or correct in the file is ignored).
     */
    public static List<Line> rescore(Path file, MmluProxLanguage lang) {
        byte[] bytes = InputFile.readAllBytes(file);
        List<String> text = SentenceFiles.lines(file, bytes);
        List<Line> lines = new ArrayList<>();
        for (int i = 0; i < text.size(); i++) {
            if (text.get(i).isBlank()) continue;
            int n = i + 1;
            JsonObject o = SentenceFiles.jsonObject(file, n, text.get(i));
            if (!o.has("question_id") || o.get("question_id").isJsonNull() || !o.get("question_id").isJsonPrimitive()) {
                throw new InputException(file + " line " + n + ": no \"question_id\"");
            }
            Subject subject;
            try {
                subject = Subject.parse(SentenceFiles.string(o, "subject", file, n));
            } catch (InvalidValueException e) {
                throw new InputException(file + " line " + n + ": " + e.getMessage());
            }
            String stop = o.has("stop_reason") && !o.get("stop_reason").isJsonNull()
                    ? SentenceFiles.string(o, "stop_reason", file, n)
                    : null;
            lines.add(scored(lang, o.get("question_id").getAsString(), subject,
                    SentenceFiles.string(o, "generation", file, n), stop, SentenceFiles.string(o, "gold", file, n)));
        }
        if (lines.isEmpty()) throw new InputException(file + ": no generations");
        return lines;
    }

    /** The accuracy of scored lines. */
    public static MmluProxAccuracy accuracy(List<Line> lines) {
        MmluProxAccuracy a = new MmluProxAccuracy();
        for (Line l : lines) a.add(l.subject(), l.correct());
        return a;
    }
}
