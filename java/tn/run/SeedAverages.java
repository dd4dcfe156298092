package tn.run;

import tn.record.RunJson;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;
import tn.analysis.NeuronSet;
import tn.analysis.SeedInterval;
import tn.io.AtomicFile;
import tn.io.InputException;
import tn.io.InputFile;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * One output file of R runs that differ only in their seed (R random baselines) made into one: the
 * same rows and fields, every number the mean over the runs, and beside each figure named as an
 * interval X its 95% interval across the seeds ({@link SeedInterval}), X_ci_low and X_ci_high. A
 * value the runs agree on is kept as written; text that differs is an error in a table (its rows
 * would not be the same rows), and in JSON the runs' values in seed order (a baseline's origin,
 * named for all seeds at once).
 */
final class SeedAverages {
    private SeedAverages() {}

    /** The names of the interval columns or fields X adds. */
    static String low(String x) {
        return x + "_ci_low";
    }

    static String high(String x) {
        return x + "_ci_high";
    }

    /** A CSV or TSV table: its header and rows of cells. */
    record Table(List<String> header, List<List<String>> rows) {
        /** The column's cells as numbers. */
        double[] column(String name) {
            int c = header.indexOf(name);
            if (c < 0) throw new IllegalArgumentException("no column " + name + " in " + header);
            return rows.stream().mapToDouble(r -> Double.parseDouble(r.get(c))).toArray();
        }

        /** The column's cells. */
        List<String> texts(String name) {
            int c = header.indexOf(name);
            if (c < 0) throw new IllegalArgumentException("no column " + name + " in " + header);
            return rows.stream().map(r -> r.get(c)).toList();
        }

        void write(Path file, String separator) {
            StringBuilder b = new StringBuilder(String.join(separator, header)).append('\n');
            for (List<String> row : rows) b.append(String.join(separator, row)).append('\n');
            AtomicFile.writeString(file, b.toString());
        }
    }

    /**
     * The tables of files (one per seed, the same header and rows), averaged: the single run's
     * columns, then X_ci_low and X_ci_high of each interval column X, in the order given. Key
     * columns (layer, subject) must agree row by row.
     */
    static Table table(List<Path> files, String separator, Set<String> keys, List<String> intervals) {
        List<List<String[]>> seeds = new ArrayList<>();
        for (Path f : files) seeds.add(cells(f, separator));
        List<String[]> first = seeds.get(0);
        List<String> header = List.of(first.get(0));
        for (int s = 1; s < seeds.size(); s++) {
            if (!List.of(seeds.get(s).get(0)).equals(header)) {
                throw new InputException(files.get(s) + ":1: its columns " + List.of(seeds.get(s).get(0))
                        + " are not those of " + files.get(0) + " " + header);
            }
            if (seeds.get(s).size() != first.size()) {
                throw new InputException(files.get(s) + " has " + (seeds.get(s).size() - 1) + " rows, "
                        + files.get(0) + " " + (first.size() - 1) + ": not runs that differ only in their seed");
            }
        }
        for (String x : intervals) {
            if (!header.contains(x)) throw new InputException(files.get(0) + ":1: no column '" + x + "'");
        }
        List<String> outHeader = new ArrayList<>(header);
        for (String x : intervals) outHeader.addAll(List.of(low(x), high(x)));
        List<List<String>> rows = new ArrayList<>();
        for (int i = 1; i < first.size(); i++) {
            List<String> row = new ArrayList<>();
            Map<String, SeedInterval> cis = new HashMap<>();
            for (int c = 0; c < header.size(); c++) {
                String[] values = new String[seeds.size()];
                for (int s = 0; s < seeds.size(); s++) {
                    String[] line = seeds.get(s).get(i);
                    if (line.length != header.size()) {
                        throw new InputException(files.get(s) + ":" + (i + 1) + ": " + line.length + " fields where "
                                + "the header has " + header.size());
                    }
                    values[s] = line[c];
                }
                String name = header.get(c);
                if (intervals.contains(name)) {
                    SeedInterval ci = SeedInterval.of(numbers(values, files, i, name));
                    row.add(agree(values) ? values[0] : number(ci.mean()));
                    cis.put(name, ci);
                } else if (agree(values)) {
                    row.add(values[0]);
                } else if (keys.contains(name)) {
                    throw new InputException(files.get(0) + ":" + (i + 1) + ": column '" + name + "' is '" + values[0]
                            + "' where " + files.get(firstOther(values)) + " has '" + values[firstOther(values)]
                            + "': not the same rows");
                } else {
                    row.add(number(mean(numbers(values, files, i, name))));
                }
            }
            for (String x : intervals) row.addAll(List.of(number(cis.get(x).low()), number(cis.get(x).high())));
            rows.add(row);
        }
        return new Table(outHeader, rows);
    }

    /**
     * The JSON objects of files (one per seed, the same fields) made into one as the class says;
     * every field named in intervals is followed by its _ci_low and _ci_high.
     */
    static JsonObject json(List<Path> files, Set<String> intervals, List<Long> seeds) {
        List<JsonObject> objects = new ArrayList<>();
        for (Path f : files) objects.add(RunJson.read(f).tree());
        return merge(objects, "", intervals, seeds, files);
    }

    private static JsonObject merge(
            List<JsonObject> objects, String at, Set<String> intervals, List<Long> seeds, List<Path> files) {
        JsonObject out = new JsonObject();
        for (String key : objects.get(0).keySet()) {
            String path = at.isEmpty() ? key : at + "." + key;
            List<JsonElement> values = new ArrayList<>();
            for (int s = 0; s < objects.size(); s++) {
                JsonElement v = objects.get(s).get(key);
                if (v == null) throw new InputException(files.get(s) + ": field '" + path + "' is missing");
                values.add(v);
            }
            if (values.stream().allMatch(JsonElement::isJsonObject)) {
                out.add(key, merge(values.stream().map(JsonElement::getAsJsonObject).toList(), path, intervals, seeds,
                                     files));
            } else if (intervals.contains(key)) {
                SeedInterval ci = SeedInterval.of(numbers(values, files, path));
                out.add(key, values.stream().distinct().count() == 1 ? values.get(0) : new JsonPrimitive(ci.mean()));
                out.addProperty(low(key), ci.low());
                out.addProperty(high(key), ci.high());
            } else if (values.stream().distinct().count() == 1) {
                out.add(key, values.get(0));
            } else if (values.stream().allMatch(SeedAverages::isNumber)) {
                out.addProperty(key, mean(numbers(values, files, path)));
            } else {
                out.add(key, together(values, seeds));
            }
        }
        return out;
    }

    /** Values the seeds' runs disagree on: a baseline's origin named for all seeds, else the list of them. */
    private static JsonElement together(List<JsonElement> values, List<Long> seeds) {
        if (values.stream().allMatch(v -> v.isJsonPrimitive() && v.getAsJsonPrimitive().isString())) {
            var origin = NeuronSet.originOfSeeds(values.stream().map(JsonElement::getAsString).toList(), seeds);
            if (origin.isPresent()) return new JsonPrimitive(origin.get());
        }
        JsonArray all = new JsonArray();
        values.forEach(all::add);
        return all;
    }

    private static final Pattern NUMBER = Pattern.compile("-?(\\d+\\.?\\d*([eE][-+]?\\d+)?|NaN|Infinity)");

    /** A number, or NaN and the infinities as tn's JSON writes them (which a lenient reader reads as text). */
    private static boolean isNumber(JsonElement e) {
        if (!e.isJsonPrimitive()) return false;
        JsonPrimitive p = e.getAsJsonPrimitive();
        return p.isNumber() || p.isString() && NUMBER.matcher(p.getAsString()).matches();
    }

    private static double[] numbers(List<JsonElement> values, List<Path> files, String path) {
        double[] x = new double[values.size()];
        for (int s = 0; s < x.length; s++) {
            if (!isNumber(values.get(s)))
                throw new InputException(files.get(s) + ": field '" + path + "' is not a number: " + values.get(s));
            x[s] = values.get(s).getAsDouble();
        }
        return x;
    }

    private static double[] numbers(String[] values, List<Path> files, int line, String column) {
        double[] x = new double[values.length];
        for (int s = 0; s < x.length; s++) {
            try {
                x[s] = Double.parseDouble(values[s]);
            } catch (NumberFormatException e) {
                throw new InputException(files.get(s) + ":" + (line + 1) + ": column '" + column + "' is '" + values[s]
                        + "', not a number");
            }
        }
        return x;
    }

    private static double mean(double[] x) {
        double sum = 0;
        for (double v : x) sum += v;
        return sum / x.length;
    }

    private static String number(double x) {
        return Double.toString(x);
    }

    private static boolean agree(String[] values) {
        return firstOther(values) < 0;
    }

    /** The first value unlike the first, or -1. */
    private static int firstOther(String[] values) {
        for (int s = 1; s < values.length; s++)
            if (!values[s].equals(values[0])) return s;
        return -1;
    }

    /** The file's non-blank lines split at separator, header first. */
    private static List<String[]> cells(Path file, String separator) {
        List<String[]> lines = new ArrayList<>();
        for (String line : InputFile.readAllLines(file)) {
            if (!line.isBlank()) lines.add(line.split(Pattern.quote(separator), -1));
        }
        if (lines.isEmpty()) throw new InputException(file + " is empty");
        return lines;
    }
}
