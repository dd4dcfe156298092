package tn.report;

import java.util.List;

/** A small table of figures the page computed: text left, numbers right, no word broken. */
final class Tables {
    private Tables() {}

    /** rows of cells; a cell that is a number is right-aligned (format it before). */
    static void write(HtmlWriter html, List<String> header, List<List<String>> rows) {
        html.open("div", "class", "scroll").open("table", "class", "data").open("thead").open("tr");
        for (String h : header) html.element("th", h);
        html.close("tr").close("thead").open("tbody").newline();
        for (List<String> row : rows) {
            html.open("tr");
            for (String cell : row)
                html.element("td", cell, "class",
                        DelimitedTable.isNumber(cell) || cell.equals(Numbers.NOT_A_NUMBER) ? "num" : null);
            html.close("tr").newline();
        }
        html.close("tbody").close("table").close("div").newline();
    }
}
