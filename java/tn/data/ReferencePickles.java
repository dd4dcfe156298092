package tn.data;

import net.razorvine.pickle.PickleException;
import net.razorvine.pickle.Pickler;
import tn.io.AtomicFile;
import tn.io.InputException;
import tn.llama.Neuron;
import tn.method.LayerRange;
import tn.method.TransferType;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The original implementation's files about neurons, readable by Python's pickle:
 * {@code {lang}_{type}_top{n}.pkl}, a list of (layer, neuron) tuples in rank order;
 * {@code {lang}_{type}_top{n}_score_dict.pkl}, a dict {(layer, neuron): score} of every neuron it
 * scored; and its centroids, a list of one NumPy vector per layer.
 */
public final class ReferencePickles {
    private static final Pattern NAME = Pattern.compile("(.+)_(type[12])_top(\\d+)(_score_dict)?\\.pkl");

    private ReferencePickles() {}

    /**
     * What the original implementation's file name says: {@code ja_type2_top1000.pkl} or
     * {@code ja_type2_top1000_score_dict.pkl}.
     */
    public record Name(String lang, TransferType type, boolean scoreDict) {
        public static Optional<Name> of(Path file) {
            Matcher m = NAME.matcher(String.valueOf(file.getFileName()));
            return m.matches() ? Optional.of(new Name(m.group(1), TransferType.parse(m.group(2)), m.group(4) != null))
                               : Optional.empty();
        }
    }

    public static boolean isPickle(Path file) {
        return String.valueOf(file.getFileName()).toLowerCase(Locale.ROOT).endsWith(".pkl");
    }

    public static String topFileName(String lang, String type, int n) {
        return lang + "_" + type + "_top" + n + ".pkl";
    }

    public static String scoreDictFileName(String lang, String type, int n) {
        return lang + "_" + type + "_top" + n + "_score_dict.pkl";
    }

    public static void writeTopNeurons(Path file, List<Neuron> ranked) {
        List<Object[]> tuples = new ArrayList<>(ranked.size());
        for (Neuron n : ranked) tuples.add(tuple(n));
        write(file, tuples);
    }

    /**
     * The score of every candidate neuron, as the original implementation writes its dict: keys
     * (layer, neuron) in layer-then-neuron order. means holds layers.size() x nFf scores, row-major
     * from layers.from().
     */
    public static void writeScoreDict(Path file, LayerRange layers, int nFf, double[] means) {
        if (means.length != (long) layers.size() * nFf)
            throw new IllegalArgumentException("one score per candidate neuron");
        Map<Object[], Double> dict = new LinkedHashMap<>(); // Python keeps insertion order
        for (int k = 0; k < means.length; k++) dict.put(tuple(new Neuron(layers.from() + k / nFf, k % nFf)), means[k]);
        write(file, dict);
    }

    public static List<Neuron> readTopNeurons(Path file) {
        return topNeurons(Pickles.load(file), file);
    }

    /**
     * A score dict in its file's order; scores may be Python floats or NumPy float64 scalars. A
     * NaN or infinite score is refused: no ranking can order it, and the original's sort would
     * place it wherever Python's comparisons happened to leave it.
     */
    public static Map<Neuron, Double> readScoreDict(Path file) {
        return scoreDict(Pickles.load(file), file);
    }

    /**
     * The neurons of a ranking pickle in rank order: a top-n list as it is, or a score dict's
     * candidates ({@link #readCandidateScores}) sorted by score, highest first (ties to the lower
     * (layer, neuron)), as the original implementation's sort_neurons_by_score ranks it.
     */
    public static List<Neuron> readRanking(Path file) {
        Object root = Pickles.load(file);
        if (root instanceof List<?>) return topNeurons(root, file);
        if (!(root instanceof Map<?, ?>)) {
            throw new InputException(file
                    + ": expected a pickled list of (layer, neuron) tuples or a dict {(layer, neuron): "
                    + "score}, found a " + Pickles.typeName(root));
        }
        Map<Neuron, Double> scores = candidateScores(scoreDict(root, file), file);
        List<Neuron> ranked = new ArrayList<>(scores.keySet());
        ranked.sort(
                Comparator.<Neuron, Double>comparing(n -> - scores.get(n)).thenComparing(Comparator.naturalOrder()));
        return ranked;
    }

    /**
     * The scores of a score dict's candidate neurons, in its order: the original's detection
     * scored every layer for Type-2 and ranked only the Type-2 candidate layers, so a dict named
     * {@code *_type2_*} that scores every layer from 0, with no tn run.json beside it, keeps the
     * Type-2 candidate layers of a model as deep as the dict (its highest layer + 1). A dict tn
     * wrote holds only its run's candidate layers and is taken whole.
     */
    public static Map<Neuron, Double> readCandidateScores(Path file) {
        return candidateScores(readScoreDict(file), file);
    }

    private static Map<Neuron, Double> candidateScores(Map<Neuron, Double> scores, Path file) {
        Optional<Name> name = Name.of(file);
        Path dir = file.toAbsolutePath().getParent();
        if (name.isEmpty() || name.get().type() != TransferType.TYPE2
                || scores.keySet().stream().noneMatch(n -> n.layer() == 0)
                || (dir != null && Files.isRegularFile(dir.resolve("run.json")))) {
            return scores;
        }
        int depth = scores.keySet().stream().mapToInt(Neuron::layer).max().orElseThrow() + 1;
        LayerRange type2 = TransferType.TYPE2.candidateLayers(Math.max(depth, 2));
        Map<Neuron, Double> out = new LinkedHashMap<>(scores);
        out.keySet().removeIf(n -> !type2.contains(n.layer()));
        return out;
    }

    private static List<Neuron> topNeurons(Object root, Path file) {
        if (!(root instanceof List<?> list)) {
            throw new InputException(
                    file + ": expected a pickled list of (layer, neuron) tuples, found a " + Pickles.typeName(root));
        }
        List<Neuron> out = new ArrayList<>();
        Map<Neuron, Integer> seen = new HashMap<>();
        for (int k = 0; k < list.size(); k++) {
            Neuron n = neuron(list.get(k), file, k);
            Integer before = seen.putIfAbsent(n, k);
            if (before != null) {
                throw new InputException(file + " entry " + k + ": neuron " + n + " is listed twice (entries " + before
                        + " and " + k + ")");
            }
            out.add(n);
        }
        return out;
    }

    private static Map<Neuron, Double> scoreDict(Object root, Path file) {
        if (!(root instanceof Map<?, ?> map)) {
            throw new InputException(
                    file + ": expected a pickled dict {(layer, neuron): score}, found a " + Pickles.typeName(root));
        }
        Map<Neuron, Double> out = new LinkedHashMap<>();
        int k = 0;
        for (Map.Entry<?, ?> e : map.entrySet()) {
            if (!(e.getValue() instanceof Number score))
                throw new InputException(file + " entry " + k + ": the score is not a number");
            Neuron n = neuron(e.getKey(), file, k);
            if (!Double.isFinite(score.doubleValue())) {
                throw new InputException(file + " entry " + k + ": the score of neuron " + n + " is "
                        + score.doubleValue() + "; a ranking needs finite scores");
            }
            if (out.put(n, score.doubleValue()) != null) {
                throw new InputException(file + " entry " + k + ": neuron " + n + " is scored twice");
            }
            k++;
        }
        return out;
    }

    /**
     * Centroids as calc_centroids_for_tn_detection.py saves them: a list (or tuple) of one vector
     * per layer, or one 2-D array [layer, dim]; rows of equal length.
     */
    public static float[][] readCentroids(Path file) {
        Object root = Pickles.load(file);
        List<?> rows = root instanceof List<?> l ? l : root instanceof Object[] a ? Arrays.asList(a) : null;
        if (root instanceof NumpyArray a && a.shape().length == 2)
            return rows(a.values(), a.shape()[0], a.shape()[1], file);
        if (rows == null || rows.isEmpty()) {
            throw new InputException(file
                    + ": expected pickled centroids, a list of one NumPy vector per layer, found a "
                    + Pickles.typeName(root));
        }
        float[][] out = new float[rows.size()][];
        for (int l = 0; l < out.length; l++) {
            if (!(rows.get(l) instanceof NumpyArray v) || v.shape().length != 1) {
                throw new InputException(file + " entry " + l + ": expected a 1-D NumPy array, found a "
                        + Pickles.typeName(rows.get(l)));
            }
            out[l] = rows(v.values(), 1, v.shape()[0], file)[0];
            if (out[l].length != out[0].length) {
                throw new InputException(
                        file + " entry " + l + ": " + out[l].length + " values where entry 0 has " + out[0].length);
            }
        }
        return out;
    }

    private static float[][] rows(double[] values, int n, int d, Path file) {
        float[][] out = new float[n][d];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < d; j++) {
                out[i][j] = (float) values[i * d + j];
                if (!Float.isFinite(out[i][j]))
                    throw new InputException(file + ": centroids contain NaN or infinite values");
            }
        }
        return out;
    }

    private static Object[] tuple(Neuron n) {
        return new Object[] {n.layer(), n.index()};
    }

    private static Neuron neuron(Object o, Path file, int k) {
        List<?> t = o instanceof Object[] a ? Arrays.asList(a) : o instanceof List<?> l ? l : List.of();
        if (t.size() == 2 && t.get(0) instanceof Number layer && t.get(1) instanceof Number index) {
            for (Number n : List.of(layer, index)) {
                // a float would be truncated to another neuron: (1.9, 2) is not layer 1
                if (!(n instanceof Integer || n instanceof Long || n instanceof Short || n instanceof Byte
                            || n instanceof java.math.BigInteger)) {
                    throw new InputException(file + " entry " + k + ": " + (n == layer ? "layer " : "neuron ") + n
                            + " is not an int; a (layer, neuron) tuple holds whole numbers");
                }
            }
            try {
                return new Neuron(Math.toIntExact(layer.longValue()), Math.toIntExact(index.longValue()));
            } catch (ArithmeticException | IllegalArgumentException e) {
                throw new InputException(file + " entry " + k + ": " + e.getMessage(), e);
            }
        }
        throw new InputException(
                file + " entry " + k + ": expected a (layer, neuron) tuple of ints, found a " + Pickles.typeName(o));
    }

    private static void write(Path file, Object value) {
        try (AtomicFile out = AtomicFile.create(file)) {
            Files.write(out.temporary(), new Pickler().dumps(value));
            out.commit();
        } catch (IOException | PickleException e) {
            throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(),
                    e instanceof IOException io ? io : new IOException(e));
        }
    }
}
