package tn.analysis;

import tn.method.TransferType;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The specificity results laid out as the paper's Tables 13-20, one block per label setting: a
 * row per target language, a column group per transfer type; first the shares of specific neurons
 * (eta^2 >= 0.1 and >= 0.25, p < 0.05), then the mean eta^2 of the top 10, 100 and 1000 neurons.
 * A second ranking of the same language and type opens another row of that language rather than
 * hiding the first.
 */
public final class SpecificityTable {
    private static final Pattern COLUMN = Pattern.compile("\\s*\\S+");
    private SpecificityTable() {}

    public static String render(List<SpecificitySummary> summaries) {
        StringBuilder b = new StringBuilder();
        for (LabelSetting labels : LabelSetting.values()) {
            List<SpecificitySummary> of = summaries.stream().filter(s -> s.labels() == labels).toList();
            if (of.isEmpty()) continue;
            if (!b.isEmpty()) b.append('\n');
            b.append(labels == LabelSetting.LANGUAGE
                             ? "language labels (1: the target's sentences)"
                             : "language-family labels (1: the sentences of the target's family)")
                    .append('\n');
            b.append(block(of, "share", String.format(Locale.ROOT, "%9s  %10s", "eta2>=0.1", "eta2>=0.25"),
                    s -> String.format(Locale.ROOT, "%9.3f  %10.3f", s.shareAtLeast01(), s.shareAtLeast025())));
            b.append("(share of each ranking's top neurons with p < 0.05 and eta2 >= 0.1 or >= 0.25)\n");
            b.append(block(of, "mean eta2", String.format(Locale.ROOT, "%7s  %7s  %7s", "top10", "top100", "top1000"),
                    s -> String.format(Locale.ROOT, "%7s  %7s  %7s", mean(s, 10), mean(s, 100), mean(s, 1000))));
        }
        return b.toString();
    }

    /** A table of the summaries: rows by target, a cell per type; header the cells' column titles. */
    private static String block(List<SpecificitySummary> summaries, String title, String header,
            Function<SpecificitySummary, String> cell) {
        List<String> types = new ArrayList<>();
        for (TransferType t : TransferType.values()) types.add(t.id());
        types.add(RankedNeurons.UNKNOWN_TYPE);
        types.removeIf(t -> summaries.stream().noneMatch(s -> s.ranking().type().equals(t)));

        List<String> rowLang = new ArrayList<>();
        List<Map<String, SpecificitySummary>> rows = new ArrayList<>();
        for (SpecificitySummary s : summaries) {
            int r = 0;
            while (r < rows.size()
                    && !(rowLang.get(r).equals(s.ranking().target()) && !rows.get(r).containsKey(s.ranking().type())))
                r++;
            if (r == rows.size()) {
                rowLang.add(s.ranking().target());
                rows.add(new HashMap<>());
            }
            rows.get(r).put(s.ranking().type(), s);
        }

        int width = header.length();
        String first = "%-" + Math.max(9, title.length()) + "s";
        StringBuilder b = new StringBuilder(String.format(Locale.ROOT, first, title));
        for (String t : types) b.append(String.format(Locale.ROOT, " | %-" + width + "s", title(t)));
        b.append('\n').append(String.format(Locale.ROOT, first, "target"));
        for (int i = 0; i < types.size(); i++) b.append(" | ").append(header);
        b.append('\n');
        for (int r = 0; r < rows.size(); r++) {
            b.append(String.format(Locale.ROOT, first, rowLang.get(r)));
            for (String t : types) {
                SpecificitySummary s = rows.get(r).get(t);
                b.append(" | ").append(s == null ? dashes(header) : cell.apply(s));
            }
            b.append('\n');
        }
        return b.toString();
    }

    /** The header with every column title replaced by a right-aligned dash. */
    private static String dashes(String header) {
        StringBuilder b = new StringBuilder();
        Matcher m = COLUMN.matcher(header);
        while (m.find()) b.append(" ".repeat(m.group().length() - 1)).append('-');
        return b.toString();
    }

    private static String mean(SpecificitySummary s, int k) {
        double m = s.meanEta2Top(k);
        return Double.isNaN(m) ? "-" : String.format(Locale.ROOT, "%.3f", m);
    }

    private static String title(String type) {
        return switch (type) {
            case "type1" -> "Type-1";
            case "type2" -> "Type-2";
            default -> "type unknown";
        };
    }
}
