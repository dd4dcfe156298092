package tn.report;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import tn.io.InputFile;
import tn.io.Json;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** Question answering: mean F1 and exact match per language and condition (qa.json), and qa-compare's scatter plots. */
final class QaSection {
    static final String ID = "qa", TITLE = "Question answering (MKQA)";
    private static final String PAPER =
            "Switching off the Type-1 transfer neurons lowers the F1 of questions the model "
            + "answered well, far more than switching off as many random neurons: in the scatter plots the points "
            + "of transfer neurons off fall below the diagonal.";

    private QaSection() {}

    static void write(Page page, List<Run> qa, List<Run> compares) {
        List<List<String>> rows = new ArrayList<>();
        List<String> found = new ArrayList<>();
        for (Run r : qa.stream()
                        .sorted(Comparator.comparing(Run::lang, Run.LANGUAGE_ORDER)
                                        .thenComparing(r -> r.experiment().condition())
                                        .thenComparing(Run::type))
                        .toList()) {
            Path file = r.folder().dir().resolve("qa.json");
            if (!Files.isRegularFile(file)) continue;
            JsonObject o;
            try {
                o = Json.parse(InputFile.readString(file)).getAsJsonObject();
            } catch (RuntimeException e) {
                continue; // shown as it is in the folder's section
            }
            String condition = PairSection.name(r.type(), r.experiment().condition());
            String f1 = withInterval(o, "mean_f1");
            rows.add(List.of(r.lang(), condition, text(o, "questions"), f1, withInterval(o, "exact_match")));
            found.add(r.lang() + " " + condition + " " + f1);
        }
        page.sentences(PAPER, found.isEmpty() ? "" : "mean F1, " + String.join("; ", found) + ".");
        if (!rows.isEmpty())
            Tables.write(page.html(), List.of("language", "condition", "questions", "mean F1", "exact match"), rows);
        List<Page.Figure> figures = new ArrayList<>();
        for (Run c : compares) {
            for (Path p : c.folder().images()) {
                figures.add(Page.Figure.of(p, "plot " + p.getFileName() + " of " + c.folder().name(),
                        page.shortName(c.folder()) + ": " + p.getFileName()));
            }
        }
        page.figures(figures);
    }

    private static String text(JsonObject o, String field) {
        JsonElement e = o.get(field);
        return e == null || e.isJsonNull() ? "" : Numbers.format(e.getAsString());
    }

    /** "0.412 [0.398, 0.431]" where the run has a 95% interval across random draws. */
    static String withInterval(JsonObject o, String field) {
        String v = text(o, field), low = text(o, field + "_ci_low"), high = text(o, field + "_ci_high");
        return low.isEmpty() || high.isEmpty() ? v : v + " [" + low + ", " + high + "]";
    }
}
