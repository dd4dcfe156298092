package tn.data.tatoeba;

import tn.data.DatasetWriter;
import tn.data.SentencePair;
import tn.io.Console;
import tn.io.InvalidValueException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * tn data tatoeba: Tatoeba's exports in, a seeded dataset in tn's formats out. Gets the export
 * files (all of them before reading any, so a download failure comes early), reads the L2 and
 * English sentences, streams the links, chooses, and writes the files and manifest.json. The
 * monolingual files are the pairs' sides ({@link Protocol#PAPER}) or held-out sentences
 * ({@link Protocol#TN}).
 */
public final class TatoebaBuild {
    /** File names in --out use "en" and the L2 code as given (ja or jpn). */
    public static final String EN_NAME = "en";

    /**
     * What the monolingual files L2.txt and en.txt hold, the sentences transfer neurons are
     * detected on. PAPER: the train pairs' L2 and English sides, in their order, as the original
     * implementation's {L2}_mono_train.pkl is the L2 column of {L2}_parallel_train.pkl, so that
     * detection runs on the sentences whose states made the centroids. TN: monoN sentences a
     * language in no chosen pair, so that neurons are detected on sentences the centroids never
     * saw (an out-of-sample check that the ranking is not fitted to the centroids' own sentences).
     */
    public enum Protocol {
        PAPER,
        TN
    }

    /**
     * What to build. l2 as the user gave it; monoN the held-out sentences a language of the TN
     * protocol (0 with PAPER); from (a local folder) or else baseUrl and cache; cache null for
     * the default, next to out.
     */
    public record Settings(String l2, Protocol protocol, int n, int testN, int monoN, long seed, SentenceFilter filter,
            ExportFiles.Links links, Path from, String baseUrl, Path cache, Path out, boolean pickle) {
        public Settings {
            if (n < 1) throw new InvalidValueException("{n} must be at least 1, got {}", n);
            if (testN < 2) {
                throw new InvalidValueException(
                        "{test_n} must be at least 2 (the non-parallel pairs shuffle the test pairs' "
                                + "L2 sides among them), got {}",
                        testN);
            }
            if (protocol == Protocol.TN && monoN < 1)
                throw new InvalidValueException("{mono_n} must be at least 1, got {}", monoN);
            if (protocol == Protocol.PAPER && monoN != 0) {
                throw new InvalidValueException("{mono_n} sizes the held-out sentences of {protocol} tn; with "
                        + "{protocol} paper the monolingual files are the pairs' own sides");
            }
        }

        /** The L2's name in file names. */
        public String l2Name() {
            return l2.strip().toLowerCase(Locale.ROOT);
        }

        public Path cacheDir() {
            return cache != null ? cache : defaultCache(out);
        }
    }

    /** What was read, chosen and written. */
    public record Summary(List<ExportFiles.Source> sources, Sentences l2, Sentences en, PairSelection.Result selection,
            List<DatasetWriter.Output> outputs) {}

    private TatoebaBuild() {}

    /** .tatoeba-cache beside the output folder, so that datasets for several L2s share one download of the links. */
    public static Path defaultCache(Path out) {
        Path abs = out.toAbsolutePath().normalize();
        return (abs.getParent() != null ? abs.getParent() : abs).resolve(".tatoeba-cache");
    }

    public static Summary run(Settings s, boolean quiet, Console console) {
        String l2Code = Languages.tatoebaCode(s.l2());
        if (l2Code.equals(Languages.ENGLISH))
            throw new InvalidValueException("{lang} must not be English: the pairs are en-L2");
        ExportFiles files = s.from() != null ? ExportFiles.local(s.from())
                                             : ExportFiles.remote(s.baseUrl(), s.cacheDir(), quiet, console);
        ExportFiles.Source l2File = files.get("l2_sentences", ExportFiles.sentencesPath(l2Code));
        ExportFiles.Source enFile = files.get("en_sentences", ExportFiles.sentencesPath(Languages.ENGLISH));
        ExportFiles.Source linksFile = files.get("links", ExportFiles.linksPath(s.links(), l2Code));

        ExportReader reader = new ExportReader(quiet, console);
        Sentences l2 = reader.sentences(l2File.path(), l2Code, s.filter());
        Sentences en = reader.sentences(enFile.path(), Languages.ENGLISH, s.filter());
        ExportReader.Links links = reader.links(linksFile.path(), l2, en);
        PairSelection.Result chosen = PairSelection.select(l2, en, links, s.n(), s.testN(), s.monoN(), s.seed());

        String l2Name = s.l2Name();
        String pairs = EN_NAME + "-" + l2Name;
        boolean paper = s.protocol() == Protocol.PAPER;
        DatasetWriter writer = new DatasetWriter(s.out(), s.pickle());
        writer.pairs(pairs + ".train", l2Name + "_parallel_train", chosen.train());
        writer.pairs(pairs + ".test", l2Name + "_parallel_test", chosen.test());
        writer.pairs(pairs + ".nonparallel", l2Name + "_non_parallel", chosen.nonParallel());
        writer.sentences(l2Name, l2Name + "_mono_train", paper ? l2Side(chosen.train()) : chosen.l2Mono());
        writer.sentences(EN_NAME, EN_NAME + "_mono_train", paper ? enSide(chosen.train()) : chosen.enMono());
        writer.sentences(l2Name + ".test", l2Name + "_mono_test", l2Side(chosen.test()));
        writer.sentences(EN_NAME + ".test", EN_NAME + "_mono_test", enSide(chosen.test()));
        List<ExportFiles.Source> sources = List.of(l2File, enFile, linksFile);
        writer.manifest(manifest(s, l2Code, sources, l2, en, chosen, writer.outputs()));
        return new Summary(sources, l2, en, chosen, writer.outputs());
    }

    private static List<String> l2Side(List<SentencePair> pairs) {
        return pairs.stream().map(SentencePair::l2).toList();
    }

    private static List<String> enSide(List<SentencePair> pairs) {
        return pairs.stream().map(SentencePair::en).toList();
    }

    /** Everything that decides the outputs, and nothing that varies between identical runs (no times, no cache hits). */
    private static Map<String, Object> manifest(Settings s, String l2Code, List<ExportFiles.Source> sources,
            Sentences l2, Sentences en, PairSelection.Result chosen, List<DatasetWriter.Output> outputs) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("command", "tn data tatoeba");
        String version = TatoebaBuild.class.getPackage().getImplementationVersion();
        m.put("tool_version", version == null ? "development build" : version);

        Map<String, Object> p = new LinkedHashMap<>();
        p.put("l2", s.l2Name());
        p.put("l2_tatoeba", l2Code);
        p.put("en_tatoeba", Languages.ENGLISH);
        p.put("protocol", s.protocol().name().toLowerCase(Locale.ROOT));
        p.put("n", s.n());
        p.put("test_n", s.testN());
        p.put("mono_n", s.protocol() == Protocol.TN ? s.monoN() : null);
        p.put("seed", s.seed());
        p.put("min_chars", s.filter().minChars());
        p.put("max_chars", s.filter().maxChars());
        p.put("links", s.links().name().toLowerCase(Locale.ROOT));
        p.put("from", s.from() != null ? s.from().toAbsolutePath().normalize().toString() : null);
        p.put("base_url", s.from() == null ? s.baseUrl() : null);
        p.put("pickle", s.pickle());
        m.put("parameters", p);
        String l2Txt = s.l2Name() + ".txt";
        m.put("monolingual", s.protocol() == Protocol.PAPER
                        ? l2Txt + " and en.txt are the train pairs' two sides, in their order (the paper's protocol)"
                        : l2Txt + " and en.txt are sentences in no chosen pair (held out)");

        List<Map<String, Object>> src = new ArrayList<>();
        for (ExportFiles.Source f : sources) {
            Map<String, Object> e = new LinkedHashMap<>();
            e.put("role", f.role());
            e.put("file", f.path().getFileName().toString());
            e.put("path", f.path().toAbsolutePath().normalize().toString());
            e.put("url", f.url());
            e.put("bytes", f.bytes());
            e.put("sha256", f.sha256());
            src.add(e);
        }
        m.put("sources", src);

        Map<String, Object> counts = new LinkedHashMap<>();
        counts.put(l2Code + "_sentences", l2.counts());
        counts.put(Languages.ENGLISH + "_sentences", en.counts());
        counts.put("pairs", chosen.pairCounts());
        if (s.protocol() == Protocol.TN) {
            counts.put(l2Code + "_monolingual", chosen.l2MonoCounts());
            counts.put(Languages.ENGLISH + "_monolingual", chosen.enMonoCounts());
        }
        m.put("counts", counts);

        List<Map<String, Object>> out = new ArrayList<>();
        for (DatasetWriter.Output o : outputs) {
            Map<String, Object> e = new LinkedHashMap<>();
            e.put("file", o.file());
            e.put("items", o.items());
            e.put("bytes", o.bytes());
            e.put("sha256", o.sha256());
            out.add(e);
        }
        m.put("outputs", out);
        return m;
    }
}
