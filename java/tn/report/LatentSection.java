package tn.report;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;

/** The language latent spaces: the middle layer's centroid heat map and PCA, and the effective dimensionality. */
final class LatentSection {
    static final String ID = "latent", TITLE = "Language latent spaces";
    private static final String PAPER = "The centroids of the languages' hidden states draw together in the middle "
            + "layers, a shared latent space where the languages overlap in PCA, and separate again in the final "
            + "layers.";

    private LatentSection() {}

    static void write(Page page, List<Run> runs) {
        for (Run run : runs) {
            page.sentences(PAPER, closest(run.folder().dir().resolve("centroid_similarity.csv")));
            List<Path> images = run.folder().images();
            List<Page.Figure> figures = new ArrayList<>();
            middle(images, "heatmap-layer")
                    .ifPresent(p
                            -> figures.add(Page.Figure.of(p, "plot " + p.getFileName() + " of " + run.folder().name(),
                                    "Centroid similarity, " + layer(p))));
            middle(images, "pca-layer")
                    .ifPresent(p
                            -> figures.add(Page.Figure.of(p, "plot " + p.getFileName() + " of " + run.folder().name(),
                                    "PCA of hidden states, " + layer(p))));
            images.stream()
                    .filter(p -> p.getFileName().toString().equals("svd-95.png"))
                    .findFirst()
                    .ifPresent(p
                            -> figures.add(Page.Figure.of(p, "plot svd-95.png of " + run.folder().name(),
                                    "Components explaining 95% of the variance, per layer")));
            page.figures(figures);
            page.html().open("p", "class", "note").text("Every layer's heat map and PCA: ");
            page.link(run.folder());
            page.html().close("p").newline();
        }
    }

    private static String layer(Path p) {
        String n = p.getFileName().toString().replaceAll("\\D", "");
        return "layer " + (n.isEmpty() ? "?" : Integer.parseInt(n));
    }

    private static java.util.Optional<Path> middle(List<Path> images, String prefix) {
        List<Path> of = images.stream().filter(p -> p.getFileName().toString().startsWith(prefix)).toList();
        return of.isEmpty() ? java.util.Optional.empty() : java.util.Optional.of(of.get(of.size() / 2));
    }

    /** "the centroids are closest at layer 12 (mean cosine between languages 0.912; layer 0: 0.543, last: 0.701)". */
    private static String closest(Path csv) {
        if (!java.nio.file.Files.isRegularFile(csv)) return "";
        DelimitedTable t = DelimitedTable.read(csv, 1_000_000);
        int l = t.header().indexOf("layer"), a = t.header().indexOf("lang_a"), b = t.header().indexOf("lang_b"),
            c = t.header().indexOf("cosine");
        if (l < 0 || a < 0 || b < 0 || c < 0) return "";
        TreeMap<Integer, double[]> byLayer = new TreeMap<>(); // layer -> {sum, count}
        for (List<String> row : t.rows()) {
            try {
                if (row.get(a).equals(row.get(b))) continue;
                double v = Double.parseDouble(row.get(c));
                if (Double.isNaN(v)) continue;
                double[] s = byLayer.computeIfAbsent(Integer.parseInt(row.get(l)), k -> new double[2]);
                s[0] += v;
                s[1]++;
            } catch (RuntimeException e) {
                // a malformed row is left out
            }
        }
        if (byLayer.isEmpty()) return "";
        int best = byLayer.firstKey();
        for (int layer : byLayer.keySet())
            if (mean(byLayer.get(layer)) > mean(byLayer.get(best))) best = layer;
        return "the language centroids are closest at layer " + best + " (mean cosine between languages "
                + Numbers.format(mean(byLayer.get(best))) + "; layer " + byLayer.firstKey() + ": "
                + Numbers.format(mean(byLayer.firstEntry().getValue())) + ", layer " + byLayer.lastKey() + ": "
                + Numbers.format(mean(byLayer.lastEntry().getValue())) + ").";
    }

    private static double mean(double[] s) {
        return s[0] / s[1];
    }
}
