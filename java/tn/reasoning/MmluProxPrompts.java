package tn.reasoning;

import tn.io.AtomicFile;
import tn.io.Json;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** prompts.jsonl: per question, in the run's order, its id, subject and prompt. */
public final class MmluProxPrompts {
    private MmluProxPrompts() {}

    public static void write(Path file, List<MmluProxTask.Item> items) {
        StringBuilder b = new StringBuilder();
        for (MmluProxTask.Item item : items) {
            Map<String, Object> o = new LinkedHashMap<>();
            o.put("question_id", idValue(item.row().questionId()));
            o.put("subject", item.subject().id());
            o.put("prompt", item.prompt());
            b.append(Json.compact(o)).append('\n');
        }
        AtomicFile.writeString(file, b.toString());
    }

    /** A question id as JSON: a number where the release has one (all digits), else the string. */
    static Object idValue(String id) {
        return id.matches("-?[0-9]{1,18}") ? (Object) Long.parseLong(id) : id;
    }
}
