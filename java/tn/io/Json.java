package tn.io;

import com.google.gson.FieldNamingPolicy;
import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.TypeAdapter;
import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonWriter;

import java.io.IOException;
import java.nio.file.Path;

/**
 * The JSON tn writes (run.json, compare.json, sweep.json, --json output): pretty-printed, nulls
 * and NaN kept (a missing figure is information), record fields in snake_case, paths absolute.
 */
public final class Json {
    private static final Gson COMPACT = new GsonBuilder().disableHtmlEscaping().serializeNulls()
            .serializeSpecialFloatingPointValues().setFieldNamingPolicy(FieldNamingPolicy.LOWER_CASE_WITH_UNDERSCORES)
            .registerTypeHierarchyAdapter(Path.class, new PathAsString()).create();
    private static final Gson GSON = COMPACT.newBuilder().setPrettyPrinting().create();

    private Json() {
    }

    public static String text(Object value) {
        return GSON.toJson(value);
    }

    /** On one line, for a table cell. */
    public static String compact(Object value) {
        return COMPACT.toJson(value);
    }

    /** Writes value to file atomically, with a final newline. */
    public static void write(Path file, Object value) {
        AtomicFile.writeString(file, text(value) + "\n");
    }

    private static final class PathAsString extends TypeAdapter<Path> {
        @Override
        public void write(JsonWriter out, Path value) throws IOException {
            out.value(value.toAbsolutePath().toString());
        }

        @Override
        public Path read(JsonReader in) {
            throw new UnsupportedOperationException("paths are only written");
        }
    }
}
