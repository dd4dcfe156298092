package tn.report;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;

import java.util.Map;

/**
 * A JSON value as nested key/value tables: an object is a table of its fields, an array of plain
 * values one comma-separated line, an array holding objects or arrays a table indexed from 0, and
 * null an explicit "null" (run.json keeps nulls: a missing figure is information).
 */
final class JsonTable {
    private JsonTable() {}

    static void write(HtmlWriter html, JsonElement value) {
        if (value == null || value.isJsonNull()) {
            html.element("span", "null", "class", "null");
        } else if (value.isJsonPrimitive()) {
            html.text(plain(value.getAsJsonPrimitive()));
        } else if (value.isJsonObject()) {
            writeObject(html, value.getAsJsonObject());
        } else {
            writeArray(html, value.getAsJsonArray());
        }
    }

    private static void writeObject(HtmlWriter html, JsonObject object) {
        if (object.isEmpty()) {
            html.element("span", "{}", "class", "null");
            return;
        }
        html.open("table", "class", "kv");
        for (Map.Entry<String, JsonElement> field : object.entrySet()) {
            row(html, field.getKey(), field.getValue());
        }
        html.close("table");
    }

    private static void writeArray(HtmlWriter html, JsonArray array) {
        if (array.isEmpty()) {
            html.element("span", "[]", "class", "null");
            return;
        }
        boolean flat = array.asList().stream().allMatch(e -> e.isJsonPrimitive() || e.isJsonNull());
        if (flat) {
            StringBuilder line = new StringBuilder();
            for (JsonElement e : array) {
                if (!line.isEmpty()) line.append(", ");
                line.append(e.isJsonNull() ? "null" : plain(e.getAsJsonPrimitive()));
            }
            html.text(line.toString());
            return;
        }
        html.open("table", "class", "kv");
        for (int i = 0; i < array.size(); i++) row(html, "[" + i + "]", array.get(i));
        html.close("table");
    }

    private static void row(HtmlWriter html, String key, JsonElement value) {
        html.open("tr").element("th", key).open("td");
        write(html, value);
        html.close("td").close("tr");
    }

    /** A string without JSON's quotes; a number as written in the file (no reformatting of 1e-07 or NaN). */
    private static String plain(JsonPrimitive p) {
        return p.isString() ? p.getAsString() : p.toString();
    }
}
