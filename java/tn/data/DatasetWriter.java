package tn.data;

import net.razorvine.pickle.PickleException;
import net.razorvine.pickle.Pickler;
import tn.io.AtomicFile;
import tn.io.Json;
import tn.io.Sha256;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Writes a dataset folder of tn data's commands, each file atomically: NAME.tsv (en TAB L2 a
 * line) for pairs, NAME.txt (a sentence a line) for monolingual sets, with pickles also each as
 * the original implementation names and lays it out (ja_parallel_train.pkl, a list of (en, L2)
 * tuples; ja_mono_train.pkl, a list of str), and last manifest.json, so that a folder with a
 * manifest is complete.
 */
public final class DatasetWriter {
    /** A file written: its name in the folder, how many pairs or sentences, its size and sha256. */
    public record Output(String file, int items, long bytes, String sha256) {}

    private final Path dir;
    private final boolean pickle;
    private final List<Output> outputs = new ArrayList<>();

    public DatasetWriter(Path dir, boolean pickle) {
        this.dir = dir;
        this.pickle = pickle;
    }

    /** NAME.tsv, and with pickles PICKLE.pkl. */
    public void pairs(String name, String pickleName, List<SentencePair> pairs) {
        StringBuilder tsv = new StringBuilder();
        List<Object[]> tuples = new ArrayList<>(pairs.size());
        for (SentencePair p : pairs) {
            tsv.append(p.en()).append('\t').append(p.l2()).append('\n');
            tuples.add(new Object[] {p.en(), p.l2()});
        }
        write(name + ".tsv", tsv.toString().getBytes(StandardCharsets.UTF_8), pairs.size());
        pickle(pickleName, tuples, pairs.size());
    }

    /** NAME.txt, and with pickles PICKLE.pkl. */
    public void sentences(String name, String pickleName, List<String> sentences) {
        sentences(name, sentences);
        pickle(pickleName, sentences, sentences.size());
    }

    /** NAME.txt only. */
    public void sentences(String name, List<String> sentences) {
        StringBuilder txt = new StringBuilder();
        for (String s : sentences) txt.append(s).append('\n');
        write(name + ".txt", txt.toString().getBytes(StandardCharsets.UTF_8), sentences.size());
    }

    /**
     * NAME.pkl holding value (lists, Object[] as tuples, maps in their order, str); without
     * pickles, one left by an earlier run is removed: the folder must match its manifest.
     */
    public void pickle(String name, Object value, int items) {
        String file = name + ".pkl";
        if (!pickle) {
            try {
                Files.deleteIfExists(dir.resolve(file));
            } catch (IOException e) {
                throw new UncheckedIOException(
                        "cannot remove the earlier " + dir.resolve(file) + ": " + e.getMessage(), e);
            }
            return;
        }
        try {
            write(file, new Pickler().dumps(value), items);
        } catch (IOException | PickleException e) {
            throw new IllegalStateException("cannot pickle " + file + ": " + e.getMessage(), e);
        }
    }

    public void manifest(Map<String, Object> manifest) {
        write("manifest.json", (Json.text(manifest) + "\n").getBytes(StandardCharsets.UTF_8), -1);
    }

    /** The data files written so far (the manifest is not one of them). */
    public List<Output> outputs() {
        return List.copyOf(outputs);
    }

    /** FILE as bytes, holding items things (pairs, sentences, rows), or -1 for a file that is not data. */
    public void write(String file, byte[] bytes, int items) {
        Path path = dir.resolve(file);
        try (AtomicFile out = AtomicFile.create(path)) {
            Files.write(out.temporary(), bytes);
            out.commit();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + path + ": " + e.getMessage(), e);
        }
        if (items >= 0) outputs.add(new Output(file, items, bytes.length, Sha256.of(bytes)));
    }
}
