package tn.data.tatoeba;

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
 * English sentences, streams the links, chooses, and writes the files and manifest.json.
 */
public final class TatoebaBuild {
    /** File names in --out use "en" and the L2 code as given (ja or jpn). */
    public static final String EN_NAME = "en";

    /**
     * What to build. l2 as the user gave it; from (a local folder) or else baseUrl and cache;
     * cache null for the default, next to out.
     */
    public record Settings(String l2, int n, int testN, int monoN, long seed, SentenceFilter filter,
            ExportFiles.Links links, Path from, String baseUrl, Path cache, Path out, boolean pickle) {
        public Settings {
            if (n < 1) throw new InvalidValueException("{n} must be at least 1, got {}", n);
            if (testN < 2) {
                throw new InvalidValueException(
                        "{test_n} must be at least 2 (the non-parallel pairs shuffle the test pairs' "
                                + "L2 sides among them), got {}",
                        testN);
            }
            if (monoN < 1) throw new InvalidValueException("{mono_n} must be at least 1, got {}", monoN);
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
            throw new InvalidValueException("{l2} must not be English: the pairs are en-L2");
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

        String pairs = EN_NAME + "-" + s.l2Name();
        DatasetWriter writer = new DatasetWriter(s.out(), s.pickle());
        writer.pairs(pairs + ".train", chosen.train());
        writer.pairs(pairs + ".test", chosen.test());
        writer.pairs(pairs + ".nonparallel", chosen.nonParallel());
        writer.sentences(s.l2Name(), chosen.l2Mono());
        writer.sentences(EN_NAME, chosen.enMono());
        List<ExportFiles.Source> sources = List.of(l2File, enFile, linksFile);
        writer.manifest(manifest(s, l2Code, sources, l2, en, chosen, writer.outputs()));
        return new Summary(sources, l2, en, chosen, writer.outputs());
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
        p.put("n", s.n());
        p.put("test_n", s.testN());
        p.put("mono_n", s.monoN());
        p.put("seed", s.seed());
        p.put("min_chars", s.filter().minChars());
        p.put("max_chars", s.filter().maxChars());
        p.put("links", s.links().name().toLowerCase(Locale.ROOT));
        p.put("from", s.from() != null ? s.from().toAbsolutePath().normalize().toString() : null);
        p.put("base_url", s.from() == null ? s.baseUrl() : null);
        p.put("pickle", s.pickle());
        m.put("parameters", p);

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
        counts.put(l2Code + "_monolingual", chosen.l2MonoCounts());
        counts.put(Languages.ENGLISH + "_monolingual", chosen.enMonoCounts());
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
