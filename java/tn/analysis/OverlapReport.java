package tn.analysis;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The transfer neurons' overlap with each compared set, as a printed table, overlap.tsv and overlap.json. */
public record OverlapReport(NeuronLists.Named transfer, List<Comparison> comparisons, int nLayer, int nFf) {
    public record Comparison(NeuronLists.Named set, Overlap overlap) {}

    public OverlapReport {
        comparisons = List.copyOf(comparisons);
    }

    public static OverlapReport of(NeuronLists.Named transfer, List<NeuronLists.Named> sets, int nLayer, int nFf) {
        List<Comparison> out = new ArrayList<>();
        for (NeuronLists.Named s : sets)
            out.add(new Comparison(s, Overlap.of(transfer.neurons(), s.neurons(), nLayer, nFf)));
        return new OverlapReport(transfer, out, nLayer, nFf);
    }

    /** For the terminal: one block per compared set. */
    public String table() {
        StringBuilder b = new StringBuilder();
        b.append(String.format(Locale.ROOT,
                "transfer neurons (A): %s (%d)\nn_ff %d; expected = |A_l| |B_l| / n_ff; "
                        + "p = P(shared >= observed) if A's neurons of each layer were drawn at random\n",
                transfer.origin(), transfer.neurons().size(), nFf));
        for (Comparison c : comparisons) {
            b.append("\nB: ").append(c.set().origin()).append(" (").append(c.set().neurons().size()).append(")\n");
            b.append(String.format(
                    Locale.ROOT, "%6s %7s %7s %7s %9s %10s%n", "layer", "|A_l|", "|B_l|", "shared", "expected", "p"));
            for (Overlap.Row r : c.overlap().layers()) b.append(line(String.valueOf(r.layer()), r));
            b.append(line("all", c.overlap().total()));
        }
        return b.toString();
    }

    private static String line(String layer, Overlap.Row r) {
        return String.format(Locale.ROOT, "%6s %7d %7d %7d %9.3f %10.3g%n", layer, r.a(), r.b(), r.observed(),
                r.expected(), r.pValue());
    }

    /** overlap.tsv: {@code set layer transfer compared shared expected p_value}, layer "all" for the totals. */
    public String tsv() {
        StringBuilder b = new StringBuilder("set\tlayer\ttransfer\tcompared\tshared\texpected\tp_value\n");
        for (Comparison c : comparisons) {
            for (Overlap.Row r : c.overlap().layers()) b.append(tsvLine(c.set().label(), String.valueOf(r.layer()), r));
            b.append(tsvLine(c.set().label(), "all", c.overlap().total()));
        }
        return b.toString();
    }

    private static String tsvLine(String set, String layer, Overlap.Row r) {
        return set + "\t" + layer + "\t" + r.a() + "\t" + r.b() + "\t" + r.observed() + "\t" + r.expected() + "\t"
                + r.pValue() + "\n";
    }

    /** overlap.json's content (for tn.io.Json). */
    public Map<String, Object> json() {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("n_layer", nLayer);
        root.put("n_ff", nFf);
        root.put("transfer", describe(transfer));
        List<Map<String, Object>> list = new ArrayList<>();
        for (Comparison c : comparisons) {
            Map<String, Object> m = describe(c.set());
            m.put("layers", c.overlap().layers().stream().map(OverlapReport::row).toList());
            m.put("total", row(c.overlap().total()));
            list.add(m);
        }
        root.put("comparisons", list);
        return root;
    }

    private static Map<String, Object> describe(NeuronLists.Named s) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("label", s.label());
        m.put("origin", s.origin());
        m.put("file", s.file().toAbsolutePath().toString());
        m.put("size", s.neurons().size());
        return m;
    }

    private static Map<String, Object> row(Overlap.Row r) {
        Map<String, Object> m = new LinkedHashMap<>();
        if (r.layer() >= 0) m.put("layer", r.layer());
        m.put("transfer", r.a());
        m.put("compared", r.b());
        m.put("shared", r.observed());
        m.put("expected", r.expected());
        m.put("p_value", r.pValue());
        return m;
    }
}
