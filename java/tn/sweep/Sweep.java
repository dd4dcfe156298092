package tn.sweep;

import tn.io.InvalidValueException;
import tn.io.Wording;
import tn.compare.Comparison;
import tn.compare.DetectionOutput;
import tn.gguf.GgufFile;
import tn.io.InputException;
import tn.io.InputFile;
import tn.io.Json;
import tn.io.Sha256;
import tn.io.Sha256Cache;
import tn.method.LayerRange;
import tn.method.TransferType;
import tn.model.FileType;
import tn.model.QuantizationReport;
import tn.model.QuantizeProgress;
import tn.model.Quantizer;
import tn.run.CentroidRun;
import tn.run.DetectionRun;
import tn.run.Run;
import tn.record.RunJson;
import tn.run.RunSettings;

import java.io.IOException;
import java.io.PrintWriter;
import tn.io.Console;
import tn.run.RunContext;
import tn.run.RunInput;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * How quantization moves the ranking, end to end: quantize the base model to each type, run
 * centroids and detection on every variant (each with its own centroids, as a user of that
 * variant would), then compare every variant's ranking with the base model's.
 *
 * <p>Layout under the output folder: models/STEM.TYPE.gguf (the variants), LABEL/centroids and
 * LABEL/detect per variant (LABEL = base-FILETYPE for the base model, TYPE for a variant),
 * compare/ and sweep.json. Every step that already finished with the same inputs is skipped, and
 * an interrupted run resumes from its checkpoint, so running the same sweep again continues it.
 */
public final class Sweep {
    /** One model of the sweep: the base (type null) or a quantization of it. */
    public record Variant(String label, Path model, FileType type) {}

    /**
     * What one step did: "ran", "resumed" (after resumedFrom of its items, as its run.json
     * records) or "skipped", and its wall time.
     */
    private record Step(String status, Integer resumedFrom, double seconds) {
        static final Step SKIPPED = new Step("skipped", null, 0);
    }

    private final Path base;
    private final List<FileType> types;
    private final TransferType type;
    private final String lang;
    private final Path centroidSentences;
    private final Path sentences;
    private final Path outDir;
    private final int topN;
    private final LayerRange layers;
    private final RunSettings settings;
    private final Map<Path, String> dataSha = new HashMap<>(); // each sentence file hashed once per sweep
    private final Map<String, QuantizationReport> holdings = new LinkedHashMap<>(); // by variant label
    private final Console console;
    private final PrintWriter out;

    /**
     * What a sweep does: quantize base to each of types, and compare the type-lang detections of
     * each model (centroids from centroidSentences, detection on sentences, top n, over layers
     * or the type's default when null) in outDir.
     */
    public record Plan(Path base, List<FileType> types, TransferType type, String lang, Path centroidSentences,
            Path sentences, Path outDir, int topN, LayerRange layers) {
        public Plan {
            if (types.isEmpty()) throw new InvalidValueException("{quant_types} names no quantization type");
            if (topN < 1) throw new InvalidValueException("{top_n} must be positive, is {}", topN);
            if (types.stream().distinct().count() != types.size())
                throw new InvalidValueException("{quant_types} names a type twice: {}", types);
            for (FileType t : types) Quantizer.checkSupported(t);
            types = List.copyOf(types);
        }
    }

    public Sweep(Plan plan, RunSettings settings, Console console) {
        this.base = plan.base();
        this.types = plan.types();
        this.type = plan.type();
        this.lang = plan.lang();
        this.centroidSentences = plan.centroidSentences();
        this.sentences = plan.sentences();
        this.outDir = plan.outDir();
        this.topN = plan.topN();
        this.layers = plan.layers();
        this.settings = settings;
        this.console = console;
        this.out = console.out();
    }

    /** Runs (or continues) the sweep; returns the comparison it ends with. */
    public Comparison run() {
        Instant started = Instant.now();
        long t0 = System.nanoTime();
        for (Path input : List.of(base, centroidSentences, sentences)) InputFile.check(input);
        List<Variant> variants = variants();
        Map<String, Map<String, Step>> steps = new LinkedHashMap<>();
        List<DetectionOutput> detections = new ArrayList<>();
        for (Variant v : variants) {
            Map<String, Step> done = new LinkedHashMap<>();
            if (v.type() != null) {
                done.put("quantize", quantize(v));
                QuantizationReport holds = QuantizationReport.of(v.model(), v.type());
                holdings.put(v.label(), holds);
                if (holds.warning() != null) console.warn(v.model().getFileName() + ": " + holds.warning());
            }
            Path centroidsDir = runDir(v, "centroids");
            Path detectDir = runDir(v, "detect");
            done.put("centroids",
                    step(centroidsDir, "centroids", v, Map.of(),
                            resume
                            -> new CentroidRun(context(v, centroidInput(), centroidsDir, resume), type)
                                    .replace(true)
                                    .execute()));
            Path centroids = centroidsDir.resolve("centroids.npy");
            done.put("detect",
                    step(detectDir, "detect", v, Map.of("centroids_sha256", Sha256.of(centroids)),
                            resume
                            -> new DetectionRun(context(v, new RunInput.Sentences(sentences, lang), detectDir, resume),
                                    new DetectionRun.Params(type, topN, centroids, layers, false))
                                    .replace(true)
                                    .execute()));
            detections.add(DetectionOutput.read(detectDir));
            steps.put(v.label(), done);
        }
        long tc = System.nanoTime();
        Comparison comparison = Comparison.of(detections, detections.get(0), topN);
        comparison.write(outDir.resolve("compare"));
        double compareSeconds = (System.nanoTime() - tc) / 1e9;
        double totalSeconds = (System.nanoTime() - t0) / 1e9;
        writeSummary(started, variants, steps, compareSeconds, totalSeconds);
        if (!settings.quiet()) {
            printSummary(variants, steps, compareSeconds, totalSeconds);
            comparison.print(out);
            out.println("wrote sweep.json, compare/ and the variants' runs in " + outDir);
        }
        return comparison;
    }

    /** Where the sweep keeps a variant's run of command (centroids, detect). */
    public Path runDir(Variant v, String command) {
        return outDir.resolve(v.label()).resolve(command);
    }

    /** The base model and its quantizations, in order. */
    public List<Variant> variants() {
        String stem = base.getFileName().toString().replaceFirst("(?i)\\.gguf$", "");
        List<Variant> variants = new ArrayList<>();
        variants.add(new Variant("base-" + fileTypeOf(base), base, null));
        for (FileType t : types)
            variants.add(new Variant(t.name(), outDir.resolve("models").resolve(stem + "." + t + ".gguf"), t));
        return variants;
    }

    private Step quantize(Variant v) {
        if (Files.exists(v.model())) { // quantization writes atomically: a file there is complete
            String has = fileTypeOf(v.model());
            if (!has.equals(v.type().name())) {
                throw new InputException(
                        v.model() + " exists but is " + has + ", not " + v.type() + "; delete it to requantize");
            }
            return Step.SKIPPED;
        }
        try {
            Files.createDirectories(v.model().getParent());
        } catch (IOException e) {
            throw InputException.cannotCreate(v.model().getParent(), e);
        }
        long t0 = System.nanoTime();
        try (QuantizeProgress progress = new QuantizeProgress(v.type(), settings.quiet(), console)) {
            Quantizer.quantize(base, v.model(), v.type(), settings.threads(), progress);
        }
        return new Step("ran", null, (System.nanoTime() - t0) / 1e9);
    }

    /**
     * A centroids or detect run: skipped when finished with these inputs, resumed when interrupted.
     * Whether it resumed is what the run itself recorded, not whether a checkpoint was there. The
     * folder is the sweep's own: what an unfinished earlier run left there is replaced.
     */
    private Step step(Path dir, String command, Variant v, Map<String, String> extra, Consumer<Boolean> execute) {
        if (finished(dir, command, v, extra)) return Step.SKIPPED;
        long t0 = System.nanoTime();
        execute.accept(Files.exists(Run.checkpointFile(dir, command)));
        double seconds = (System.nanoTime() - t0) / 1e9;
        Integer resumedFrom = RunJson.of(dir).optionalText("run.resumed_from_item").map(Integer::valueOf).orElse(null);
        return new Step(resumedFrom != null ? "resumed" : "ran", resumedFrom, seconds);
    }

    /**
     * Whether dir holds a finished run of command with the inputs this sweep would give it. A
     * finished run made with other inputs is an error rather than silently reused or overwritten.
     */
    private boolean finished(Path dir, String command, Variant v, Map<String, String> extra) {
        if (!Files.exists(dir.resolve("run.json")) || Files.exists(Run.checkpointFile(dir, command))) return false;
        RunJson run = RunJson.of(dir);
        Path data = command.equals("centroids") ? centroidSentences : sentences;
        String sha = dataSha.computeIfAbsent(data, Sha256::of);
        Map<String, String> expected = new LinkedHashMap<>();
        expected.put("command", command);
        expected.put("model.sha256", Sha256Cache.of(v.model()));
        expected.put("dataset.sha256", sha);
        expected.put("parameters.type", type.id());
        expected.put("parameters.lang", lang);
        expected.put("parameters.last_layer", settings.lastLayer().id());
        expected.put("parameters.ctx", String.valueOf(settings.contextSize()));
        if (command.equals("detect") && layers != null) expected.put("parameters.layers", layers.toString());
        extra.forEach((k, val) -> expected.put("parameters." + k, val));
        for (Map.Entry<String, String> e : expected.entrySet()) {
            String has = run.text(e.getKey());
            if (!Objects.equals(has, e.getValue())) {
                throw new InputException(
                        Wording.of("{} was made with another {} ({}, this sweep: {}); use another {out}, or "
                                        + "delete {} to run it again",
                                run.file(), e.getKey(), has, e.getValue(), dir));
            }
        }
        return true;
    }

    private RunContext context(Variant v, RunInput input, Path dir, boolean resume) {
        return new RunContext(v.model(), input, dir, runSettings(resume), console);
    }

    /** Type-1 centroids come from pairs, Type-2 from L2 sentences. */
    private RunInput centroidInput() {
        return type == TransferType.TYPE1 ? new RunInput.Pairs(centroidSentences, lang)
                                          : new RunInput.Sentences(centroidSentences, lang);
    }

    private RunSettings runSettings(boolean resume) {
        return settings.withResume(resume);
    }

    private static String fileTypeOf(Path model) {
        try (GgufFile g = GgufFile.open(model)) {
            return FileType.recordedIn(g).orElse("unknown");
        }
    }

    private void writeSummary(Instant started, List<Variant> variants, Map<String, Map<String, Step>> steps,
            double compareSeconds, double totalSeconds) {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("command", "sweep");
        root.put("base_model", base.toAbsolutePath().toString());
        root.put("type", type.id());
        root.put("lang", lang);
        root.put("centroid_sentences", centroidSentences.toAbsolutePath().toString());
        root.put("sentences", sentences.toAbsolutePath().toString());
        root.put("top_n", topN);
        List<Map<String, Object>> vs = new ArrayList<>();
        for (Variant v : variants) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("label", v.label());
            m.put("model", v.model().toAbsolutePath().toString());
            if (holdings.containsKey(v.label())) m.put("holds", holdings.get(v.label()).json());
            Map<String, Object> st = new LinkedHashMap<>();
            steps.get(v.label()).forEach((name, s) -> {
                Map<String, Object> step = new LinkedHashMap<>();
                step.put("status", s.status());
                if (s.resumedFrom() != null) step.put("resumed_from_item", s.resumedFrom());
                step.put("seconds", s.seconds());
                st.put(name, step);
            });
            m.put("steps", st);
            vs.add(m);
        }
        root.put("variants", vs);
        root.put("compare_s", compareSeconds);
        root.put("started", started.toString());
        root.put("total_s", totalSeconds);
        Json.write(outDir.resolve("sweep.json"), root);
    }

    private void printSummary(
            List<Variant> variants, Map<String, Map<String, Step>> steps, double compareSeconds, double totalSeconds) {
        out.printf("%nsweep %s %s of %s (%d variants), in %s%n", type.id(), lang, base.getFileName(), variants.size(),
                outDir);
        out.printf("%-12s %12s %12s %12s  %s%n", "variant", "quantize", "centroids", "detect", "holds");
        for (Variant v : variants) {
            Map<String, Step> s = steps.get(v.label());
            QuantizationReport holds = holdings.get(v.label());
            out.printf("%-12s %12s %12s %12s  %s%n", v.label(), cell(s.get("quantize")), cell(s.get("centroids")),
                    cell(s.get("detect")),
                    holds == null ? ""
                                  : holds.holds() + String.format(Locale.ROOT, " (%.2f bpw)", holds.bitsPerWeight()));
        }
        out.printf(Locale.ROOT, "compare %.1f s; sweep %.1f s in all%n%n", compareSeconds, totalSeconds);
    }

    private static String cell(Step s) {
        if (s == null) return "-";
        return s.status().equals("skipped")
                ? "skipped"
                : String.format(Locale.ROOT, "%.1f s%s", s.seconds(), s.status().equals("resumed") ? "*" : "");
    }
}
