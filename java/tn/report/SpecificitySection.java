package tn.report;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The paper's specificity tables (language labels, then family labels), from specificity's summary.tsv. */
final class SpecificitySection {
    static final String ID = "specificity", TITLE = "Language specificity";
    private static final String PAPER = "Many transfer neurons are specific to their language (eta² ≥ 0.1, p < 0.05), "
            + "Type-2 more than Type-1: with language labels, for Mistral-7B the shares are Type-1 ja 0.381, nl 0.075, "
            + "ko 0.181, it 0.072 and Type-2 ja 0.604, nl 0.522, ko 0.343, it 0.442.";
    private static final List<String> SHOWN =
            List.of("target", "type", "neurons", "undefined", "share_eta2_ge_0.1_p_lt_0.05",
                    "share_eta2_ge_0.25_p_lt_0.05", "mean_eta2_top10", "mean_eta2_top100", "mean_eta2_top1000");
    private static final List<String> HEADS =
            List.of("language", "type", "neurons", "undefined", "share η² ≥ 0.1, p < 0.05", "share η² ≥ 0.25, p < 0.05",
                    "mean η² top 10", "mean η² top 100", "mean η² top 1000");

    private SpecificitySection() {}

    static void write(Page page, List<Run> runs) {
        for (Run run : runs) {
            Path summary = run.folder().dir().resolve("summary.tsv");
            if (!Files.isRegularFile(summary)) continue;
            DelimitedTable t = DelimitedTable.read(summary, 10_000);
            int labels = t.header().indexOf("labels"), share = t.header().indexOf("share_eta2_ge_0.1_p_lt_0.05");
            List<String> shares = new ArrayList<>();
            for (String setting : List.of("language", "family")) {
                List<List<String>> rows = new ArrayList<>();
                for (List<String> row : t.rows()) {
                    if (labels >= 0 && labels < row.size() && !row.get(labels).equals(setting)) continue;
                    List<String> cells = new ArrayList<>();
                    for (String column : SHOWN) {
                        int i = t.header().indexOf(column);
                        String v = i >= 0 && i < row.size() ? row.get(i) : "";
                        cells.add(column.equals("type") ? Experiment.typeName(v) : Numbers.format(v));
                    }
                    rows.add(cells);
                    if (setting.equals("language") && share >= 0 && share < row.size())
                        shares.add(cells.get(0) + " " + cells.get(1) + " " + Numbers.format(row.get(share)));
                }
                if (rows.isEmpty()) continue;
                if (setting.equals("language"))
                    page.sentences(PAPER,
                            shares.isEmpty() ? ""
                                             : "shares with eta² ≥ 0.1, p < 0.05: " + String.join(", ", shares) + ".");
                page.html()
                        .element("h3",
                                (setting.equals("language") ? "Language labels"
                                                            : "Language-family labels (ja+ko against the others)"))
                        .newline();
                Tables.write(page.html(), HEADS, rows);
            }
            List<Page.Figure> figures = new ArrayList<>();
            for (Path p : run.folder().images()) {
                if (p.getFileName().toString().startsWith("eta2_hist"))
                    figures.add(Page.Figure.of(p, "plot " + p.getFileName() + " of " + run.folder().name(),
                            p.getFileName().toString().contains("family") ? "eta² distribution, family labels"
                                                                          : "eta² distribution, language labels"));
            }
            page.figures(figures);
        }
    }
}
