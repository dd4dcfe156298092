package tn.run;

import tn.data.Dataset;
import tn.data.SentenceFiles;
import tn.io.InputException;
import tn.io.Json;
import tn.io.Progress;
import tn.io.Sha256Cache;
import tn.llama.Capture;
import tn.llama.CaptureSpec;
import tn.llama.Deactivation;
import tn.llama.Model;
import tn.llama.Session;
import tn.method.Accumulator;
import tn.method.TransferType;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * One pass of the method over a sentence file (or, for the analyses across languages, one file
 * per language): data -> forward passes with capture -> running sums -> outputs. This class is
 * the part every run shares: reading and tokenizing the data, batches, progress, checkpoints and
 * --resume, Ctrl-C, run.json. Subclasses say what is captured, what is summed, and what is
 * written.
 */
public abstract class Run {
    private static final Pattern LANG = Pattern.compile("[A-Za-z0-9_-]{1,32}");

    protected final Path modelPath;
    protected final TransferType type;     // null for runs that are not of one type (the analyses)
    protected final String lang;           // null for runs across languages, which read several files
    protected final Path sentencesPath;    // null where lang is
    protected final Path outDir;
    protected final RunSettings settings;
    protected final PrintStream out;
    protected final PrintStream err;

    protected Model model;
    private tn.llama.ModelInfo modelInfo;
    private long forwardNanos;
    private long scoringNanos;

    protected Run(Path modelPath, TransferType type, String lang, Path sentencesPath, Path outDir,
                  RunSettings settings, PrintStream out, PrintStream err) {
        if (lang != null) checkLang("--lang", lang);
        this.modelPath = modelPath;
        this.type = type;
        this.lang = lang;
        this.sentencesPath = sentencesPath;
        this.outDir = outDir;
        this.settings = settings;
        this.out = out;
        this.err = err;
    }

    /** Refuses a language code that could not name files and plots; what names the option or field. */
    protected static void checkLang(String what, String lang) {
        if (!LANG.matcher(lang).matches()) {
            throw new IllegalArgumentException(what + " '" + lang + "': expected a language code such as ja (letters, digits, - and _)");
        }
    }

    /** "centroids" or "detect": names the checkpoint and run.json's command. */
    protected abstract String command();

    /** Reads what the run needs besides the model (centroids, value vectors) and tokenizes the data. */
    protected abstract Items prepare(List<Dataset> data);

    /** Parameters of this kind of run that determine the result, besides the common ones. */
    protected abstract Map<String, Object> parameters();

    /** Runs items from..to forward and adds them to the sums. */
    protected abstract void process(Session session, Items items, int from, int to);

    /** What process() adds to: the state a checkpoint keeps. */
    protected abstract Accumulator accumulator();

    /** Writes the results; returns the files written. */
    protected abstract List<Path> writeOutputs();

    /** The sentence files, in the order prepare() gets them: the one file of --sentences unless overridden. */
    protected List<Dataset> readData() {
        return List.of(SentenceFiles.read(sentencesPath, lang));
    }

    /** What an item is called in progress and summaries. */
    protected String unit(Items items) {
        return items.pairs() ? "pairs" : "sentences";
    }

    /** Releases what prepare() acquired. */
    protected void release() {
    }

    /** Where this run's work ran, besides threads and GPU layers, for run.json's "run" (e.g. scoring). */
    protected Map<String, Object> placement() {
        return Map.of();
    }

    /** Runs the whole job; returns the files written (run.json last). */
    public final List<Path> execute() {
        Instant started = Instant.now();
        long t0 = System.nanoTime();
        createOutDir();
        List<Dataset> data = readData();
        String modelSha = Sha256Cache.of(modelPath);
        model = Model.open(modelPath, settings.gpuLayers());
        modelInfo = model.info();
        try {
            Items items = prepare(data);
            long loadNanos = System.nanoTime() - t0;
            Map<String, Object> params = new LinkedHashMap<>();
            if (type != null) params.put("type", type.id());
            if (lang != null) params.put("lang", lang);
            params.putAll(parameters());
            params.put("last_layer", settings.lastLayer().id());
            params.put("batch", settings.batch());
            params.put("ctx", settings.contextSize());
            params.put("strict", settings.strict());
            Map<String, Object> identity = new LinkedHashMap<>();   // ordered: the fingerprint must be stable
            identity.put("command", command());
            identity.put("model", modelSha);
            identity.put("data", RunRecord.sha256(data));
            identity.put("parameters", params);
            String fingerprint = Json.text(identity);
            Path checkpointFile = checkpointFile(outDir, command());
            int done = startFrom(checkpointFile, fingerprint, items);
            int resumedFrom = done;

            String label = command() + (lang != null ? " " + lang : "") + (type != null ? " " + type.id() : "");
            try (Session session = model.newSession(settings.sessionOptions());
                 StopSignal stop = new StopSignal();
                 Progress progress = Progress.items(label, unit(items), items.size(), done,
                         settings.quiet(), err)) {
                long lastSave = System.nanoTime();
                while (done < items.size()) {
                    int to = Math.min(done + settings.batch(), items.size());
                    process(session, items, done, to);
                    progress.advance(to - done, items.tokens(done, to));
                    done = to;
                    boolean due = settings.checkpointSeconds() == 0
                            || System.nanoTime() - lastSave >= settings.checkpointSeconds() * 1_000_000_000L;
                    if ((due || stop.requested()) && done < items.size()) {
                        new Checkpoint(fingerprint, done, accumulator().count(), items.tokens(0, done), forwardNanos,
                                scoringNanos, accumulator().sums()).write(checkpointFile);
                        lastSave = System.nanoTime();
                    }
                    if (stop.requested() && done < items.size()) {
                        err.println("\ntn: interrupted after " + done + " of " + items.size() + "; the checkpoint is "
                                + checkpointFile + "; run the same command with --resume to continue");
                        stop.awaitExit();
                    }
                }
            }
            List<Path> written = new ArrayList<>(writeOutputs());
            Path runJson = outDir.resolve("run.json");
            Json.write(runJson, record(started, modelSha, data, items, params, resumedFrom,
                    loadNanos, System.nanoTime() - t0, written));
            written.add(runJson);
            Files.deleteIfExists(checkpointFile);
            if (!settings.quiet()) {
                out.printf("%s: %d %s, %.1f s; wrote %s in %s%n", label, items.size(), unit(items),
                        (System.nanoTime() - t0) / 1e9, String.join(", ", RunRecord.names(written)), outDir);
            }
            return written;
        } catch (IOException e) {
            throw new UncheckedIOException(e.getMessage(), e);
        } finally {
            release();
            model.close();
        }
    }

    /** Where a run of command in outDir keeps its checkpoint while unfinished. */
    public static Path checkpointFile(Path outDir, String command) {
        return outDir.resolve("checkpoint-" + command + ".bin");
    }

    /** The model's facts, once execute() has opened it. */
    public tn.llama.ModelInfo modelInfo() {
        if (modelInfo == null) throw new IllegalStateException("the model is opened by execute()");
        return modelInfo;
    }

    /** Times a forward pass. */
    protected final Capture forward(Session session, List<int[]> sentences, CaptureSpec spec) {
        return forward(session, sentences, spec, Deactivation.none());
    }

    /** Times a forward pass with neurons switched off. */
    protected final Capture forward(Session session, List<int[]> sentences, CaptureSpec spec, Deactivation off) {
        return forward(() -> session.run(sentences, spec, off));
    }

    /** Times forward work of another shape (generation), as forward passes. */
    protected final <T> T forward(Supplier<T> work) {
        long t = System.nanoTime();
        try {
            return work.get();
        } finally {
            forwardNanos += System.nanoTime() - t;
        }
    }

    /** Times the work done on captures. */
    protected final void score(Runnable work) {
        long t = System.nanoTime();
        try {
            work.run();
        } finally {
            scoringNanos += System.nanoTime() - t;
        }
    }

    private void createOutDir() {
        try {
            Files.createDirectories(outDir);
        } catch (IOException e) {
            throw new InputException("cannot create the output folder " + outDir + ": " + e.getMessage(), e);
        }
    }

    /** The first item to run: 0, or where the checkpoint left off under --resume. */
    private int startFrom(Path checkpointFile, String fingerprint, Items items) {
        if (!Files.exists(checkpointFile)) {
            if (settings.resume() && !settings.quiet()) {
                err.println("tn: no checkpoint in " + outDir + "; starting from the beginning");
            }
            return 0;
        }
        if (!settings.resume()) {
            throw new IllegalArgumentException(outDir + " holds the checkpoint of an unfinished " + command()
                    + " run (" + checkpointFile.getFileName() + "): pass --resume to continue it, or delete it to start over");
        }
        Checkpoint cp = Checkpoint.read(checkpointFile);
        if (!cp.fingerprint().equals(fingerprint)) {
            throw new InputException(checkpointFile + " was written by a run with another model, data or parameters; "
                    + "run with the same ones to resume, or delete it to start over");
        }
        if (cp.itemsDone() > items.size()) throw new InputException(checkpointFile + " is inconsistent with the data");
        accumulator().restore(cp.sums(), cp.count());
        forwardNanos = cp.forwardNanos();
        scoringNanos = cp.scoringNanos();
        if (!settings.quiet()) err.println("tn: resuming after " + cp.itemsDone() + " of " + items.size());
        return cp.itemsDone();
    }

    private Map<String, Object> record(Instant started, String modelSha, List<Dataset> data, Items items,
                                       Map<String, Object> params, int resumedFrom, long loadNanos, long totalNanos,
                                       List<Path> written) {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("command", command());
        r.put("tool", Map.of("name", "tn", "version", RunRecord.toolVersion()));
        r.put("llama_cpp", model.info().llamaCppVersion());
        r.put("model", RunRecord.model(model.info(), modelSha));
        r.put("parameters", params);
        Map<String, Object> run = new LinkedHashMap<>();
        run.put("threads", settings.threads());
        run.put("gpu_layers", settings.gpuLayers());
        run.putAll(placement());
        run.put("checkpoint_every_s", settings.checkpointSeconds());
        run.put("resumed_from_item", resumedFrom > 0 ? resumedFrom : null);
        r.put("run", run);
        r.put("dataset", RunRecord.dataset(data, items));
        r.put("outputs", RunRecord.names(written));
        Map<String, Object> t = new LinkedHashMap<>();
        t.put("started", started.toString());
        t.put("finished", Instant.now().toString());
        t.put("load_s", loadNanos / 1e9);
        t.put("forward_s", forwardNanos / 1e9);
        t.put("scoring_s", scoringNanos / 1e9);
        t.put("total_s", totalNanos / 1e9);
        t.put("note", resumedFrom > 0 ? "forward_s and scoring_s include the interrupted run's; load_s and total_s are this process's" : null);
        t.put("peak_rss_bytes", RunRecord.peakRssBytes());
        r.put("timings", t);
        return r;
    }
}
