package tn.data;

import net.razorvine.pickle.PickleException;
import net.razorvine.pickle.Pickler;
import net.razorvine.pickle.Unpickler;
import tn.io.AtomicFile;
import tn.io.InputException;
import tn.io.InputFile;
import tn.llama.Neuron;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The original implementation's ranking files, readable by Python's pickle:
 * {@code {lang}_{type}_top{n}.pkl}, a list of (layer, neuron) tuples in rank order, and
 * {@code {lang}_{type}_top{n}_score_dict.pkl}, a dict {(layer, neuron): score} in rank order.
 */
public final class ReferencePickles {
    private ReferencePickles() {
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

    public static void writeScoreDict(Path file, List<Neuron> ranked, double[] scores) {
        if (scores.length != ranked.size()) throw new IllegalArgumentException("one score per neuron");
        Map<Object[], Double> dict = new LinkedHashMap<>();   // Python keeps insertion order: rank order
        for (int k = 0; k < ranked.size(); k++) dict.put(tuple(ranked.get(k)), scores[k]);
        write(file, dict);
    }

    public static List<Neuron> readTopNeurons(Path file) {
        if (!(read(file) instanceof List<?> list)) throw new InputException(file + ": expected a pickled list of (layer, neuron) tuples");
        List<Neuron> out = new ArrayList<>();
        for (int k = 0; k < list.size(); k++) out.add(neuron(list.get(k), file, k));
        return out;
    }

    public static Map<Neuron, Double> readScoreDict(Path file) {
        if (!(read(file) instanceof Map<?, ?> map)) throw new InputException(file + ": expected a pickled dict {(layer, neuron): score}");
        Map<Neuron, Double> out = new LinkedHashMap<>();
        int k = 0;
        for (Map.Entry<?, ?> e : map.entrySet()) {
            if (!(e.getValue() instanceof Number score)) throw new InputException(file + " entry " + k + ": the score is not a number");
            out.put(neuron(e.getKey(), file, k++), score.doubleValue());
        }
        return out;
    }

    private static Object[] tuple(Neuron n) {
        return new Object[] {n.layer(), n.index()};
    }

    private static Neuron neuron(Object o, Path file, int k) {
        if (o instanceof Object[] t && t.length == 2 && t[0] instanceof Number layer && t[1] instanceof Number index) {
            return new Neuron(layer.intValue(), index.intValue());
        }
        throw new InputException(file + " entry " + k + ": expected a (layer, neuron) tuple of ints");
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

    private static Object read(Path file) {
        byte[] bytes = InputFile.readAllBytes(file);
        try {
            return new Unpickler().loads(bytes);
        } catch (IOException | RuntimeException e) {
            throw new InputException(file + ": not a readable Python pickle (" + e.getMessage() + ")", e);
        }
    }
}
