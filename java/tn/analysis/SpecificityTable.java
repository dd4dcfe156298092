package tn.analysis;

import tn.method.TransferType;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The shares of language-specific neurons laid out as the paper's Tables 13-16: a row per target
 * language, a column pair (eta^2 > 0.1, eta^2 > 0.25; p < 0.05) per transfer type. A second
 * ranking of the same language and type opens another row of that language rather than hiding
 * the first.
 */
public final class SpecificityTable {
    private SpecificityTable() {
    }

    public static String render(List<SpecificitySummary> summaries) {
        List<String> types = new ArrayList<>();
        for (TransferType t : TransferType.values()) types.add(t.id());
        types.add(RankedNeurons.UNKNOWN_TYPE);
        types.removeIf(t -> summaries.stream().noneMatch(s -> s.ranking().type().equals(t)));

        List<String> rowLang = new ArrayList<>();
        List<Map<String, SpecificitySummary>> rows = new ArrayList<>();
        for (SpecificitySummary s : summaries) {
            int r = 0;
            while (r < rows.size() && !(rowLang.get(r).equals(s.ranking().target())
                    && !rows.get(r).containsKey(s.ranking().type()))) r++;
            if (r == rows.size()) {
                rowLang.add(s.ranking().target());
                rows.add(new HashMap<>());
            }
            rows.get(r).put(s.ranking().type(), s);
        }

        StringBuilder b = new StringBuilder();
        b.append(String.format(Locale.ROOT, "%-8s", "share"));
        for (String t : types) b.append(String.format(Locale.ROOT, " | %-21s", title(t)));
        b.append('\n').append(String.format(Locale.ROOT, "%-8s", "target"));
        for (int i = 0; i < types.size(); i++) b.append(" | eta2>0.1  eta2>0.25");
        b.append('\n');
        for (int r = 0; r < rows.size(); r++) {
            b.append(String.format(Locale.ROOT, "%-8s", rowLang.get(r)));
            for (String t : types) {
                SpecificitySummary s = rows.get(r).get(t);
                b.append(s == null ? String.format(Locale.ROOT, " | %8s  %9s", "-", "-")
                        : String.format(Locale.ROOT, " | %8.3f  %9.3f", s.shareAbove01(), s.shareAbove025()));
            }
            b.append('\n');
        }
        b.append("(share of each ranking's top neurons with p < 0.05 and eta2 above 0.1 or 0.25)\n");
        return b.toString();
    }

    private static String title(String type) {
        return switch (type) {
            case "type1" -> "Type-1";
            case "type2" -> "Type-2";
            default -> "type unknown";
        };
    }
}
