package tn.io;

import com.google.gson.FieldNamingPolicy;
import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonElement;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import com.google.gson.JsonSyntaxException;
import com.google.gson.TypeAdapter;
import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonToken;
import com.google.gson.stream.JsonWriter;

import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The JSON tn writes (run.json, compare.json, sweep.json, --json output): pretty-printed, nulls
 * and NaN kept (a missing figure is information), record fields in snake_case, paths absolute.
 */
public final class Json {
    private static final Gson COMPACT = new GsonBuilder()
                                                .disableHtmlEscaping()
                                                .serializeNulls()
                                                .serializeSpecialFloatingPointValues()
                                                .setFieldNamingPolicy(FieldNamingPolicy.LOWER_CASE_WITH_UNDERSCORES)
                                                .registerTypeHierarchyAdapter(Path.class, new PathAsString().nullSafe())
                                                .create();
    private static final Gson GSON = COMPACT.newBuilder().setPrettyPrinting().create();

    private Json() {}

    /** How deep JSON that tn reads may nest; tn's own files nest 4 deep. */
    static final int MAX_NESTING = 64;

    /**
     * JSON text as a tree, leniently as Gson's JsonParser reads it, but refused (a JsonParseException,
     * like any syntax error) where it nests deeper than {@link #MAX_NESTING}: every walk over a tree
     * recurses, and a file of a million '[' would overflow the stack.
     */
    public static JsonElement parse(String text) {
        JsonReader reader = new JsonReader(new StringReader(text));
        reader.setNestingLimit(MAX_NESTING);
        JsonElement tree = JsonParser.parseReader(reader);
        try {
            if (!tree.isJsonNull() && reader.peek() != JsonToken.END_DOCUMENT) {
                throw new JsonSyntaxException("more than one JSON value");
            }
        } catch (IOException e) {
            throw new JsonSyntaxException(e);
        }
        return tree;
    }

    /**
     * What is wrong with JSON that parsing or walking it failed on, in Gson's words without the
     * exception classes it wraps ("End of input at line 1 column 12 path $.bootstrap"); for a tree
     * of the wrong shape (a field missing or of another type), that.
     */
    public static String problem(RuntimeException e) {
        if (e instanceof JsonParseException) {
            Throwable why = e.getCause() != null && e.getCause().getMessage() != null ? e.getCause() : e;
            return String.valueOf(why.getMessage()).replaceFirst("^[\\w.$]+(Exception|Error): ", "");
        }
        return "a field is missing or of another type than tn wrote";
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

    /** Reads back what {@link #write} wrote of a type; a file that is not such JSON is bad input, named. */
    public static <T> T read(Path file, Class<T> type) {
        try {
            T value = GSON.fromJson(Files.readString(file, StandardCharsets.UTF_8), type);
            if (value == null) throw new InputException(file + " is empty");
            return value;
        } catch (IOException e) {
            throw InputException.unreadable(file, e);
        } catch (InputException e) {
            throw e;
        } catch (JsonParseException e) {
            throw new InputException("corrupt " + file + ": " + problem(e), e);
        } catch (RuntimeException e) { // what a record's constructor refuses
            Throwable why = e.getCause() != null ? e.getCause() : e;
            throw new InputException("corrupt " + file + ": " + why.getMessage(), e);
        }
    }

    private static final class PathAsString extends TypeAdapter<Path> {
        @Override
        public void write(JsonWriter out, Path value) throws IOException {
            out.value(value.toAbsolutePath().toString());
        }

        @Override
        public Path read(JsonReader in) throws IOException {
            return Path.of(in.nextString());
        }
    }
}
