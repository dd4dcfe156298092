package tn.report;

import java.util.regex.Pattern;
import tn.io.InputException;
import tn.io.BoundedInput;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The head of a .tsv or .csv file: its first line as the header, its first rows, and how many
 * rows it has in all. Blank lines are not rows. The file is streamed, so a table of millions of
 * rows costs only the rows shown; bytes that are not UTF-8 show as U+FFFD rather than failing. A
 * table that cannot be read (a line past {@link BoundedInput#MAX_LINE}, a file that went away) is
 * shown as a note saying why, and the rest of the page as usual.
 *
 * @param problem why the table is not shown, or null
 */
public record DelimitedTable(List<String> header, List<List<String>> rows, long totalRows, String problem) {
    private static final Pattern NUMBER =
            Pattern.compile("[-+]?(\\d+\\.?\\d*|\\.\\d+)([eE][-+]?\\d+)?|[-+]?(NaN|Infinity|inf|nan)");

    /** Reads the header and up to maxRows rows; CSV fields may be quoted as RFC 4180 says (within a line). */
    public static DelimitedTable read(Path file, int maxRows) {
        boolean csv = file.getFileName().toString().toLowerCase(java.util.Locale.ROOT).endsWith(".csv");
        var decoder = StandardCharsets.UTF_8.newDecoder()
                              .onMalformedInput(CodingErrorAction.REPLACE)
                              .onUnmappableCharacter(CodingErrorAction.REPLACE);
        try (BufferedReader in =
                        new BufferedReader(new InputStreamReader(BoundedInput.open(file, Long.MAX_VALUE), decoder))) {
            List<String> header = null;
            List<List<String>> rows = new ArrayList<>();
            long total = 0;
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                if (line.isBlank()) continue;
                if (header == null) {
                    header = split(line, csv);
                } else {
                    if (rows.size() < maxRows) rows.add(split(line, csv));
                    total++;
                }
            }
            return new DelimitedTable(header == null ? List.of() : header, rows, total, null);
        } catch (IOException e) {
            return unreadable(InputException.unreadable(file, e));
        } catch (InputException e) {
            return unreadable(e);
        }
    }

    private static DelimitedTable unreadable(InputException e) {
        return new DelimitedTable(List.of(), List.of(), 0, e.getMessage());
    }

    /** Longer paths in cells show as their last folders, the whole path on hover. */
    private static final int MAX_PATH_CHARS = 40;

    /**
     * The rows shown as an HTML table after a line saying how many there are: numbers right-aligned
     * at three significant digits (ranks as integers), long paths shortened.
     */
    void write(HtmlWriter html) {
        if (problem != null) {
            html.element("p", "not shown: " + problem, "class", "note").newline();
            return;
        }
        html.element("p", "showing " + rows.size() + " of " + totalRows + " rows", "class", "count").newline();
        html.open("div", "class", "scroll").open("table", "class", "data").open("thead").open("tr");
        for (String h : header) html.element("th", h);
        html.close("tr").close("thead").open("tbody").newline();
        for (List<String> row : rows) {
            html.open("tr");
            for (int i = 0; i < row.size(); i++) {
                String cell = row.get(i);
                if (isNumber(cell)) {
                    boolean rank =
                            i < header.size() && header.get(i).toLowerCase(java.util.Locale.ROOT).contains("rank");
                    String shown = rank ? Numbers.integer(cell) : Numbers.format(cell);
                    html.element("td", shown, "class", "num", "title", shown.equals(cell) ? null : cell);
                } else if (cell.length() > MAX_PATH_CHARS && cell.indexOf('/') >= 0 && cell.indexOf(' ') < 0) {
                    html.element("td", "…" + cell.substring(cell.length() - MAX_PATH_CHARS), "title", cell);
                } else {
                    html.element("td", cell);
                }
            }
            html.close("tr").newline();
        }
        html.close("tbody").close("table").close("div").newline();
    }

    static boolean isNumber(String cell) {
        return NUMBER.matcher(cell).matches();
    }

    static List<String> split(String line, boolean csv) {
        return csv ? csvFields(line) : List.of(line.split("\t", -1));
    }

    /** Comma-separated fields; a field in double quotes may hold commas, and "" inside it is one quote. */
    static List<String> csvFields(String line) {
        List<String> fields = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (quoted) {
                if (c == '"' && i + 1 < line.length() && line.charAt(i + 1) == '"') {
                    field.append('"');
                    i++;
                } else if (c == '"') {
                    quoted = false;
                } else {
                    field.append(c);
                }
            } else if (c == '"' && field.isEmpty()) {
                quoted = true;
            } else if (c == ',') {
                fields.add(field.toString());
                field.setLength(0);
            } else {
                field.append(c);
            }
        }
        fields.add(field.toString());
        return fields;
    }
}
