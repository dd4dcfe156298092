package tn.qa;

import tn.data.QuestionFile;
import tn.io.AtomicFile;
import tn.io.Json;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * qa's prompts.jsonl: per question answered, in the run's order, its id (MKQA's example_id), its
 * index among the file's questions (the original's q_idx), its line, the prompt as given to the
 * tokenizer, and how many tokens that made (BOS included, as the model's tokenizer adds it).
 */
public final class QaPrompts {
    private QaPrompts() {}

    /** A question answered, with its prompt and the prompt's token count. */
    public record Line(QuestionFile.Question question, String prompt, int promptTokens) {}

    public static void write(Path file, List<Line> lines) {
        StringBuilder b = new StringBuilder();
        for (Line l : lines) {
            Map<String, Object> o = new LinkedHashMap<>();
            o.put("question_id", l.question().id());
            o.put("index", l.question().index());
            o.put("line", l.question().line());
            o.put("prompt", l.prompt());
            o.put("prompt_tokens", l.promptTokens());
            b.append(Json.compact(o)).append('\n');
        }
        AtomicFile.writeString(file, b.toString());
    }
}
