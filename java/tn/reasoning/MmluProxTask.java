package tn.reasoning;

import tn.io.InvalidValueException;

import tn.data.MmluProxFile;
import tn.io.InputException;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The questions of one language's MMLU-ProX task with their prompts: per subject, in the task
 * group's order, the test rows of that category in file order (at most limit of them, as
 * lm-evaluation-harness's --limit, per subject), each prompted with the first
 * {@link MmluProxPrompt#SHOTS} validation rows of the same category.
 */
public final class MmluProxTask {
    /** A test question, its subject and its prompt. */
    public record Item(Subject subject, MmluProxFile.Row row, String prompt) {}

    /** The items, and how many test rows are of no subject of the task (their category is another). */
    public record Items(List<Item> items, int otherCategories) {}

    private MmluProxTask() {}

    /**
     * @param subjects the subjects to keep (all if empty)
     * @param limit    the first limit questions of each subject (0: all)
     */
    public static Items items(MmluProxLanguage lang, MmluProxFile.Rows test, MmluProxFile.Rows validation,
            Set<Subject> subjects, int limit) {
        if (limit < 0) throw new InvalidValueException("{limit} must be >= 0 (0: every question), is {}", limit);
        Set<Subject> wanted = subjects.isEmpty() ? EnumSet.allOf(Subject.class) : EnumSet.copyOf(subjects);
        Map<Subject, List<MmluProxFile.Row>> bySubject = new EnumMap<>(Subject.class);
        int other = 0;
        for (MmluProxFile.Row r : test.rows()) {
            Subject s = Subject.ofCategory(r.category());
            if (s == null)
                other++;
            else if (wanted.contains(s))
                bySubject.computeIfAbsent(s, k -> new ArrayList<>()).add(r);
        }
        if (bySubject.isEmpty()) {
            throw new InputException(test.file() + ": no questions of "
                    + (subjects.isEmpty() ? "MMLU-ProX's subjects"
                                          : "subjects " + wanted.stream().map(Subject::id).toList()));
        }
        List<Item> items = new ArrayList<>();
        for (Map.Entry<Subject, List<MmluProxFile.Row>> e : bySubject.entrySet()) {
            Subject s = e.getKey();
            List<MmluProxFile.Row> shots = shots(validation, s);
            List<MmluProxFile.Row> rows = e.getValue();
            for (MmluProxFile.Row r : limit == 0 ? rows : rows.subList(0, Math.min(limit, rows.size()))) {
                items.add(new Item(s, r, MmluProxPrompt.of(lang, s, shots, r)));
            }
        }
        return new Items(List.copyOf(items), other);
    }

    private static List<MmluProxFile.Row> shots(MmluProxFile.Rows validation, Subject s) {
        List<MmluProxFile.Row> shots = new ArrayList<>();
        for (MmluProxFile.Row r : validation.rows()) {
            if (shots.size() < MmluProxPrompt.SHOTS && r.category().equals(s.category())) shots.add(r);
        }
        if (shots.size() < MmluProxPrompt.SHOTS) {
            throw new InputException(validation.file() + " has " + shots.size() + " questions of " + s.id()
                    + " (category '" + s.category() + "'); its prompts need " + MmluProxPrompt.SHOTS
                    + " worked examples");
        }
        for (MmluProxFile.Row r : shots) {
            if (r.cotContent() == null)
                throw new InputException(r.where() + ": a worked example needs \"cot_content\"");
        }
        return shots;
    }
}
