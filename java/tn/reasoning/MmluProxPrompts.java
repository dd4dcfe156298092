package tn.reasoning;

import tn.io.AtomicFile;
import tn.io.Json;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * prompts.jsonl: per question, in the run's order, its id, subject and prompt, the prompt's tokens
 * (BOS included, as the model's tokenizer adds it), and how many of its first tokens were cut to
 * fit the prompt budget (0 when it fits), so that prompt_tokens - truncated_tokens were fed.
 */
public final class MmluProxPrompts {
    private MmluProxPrompts() {}

    /** A question run, with its prompt's token count and the tokens cut from its left. */
    public record Line(MmluProxTask.Item item, int promptTokens, int truncatedTokens) {}

    public static void write(Path file, List<Line> lines) {
        StringBuilder b = new StringBuilder();
        for (Line l : lines) {
            Map<String, Object> o = new LinkedHashMap<>();
            o.put("question_id", idValue(l.item().row().questionId()));
            o.put("subject", l.item().subject().id());
            o.put("prompt", l.item().prompt());
            o.put("prompt_tokens", l.promptTokens());
            o.put("truncated_tokens", l.truncatedTokens());
            b.append(Json.compact(o)).append('\n');
        }
        AtomicFile.writeString(file, b.toString());
    }

    /** A question id as JSON: a number where the release has one (all digits), else the string. */
    static Object idValue(String id) {
        return id.matches("-?[0-9]{1,18}") ? (Object) Long.parseLong(id) : id;
    }
}
