package tn.report;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * What every part of the page shares: the document being written, each folder's anchor, and
 * folder names shortened for reading (the full path shows on hover).
 */
record Page(HtmlWriter html, Map<RunFolder, String> anchors, Path commonRoot) {
    /** The folder's path below the folders' common parent ("ja/type1/detect"), or its name. */
    String shortName(RunFolder folder) {
        Path dir = folder.dir().toAbsolutePath().normalize();
        if (commonRoot != null && dir.startsWith(commonRoot) && !dir.equals(commonRoot)) {
            return commonRoot.relativize(dir).toString();
        }
        return folder.name();
    }

    /** A link to the folder's section, named short, its full path as the tooltip. */
    void link(RunFolder folder) {
        html.element("a", shortName(folder), "href", "#" + anchors.get(folder), "title",
                folder.dir().toAbsolutePath().normalize().toString());
    }

    /** The paper's finding and this model's, the two sentences above each figure or table. */
    void sentences(String paper, String model) {
        html.open("p", "class", "paper").element("b", "Paper: ").text(paper).close("p").newline();
        if (model != null && !model.isEmpty())
            html.open("p", "class", "model").element("b", "This model: ").text(model).close("p").newline();
    }

    /** Figures side by side, each (PNG bytes or file, alt text, caption). */
    void figures(List<Figure> figures) {
        if (figures.isEmpty()) return;
        html.open("div", "class", "figures").newline();
        for (Figure f : figures) {
            html.open("figure")
                    .open("img", "src", f.dataUri(), "alt", f.alt())
                    .element("figcaption", f.caption())
                    .close("figure")
                    .newline();
        }
        html.close("div").newline();
    }

    /** One figure: its image as a data: URI, what it is for screen readers, its caption. */
    record Figure(String dataUri, String alt, String caption) {
        static Figure of(Path png, String alt, String caption) {
            return new Figure(PngFile.dataUri(png), alt, caption);
        }

        static Figure of(byte[] png, String alt, String caption) {
            return new Figure(
                    "data:image/png;base64," + java.util.Base64.getEncoder().encodeToString(png), alt, caption);
        }
    }

    /** The common parent folder of the given folders, or null when they share none but the root. */
    static Path commonRoot(List<Path> dirs) {
        Path common = null;
        for (Path d : dirs) {
            Path p = d.toAbsolutePath().normalize();
            if (common == null) {
                common = p.getParent() == null ? p : p.getParent();
            } else {
                while (common != null && !p.startsWith(common)) common = common.getParent();
            }
        }
        return common == null || common.getNameCount() == 0 ? null : common;
    }
}
