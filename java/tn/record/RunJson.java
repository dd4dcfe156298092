package tn.record;

import tn.io.Json;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import tn.io.InputException;
import tn.io.InputFile;

import java.nio.file.Path;
import java.util.Optional;
import java.util.function.Function;

/** A run.json read back: fields by dotted path ("model.sha256"), errors naming the file and the field. */
public final class RunJson {
    private final Path file;
    private final JsonObject root;

    private RunJson(Path file, JsonObject root) {
        this.file = file;
        this.root = root;
    }

    /** DIR/run.json of the run in dir. */
    public static RunJson of(Path dir) {
        return read(dir.resolve("run.json"));
    }

    /** Any JSON object a run wrote (stability.json, qa.json), read the same way. */
    public static RunJson read(Path file) {
        String text = InputFile.readString(file);
        try {
            JsonElement e = Json.parse(text);
            if (!e.isJsonObject()) throw new InputException("corrupt " + file + ": not a JSON object");
            return new RunJson(file, e.getAsJsonObject());
        } catch (JsonParseException e) {
            throw new InputException("corrupt " + file + ": " + Json.problem(e), e);
        }
    }

    public Path file() {
        return file;
    }

    /** The whole record (a copy), for readers that show every field rather than look some up. */
    public JsonObject tree() {
        return root.deepCopy();
    }

    public String text(String path) {
        return convert(path, JsonElement::getAsString);
    }

    public int integer(String path) {
        return convert(path, JsonElement::getAsInt);
    }

    public long longInteger(String path) {
        return convert(path, JsonElement::getAsLong);
    }

    public double number(String path) {
        return convert(path, JsonElement::getAsDouble);
    }

    /** An array of strings. */
    public java.util.List<String> texts(String path) {
        JsonElement e = find(path);
        if (!e.isJsonArray()) throw new InputException(file + ": field " + path + " is not a list");
        java.util.List<String> out = new java.util.ArrayList<>();
        for (JsonElement x : e.getAsJsonArray()) {
            if (!x.isJsonPrimitive())
                throw new InputException(file + ": field " + path + " holds something other than text");
            out.add(x.getAsString());
        }
        return out;
    }

    /** A field that may be absent: empty when it is missing, null, or not a single value. */
    public Optional<String> optionalText(String path) {
        JsonElement e = root;
        for (String name : path.split("\\.")) {
            e = e.isJsonObject() ? e.getAsJsonObject().get(name) : null;
            if (e == null) return Optional.empty();
        }
        return e.isJsonPrimitive() ? Optional.of(e.getAsString()) : Optional.empty();
    }

    private <T> T convert(String path, Function<JsonElement, T> as) {
        JsonElement e = find(path);
        try {
            if (!e.isJsonPrimitive()) throw new IllegalStateException("not a single value");
            return as.apply(e);
        } catch (UnsupportedOperationException | IllegalStateException | NumberFormatException ex) {
            throw new InputException(file + ": field '" + path + "' has the wrong type (" + ex.getMessage() + ")", ex);
        }
    }

    private JsonElement find(String path) {
        JsonElement e = root;
        for (String name : path.split("\\.")) {
            e = e.isJsonObject() ? e.getAsJsonObject().get(name) : null;
            if (e == null || e.isJsonNull()) throw new InputException(file + ": field '" + path + "' is missing");
        }
        return e;
    }
}
