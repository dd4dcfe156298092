package tn.report;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * tn's quantization agreement: compare's agreement with the reference against bits per weight,
 * and its table of each quantization's agreement next to the reference's noise floor (the 5th
 * percentile of its bootstrap: below it, a quantization changed the ranking beyond sampling noise).
 */
final class QuantizationSection {
    static final String ID = "quantization", TITLE = "Quantization agreement (tn)";
    private static final String PAPER = "The paper runs full-precision models; tn compares the rankings of "
            + "quantized files with a reference, next to the reference's own sampling noise.";

    private QuantizationSection() {}

    static void write(Page page, List<Run> compares) {
        for (Run run : compares) {
            Path tsv = run.folder().dir().resolve("compare.tsv");
            DelimitedTable t = Files.isRegularFile(tsv) ? DelimitedTable.read(tsv, 1000) : null;
            List<String> beyond = new ArrayList<>(), within = new ArrayList<>();
            int noise = t == null ? -1 : t.header().indexOf("noise"),
                type = t == null ? -1 : t.header().indexOf("file_type");
            if (t != null && noise >= 0 && type >= 0) {
                for (List<String> row : t.rows()) {
                    if (noise >= row.size()) continue;
                    if (row.get(noise).equals("beyond")) beyond.add(row.get(type));
                    if (row.get(noise).equals("within")) within.add(row.get(type));
                }
            }
            String model = beyond.isEmpty() && within.isEmpty()
                    ? "the reference has no bootstrap, so no noise floor: agreement only."
                    : "within the sampling noise: " + (within.isEmpty() ? "none" : String.join(", ", within))
                            + "; beyond it: " + (beyond.isEmpty() ? "none" : String.join(", ", beyond)) + ".";
            page.html().open("h3").text("Compared in ");
            page.link(run.folder());
            page.html().close("h3").newline();
            page.sentences(PAPER, model);
            List<Page.Figure> figures = new ArrayList<>();
            for (String name : List.of("agreement_vs_bpw.png", "shift_vs_se.png")) {
                Path png = run.folder().dir().resolve(name);
                if (run.folder().images().contains(png))
                    figures.add(Page.Figure.of(png, "plot " + name + " of " + run.folder().name(),
                            name.startsWith("agreement") ? "Agreement with the reference by bits per weight"
                                                         : "Score shift against the reference's standard error"));
            }
            page.figures(figures);
            if (t != null) {
                page.html().element("h3", "Agreement and the noise floor (compare.tsv)").newline();
                t.write(page.html());
            }
        }
    }
}
