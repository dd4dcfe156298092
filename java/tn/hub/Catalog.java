package tn.hub;

import tn.io.Json;
import tn.io.InvalidValueException;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonPrimitive;
import tn.model.FileType;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The models tn knows by name (models/catalog.json, packed into the jar): for each, the hub
 * repository with its GGUF files, one per quantization. A malformed catalog is a bug in tn, so
 * reading fails loudly, naming the entry and field.
 */
public record Catalog(List<Entry> entries) {
    public static final String RESOURCE = "/tn/models/catalog.json";

    /**
     * A known model. base: the original model it was converted from; architecture: llama.cpp's
     * general.architecture of its files; paper: one of the models of the transfer neurons paper;
     * source: where the file names were confirmed; files: quantization (a {@link FileType} name)
     * -> file in repo.
     */
    public record Entry(String name, String base, String architecture, boolean paper, String repo, String source,
            Map<String, String> files) {
        /** The file of a quantization (any case), or an error listing the ones there are. */
        public String file(String quant) {
            String file = files.get(quant.strip().toUpperCase(Locale.ROOT));
            if (file == null) {
                throw new InvalidValueException("{} has no quantization '{}' in the catalog; it has {}", name, quant,
                        String.join(", ", files.keySet()));
            }
            return file;
        }
    }

    /** The catalog packed into tn. */
    public static Catalog bundled() {
        try (InputStream in = Catalog.class.getResourceAsStream(RESOURCE)) {
            if (in == null)
                throw new IllegalStateException("the model catalog " + RESOURCE + " is missing from tn's jar");
            return parse(new String(in.readAllBytes(), StandardCharsets.UTF_8), RESOURCE);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read the model catalog " + RESOURCE + ": " + e.getMessage(), e);
        }
    }

    /** Parses catalog JSON; origin names it in errors. */
    public static Catalog parse(String json, String origin) {
        JsonElement root;
        try {
            root = Json.parse(json);
        } catch (JsonParseException e) {
            throw new IllegalStateException(origin + ": not valid JSON: " + e.getMessage(), e);
        }
        if (!root.isJsonObject() || !root.getAsJsonObject().has("models")
                || !root.getAsJsonObject().get("models").isJsonArray()) {
            throw new IllegalStateException(origin + ": expected an object with a \"models\" array");
        }
        JsonArray models = root.getAsJsonObject().getAsJsonArray("models");
        List<Entry> entries = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (int i = 0; i < models.size(); i++) {
            String where = origin + ": models[" + i + "]";
            if (!models.get(i).isJsonObject()) throw new IllegalStateException(where + ": expected an object");
            JsonObject m = models.get(i).getAsJsonObject();
            String name = string(m, "name", where);
            where = origin + ": model '" + name + "'";
            if (!names.add(name.toLowerCase(Locale.ROOT)))
                throw new IllegalStateException(where + ": the name appears twice");
            String repo = string(m, "repo", where);
            try {
                HubFile.requireRepo(repo);
            } catch (InvalidValueException e) {
                throw new IllegalStateException(where + ": repo: " + e.getMessage(), e);
            }
            JsonElement paper = m.get("paper");
            if (paper != null && !(paper.isJsonPrimitive() && paper.getAsJsonPrimitive().isBoolean())) {
                throw new IllegalStateException(where + ": \"paper\" must be true or false");
            }
            entries.add(new Entry(name, string(m, "base", where), string(m, "architecture", where),
                    paper != null && paper.getAsBoolean(), repo, string(m, "source", where), files(m, where, repo)));
        }
        return new Catalog(List.copyOf(entries));
    }

    private static Map<String, String> files(JsonObject m, String where, String repo) {
        JsonElement files = m.get("files");
        if (files == null || !files.isJsonObject() || files.getAsJsonObject().isEmpty()) {
            throw new IllegalStateException(
                    where + ": \"files\" must be an object of QUANT: FILE, with at least one file");
        }
        Map<String, String> out = new LinkedHashMap<>();
        for (Map.Entry<String, JsonElement> f : files.getAsJsonObject().entrySet()) {
            String field = where + ": files." + f.getKey();
            String quant;
            try {
                quant = FileType.parse(f.getKey()).name();
            } catch (InvalidValueException e) {
                throw new IllegalStateException(field + ": " + e.getMessage(), e);
            }
            String file = f.getValue().isJsonPrimitive() && f.getValue().getAsJsonPrimitive().isString()
                    ? f.getValue().getAsString()
                    : null;
            if (file == null || !file.toLowerCase(Locale.ROOT).endsWith(".gguf")) {
                throw new IllegalStateException(field + ": expected the name of a .gguf file, got " + f.getValue());
            }
            try {
                new HubFile(repo, file, "main");
            } catch (InvalidValueException e) {
                throw new IllegalStateException(field + ": " + e.getMessage(), e);
            }
            if (out.put(quant, file) != null)
                throw new IllegalStateException(field + ": the quantization appears twice");
        }
        return out;
    }

    private static String string(JsonObject m, String field, String where) {
        JsonElement e = m.get(field);
        if (!(e instanceof JsonPrimitive p) || !p.isString() || p.getAsString().isBlank()) {
            throw new IllegalStateException(where + ": \"" + field + "\" must be a non-empty string");
        }
        return p.getAsString();
    }

    /** The entry of a name (any case), or an error listing the names there are. */
    public Entry find(String name) {
        for (Entry e : entries) {
            if (e.name().equalsIgnoreCase(name.strip())) return e;
        }
        throw new InvalidValueException(
                "no model '{}' in the catalog; known: {} (or give a repository and file: tn model "
                        + "pull OWNER/NAME FILE)",
                name, entries.stream().map(Entry::name).collect(Collectors.joining(", ")));
    }
}
