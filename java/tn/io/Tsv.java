package tn.io;

import java.util.Arrays;
import java.util.List;
import java.util.StringJoiner;

/** Rows of tn's tab-separated tables. */
public final class Tsv {
    private Tsv() {}

    /** One row: the fields as Java prints them (String.valueOf), joined by tabs, ending in a newline. */
    public static String row(Object... fields) {
        return row(Arrays.asList(fields));
    }

    /** One row of fields gathered in a list (rows whose length depends on the run). */
    public static String row(List<?> fields) {
        StringJoiner row = new StringJoiner("\t", "", "\n");
        for (Object field : fields) row.add(String.valueOf(field));
        return row.toString();
    }
}
