package tn.run;

import com.google.gson.JsonObject;
import tn.record.RunJson;
import tn.io.InvalidValueException;
import tn.io.Wording;
import tn.data.Dataset;
import tn.io.InputException;
import tn.io.Json;
import tn.io.Progress;
import tn.io.Sha256Cache;
import tn.llama.Capture;
import tn.llama.CaptureSpec;
import tn.llama.Deactivation;
import tn.llama.Model;
import tn.llama.ModelInfo;
import tn.llama.NonFiniteException;
import tn.llama.Session;
import tn.method.Accumulator;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * One pass of the method over its input: data -> forward passes with capture -> running sums ->
 * outputs. This class is the part every run shares: reading and tokenizing the data, batches,
 * progress, checkpoints and --resume, Ctrl-C, the output folder (locked while the run writes,
 * outputs appearing together with run.json last), run.json; and running one slice of the items
 * (--shard K/N) whose state {@link #merge} later adds up with the other slices'. Subclasses say
 * what is captured, what is summed, and what is written.
 */
public abstract class Run {
    /** The file a shard leaves its state in, beside its run.json. */
    public static final String SHARD_STATE = "shard-state.bin";

    protected final RunContext context;
    protected final Path modelPath;
    protected final Path outDir;
    protected final RunSettings settings;
    protected final PrintWriter out;
    protected final PrintWriter err;

    protected Model model;
    private ModelInfo modelInfo;
    private long forwardNanos;
    private long scoringNanos;
    private boolean replace;
    private Map<String, Object> summary;

    protected Run(RunContext context) {
        this.context = context;
        this.modelPath = context.model();
        this.outDir = context.outDir();
        this.settings = context.settings();
        this.out = context.console().out();
        this.err = context.console().err();
    }

    /** "centroids", "detect", ...: names the checkpoint and run.json's command. */
    protected abstract String command();

    /** Reads what the run needs besides the model (centroids, value vectors) and tokenizes the data. */
    protected abstract Items prepare(List<Dataset> data);

    /**
     * The parameters that determine the result, in a fixed order: they are part of the fingerprint.
     * The input's language is added by the run, before them and after a "type".
     */
    protected abstract Map<String, Object> parameters();

    /** Runs items from..to forward and adds them to the sums. */
    protected abstract void process(Session session, Items items, int from, int to);

    /** What process() adds to: the state a checkpoint keeps. */
    protected abstract Accumulator accumulator();

    /** Writes the results into dir (a staging folder, moved into --out afterwards); returns the files written. */
    protected abstract List<Path> writeOutputs(Path dir);

    /** The input files read, in the order prepare() gets them. */
    protected List<Dataset> readData() {
        return context.input().readSentences();
    }

    /** The one sentence file per language of a run across languages. */
    protected static RunInput.Languages languages(RunContext context) {
        if (context.input() instanceof RunInput.Languages l) return l;
        throw new IllegalArgumentException("this run reads one sentence file per language");
    }

    /** What progress and the summary call this run: "detect ja type1", "latent". */
    protected String label() {
        String lang = context.input().lang();
        return command() + (lang != null ? " " + lang : "");
    }

    /** What an item is called in progress and summaries. */
    protected String unit(Items items) {
        return items.pairs() ? "pairs" : "sentences";
    }

    /**
     * The capture session process() runs on; null for a run that decodes with a generator of its
     * own (qa, reasoning), which would otherwise hold a context it never uses.
     */
    protected Session openSession() {
        return model.newSession(settings.sessionOptions());
    }

    /** Releases what prepare() acquired. */
    protected void release() {}

    /** Where this run's work ran, besides threads and GPU layers, for run.json's "run" (e.g. scoring). */
    protected Map<String, Object> placement() {
        return Map.of();
    }

    /** Times of this run's own steps besides loading, forward passes and scoring, for run.json's "timings". */
    protected Map<String, Object> stepTimings() {
        return Map.of();
    }

    /** The run's model, data and parameters, and the fingerprint they make, once read and checked. */
    private record Opened(List<Dataset> data, String modelSha, Items items, Map<String, Object> params,
            String fingerprint, long loadNanos) {}

    /**
     * Runs the job (or, with --shard, its slice); returns the files written (run.json last). Nothing
     * is created in --out until the model, the data and every other input have been read and checked.
     */
    public final List<Path> execute() {
        return execute(false);
    }

    /**
     * Runs the job as {@link #execute} does, unless --out already holds this very run, finished:
     * a run.json (not a shard's) of the same command, model, data and parameters, which is then
     * left as it is. Returns whether it ran: what a run of several baselines does with each seed.
     */
    final boolean executeUnlessFinished() {
        return !execute(true).isEmpty();
    }

    /** Runs the job; with keepFinished, returns nothing where outDir holds it finished already. */
    private List<Path> execute(boolean keepFinished) {
        Instant started = Instant.now();
        long t0 = System.nanoTime();
        try {
            OutputFolder.refuseToReplace(outDir, mayReplace());
            Opened o = open(t0);
            Shard shard = settings.shard();
            if (keepFinished && shard == null && finishedRun(o.fingerprint)) {
                if (!settings.quiet()) out.printf("%s: %s holds this run, finished; kept%n", label(), outDir);
                return List.of();
            }
            Shard.ItemRange range = shard == null ? new Shard.ItemRange(0, o.items.size())
                                                  : shard.slice(o.items.size(), settings.batch());
            String fingerprint = stateFingerprint(o.fingerprint, shard);
            if (shard != null && settings.resume() && finishedShard(fingerprint, range)) {
                if (!settings.quiet())
                    out.printf("%s: shard %s in %s had finished; nothing to do%n", label(), shard, outDir);
                List<Path> there = List.of(outDir.resolve(SHARD_STATE), outDir.resolve("run.json"));
                summarize(there, 0, unit(o.items), t0).put("shard", shard.toString());
                return there;
            }
            try (OutputFolder folder = OutputFolder.open(outDir, mayReplace())) {
                Path checkpointFile = checkpointFile(outDir, command());
                int next = startFrom(checkpointFile, fingerprint, range);
                int resumedFrom = next > range.from() ? next : -1;
                int first = next;
                next = runItems(o, range, next, fingerprint, checkpointFile, folder);
                List<Path> written;
                Map<String, Object> extra = new LinkedHashMap<>();
                extra.put("resumed_from_item", resumedFrom >= 0 ? resumedFrom : null);
                extra.put("items_this_process", next - first);
                if (shard != null) {
                    Path dir = folder.staging();
                    Path state = dir.resolve(SHARD_STATE);
                    new Checkpoint(fingerprint, range.from(), range.to(), next, accumulator().count(),
                            o.items.tokens(range.from(), range.to()), forwardNanos, scoringNanos, accumulator().sums())
                            .write(state);
                    extra.put("shard", shardRecord(shard, range));
                    written = finish(folder, o, started, t0, List.of(state), extra);
                } else {
                    written = finish(folder, o, started, t0, writeOutputs(folder.staging()), extra);
                }
                Files.deleteIfExists(checkpointFile);
                summarize(written, range.size(), unit(o.items), t0)
                        .put("shard", shard == null ? null : shard.toString());
                if (!settings.quiet()) {
                    out.printf("%s: %d %s%s, %.1f s; wrote %s in %s%n", label(), range.size(), unit(o.items),
                            shard != null ? " (shard " + shard + " of " + o.items.size() + ")" : "",
                            (System.nanoTime() - t0) / 1e9, String.join(", ", RunRecord.names(written)), outDir);
                }
                return written;
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e.getMessage(), e);
        } finally {
            close();
        }
    }

    /**
     * Merges the states of a sharded run's shards (their folders, every K of N once) into the
     * outputs this run would write unsharded: the same files, the same numbers but for the order
     * the sums were added in.
     */
    public final List<Path> merge(List<Path> shardDirs) {
        if (settings.shard() != null) throw new IllegalStateException("a merge is not itself a shard");
        if (shardDirs.isEmpty()) throw new IllegalArgumentException("no shard folders to merge");
        Instant started = Instant.now();
        long t0 = System.nanoTime();
        try {
            OutputFolder.refuseToReplace(outDir, replace);
            Opened o = open(t0);
            List<ShardFolder> shards = ShardFolder.readAll(shardDirs, command());
            List<Map<String, Object>> mergedFrom = new ArrayList<>();
            for (ShardFolder s : shards) {
                Shard.ItemRange range = s.shard().slice(o.items.size(), settings.batch());
                Checkpoint state =
                        Checkpoint.read(s.dir().resolve(SHARD_STATE), stateFingerprint(o.fingerprint, s.shard()),
                                range.from(), range.to(), accumulator().sums().length);
                if (state.next() != range.to() || state.count() != range.size()) {
                    throw new InputException(s.dir().resolve(SHARD_STATE) + " holds " + state.count() + " of the "
                            + range.size() + " items of shard " + s.shard() + "; run that shard again");
                }
                accumulator().merge(state.sums(), state.count());
                forwardNanos += state.forwardNanos();
                scoringNanos += state.scoringNanos();
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("dir", s.dir().toAbsolutePath().toString());
                m.put("shard", s.shard().toString());
                m.put("items", List.of(range.from(), range.to()));
                mergedFrom.add(m);
            }
            try (OutputFolder folder = OutputFolder.open(outDir, replace)) {
                Map<String, Object> extra = new LinkedHashMap<>();
                extra.put("merged_from", mergedFrom);
                List<Path> written = finish(folder, o, started, t0, writeOutputs(folder.staging()), extra);
                summarize(written, o.items.size(), unit(o.items), t0).put("merged_shards", shards.size());
                if (!settings.quiet()) {
                    out.printf("%s: merged %d shards, %d %s; wrote %s in %s%n", label(), shards.size(), o.items.size(),
                            unit(o.items), String.join(", ", RunRecord.names(written)), outDir);
                }
                return written;
            }
        } finally {
            close();
        }
    }

    /** Reads and checks the inputs, opens the model and prepares the run. */
    private Opened open(long t0) {
        List<Dataset> data = readData();
        String modelSha = Sha256Cache.of(modelPath);
        model = Model.open(modelPath, settings.gpuLayers());
        modelInfo = model.info();
        Items items = prepare(data);
        Map<String, Object> own = parameters();
        Map<String, Object> params = new LinkedHashMap<>(); // type and language first, as every consumer reads them
        if (own.containsKey("type")) params.put("type", own.get("type"));
        if (context.input().lang() != null) params.put("lang", context.input().lang());
        params.putAll(own);
        params.put("last_layer", settings.lastLayer().id());
        params.put("batch", settings.batch());
        params.put("ctx", settings.contextSize());
        params.put("strict", settings.strict());
        Map<String, Object> identity = new LinkedHashMap<>(); // ordered: the fingerprint must be stable
        identity.put("command", command());
        identity.put("model", modelSha);
        identity.put("data", RunRecord.sha256(data));
        identity.put("parameters", params);
        return new Opened(data, modelSha, items, params, Json.text(identity), System.nanoTime() - t0);
    }

    /** Runs items next..range.to() batch by batch, checkpointing as it goes; returns range.to(). */
    private int runItems(
            Opened o, Shard.ItemRange range, int next, String fingerprint, Path checkpointFile, OutputFolder folder) {
        Items items = o.items;
        try (Session session = openSession(); StopSignal stop = new StopSignal();
                Progress progress = Progress.items(
                        label(), unit(items), range.size(), next - range.from(), settings.quiet(), context.console())) {
            long lastSave = System.nanoTime();
            while (next < range.to()) {
                int to = Math.min(next + settings.batch(), range.to());
                try {
                    process(session, items, next, to);
                } catch (NonFiniteException e) {
                    String at = items.where(e.tokens(), o.data);
                    throw new InputException(at != null ? e.messageFor("the sentence at " + at) : e.getMessage(), e);
                }
                progress.advance(to - next, items.tokens(next, to));
                next = to;
                boolean due = settings.checkpointSeconds() == 0
                        || System.nanoTime() - lastSave >= settings.checkpointSeconds() * 1_000_000_000L;
                if ((due || stop.requested()) && next < range.to()) {
                    new Checkpoint(fingerprint, range.from(), range.to(), next, accumulator().count(),
                            items.tokens(range.from(), next), forwardNanos, scoringNanos, accumulator().sums())
                            .write(checkpointFile);
                    lastSave = System.nanoTime();
                }
                if (stop.requested() && next < range.to()) {
                    err.println("\ntn: interrupted after " + (next - range.from()) + " of " + range.size() + "; "
                            + context.console().say(
                                    Wording.of("the checkpoint is {}; run the same command with {resume} to "
                                                    + "continue",
                                            checkpointFile)));
                    err.flush();
                    folder.close();
                    stop.awaitExit();
                }
            }
        }
        return next;
    }

    /** Writes run.json beside the staged outputs and moves them all into --out. */
    private List<Path> finish(
            OutputFolder folder, Opened o, Instant started, long t0, List<Path> staged, Map<String, Object> extra) {
        Path runJson = folder.staging().resolve("run.json");
        List<Path> all = new ArrayList<>(staged);
        all.add(runJson);
        return folder.publish(all, runJson, f -> Json.write(f, record(started, o, extra, System.nanoTime() - t0, all)));
    }

    private void close() {
        try {
            release();
        } finally {
            if (model != null) model.close();
        }
    }

    /** Where a run of command in outDir keeps its checkpoint while unfinished. */
    public static Path checkpointFile(Path outDir, String command) {
        return outDir.resolve("checkpoint-" + command + ".bin");
    }

    /**
     * Whether outDir holds this very shard, finished: what a shard requeued or resubmitted by a
     * scheduler finds, and leaves alone. A finished shard of other inputs is run again over it.
     */
    private boolean finishedShard(String fingerprint, Shard.ItemRange range) {
        return Files.exists(outDir.resolve("run.json"))
                && Checkpoint.completes(outDir.resolve(SHARD_STATE), fingerprint, range.from(), range.to());
    }

    /**
     * Whether outDir's run.json records a whole run (not a shard) of the identity fingerprint holds:
     * the same command, model, data and parameters, so that its outputs are this run's.
     */
    private boolean finishedRun(String fingerprint) {
        if (!Files.exists(outDir.resolve("run.json"))) return false;
        RunJson recorded = RunJson.of(outDir);
        if (recorded.optionalText("run.shard.k").isPresent()) return false;
        JsonObject identity = new JsonObject(); // the fingerprint's fields, as open() gathers them
        identity.addProperty("command", recorded.optionalText("command").orElse(null));
        identity.addProperty("model", recorded.optionalText("model.sha256").orElse(null));
        identity.addProperty("data", recorded.optionalText("dataset.sha256").orElse(null));
        identity.add("parameters", recorded.tree().get("parameters"));
        return identity.equals(Json.parse(fingerprint));
    }

    /** A shard's state carries its slice in the fingerprint: one shard's checkpoint cannot resume another. */
    private static String stateFingerprint(String fingerprint, Shard shard) {
        return shard == null ? fingerprint : fingerprint + "\nshard " + shard;
    }

    private Map<String, Object> shardRecord(Shard shard, Shard.ItemRange range) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("k", shard.k());
        m.put("n", shard.n());
        m.put("items", List.of(range.from(), range.to()));
        m.put("state", SHARD_STATE);
        m.put("merge", "tn merge --out DIR SHARD_DIR... (every shard of " + shard.n() + ")");
        return m;
    }

    /**
     * Lets this run replace a finished run in its folder (--force); without, a folder holding one
     * is refused before any work, unless the run continues its own checkpoint (--resume).
     */
    public final Run replace(boolean allowed) {
        replace = allowed;
        return this;
    }

    /**
     * What the run did, for --json: the command, language, output folder and files (absolute),
     * items, seconds, and the run's own results ({@link #results}); null before it finished.
     */
    public final Map<String, Object> summary() {
        return summary;
    }

    /** The figures a run reports besides its files (detect: the top neurons and the stability verdicts). */
    protected Map<String, Object> results() {
        return Map.of();
    }

    private Map<String, Object> summarize(List<Path> written, int items, String unit, long t0) {
        summary = new LinkedHashMap<>();
        summary.put("command", command());
        summary.put("lang", context.input().lang());
        summary.put("out", outDir.toAbsolutePath().toString());
        summary.put("files", written.stream().map(p -> p.toAbsolutePath().toString()).toList());
        summary.put("items", items);
        summary.put("unit", unit);
        summary.put("seconds", (System.nanoTime() - t0) / 1e9);
        summary.putAll(results());
        return summary;
    }

    /** Whether this run may write into outDir: refused there when it holds a finished run it may not replace. */
    private boolean mayReplace() {
        if (replace) return true;
        // a scheduler's resubmitted shard finds its own finished state, or replaces another's as before
        if (settings.resume() && settings.shard() != null) return true;
        return settings.resume() && Files.exists(checkpointFile(outDir, command()));
    }

    /** The model's facts, once execute() has opened it. */
    public ModelInfo modelInfo() {
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

    /** The first item to run: range.from(), or where the checkpoint left off under --resume. */
    private int startFrom(Path checkpointFile, String fingerprint, Shard.ItemRange range) {
        if (!Files.exists(checkpointFile)) {
            if (settings.resume() && !settings.quiet()) {
                err.println("tn: no checkpoint in " + outDir + "; starting from the beginning");
            }
            return range.from();
        }
        if (!settings.resume()) {
            throw new InputException(
                    Wording.of("{} holds the checkpoint of an unfinished {} run ({}): pass {resume} to "
                                    + "continue it, or delete it to start over",
                            outDir, command(), checkpointFile.getFileName()));
        }
        Checkpoint cp =
                Checkpoint.read(checkpointFile, fingerprint, range.from(), range.to(), accumulator().sums().length);
        if (cp.count() != cp.next() - range.from()) {
            throw new InputException(checkpointFile + " is damaged (it counts " + cp.count() + " items for "
                    + (cp.next() - range.from()) + " done); delete it to start over");
        }
        try {
            accumulator().restore(cp.sums(), cp.count());
        } catch (IllegalArgumentException e) {
            throw new InputException(checkpointFile + " is damaged (" + e.getMessage() + "); delete it to start over");
        }
        forwardNanos = cp.forwardNanos();
        scoringNanos = cp.scoringNanos();
        if (!settings.quiet()) err.println("tn: resuming after " + (cp.next() - range.from()) + " of " + range.size());
        return cp.next();
    }

    private Map<String, Object> record(
            Instant started, Opened o, Map<String, Object> extra, long totalNanos, List<Path> written) {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("command", command());
        r.put("tool", Map.of("name", "tn", "version", RunRecord.toolVersion()));
        r.put("llama_cpp", model.info().llamaCppVersion());
        r.put("model", RunRecord.model(model.info(), o.modelSha));
        r.put("parameters", o.params);
        Map<String, Object> run = new LinkedHashMap<>();
        run.put("command_line", context.commandLine().isEmpty() ? null : context.commandLine());
        run.put("working_directory", Path.of("").toAbsolutePath().toString());
        run.put("threads", settings.threads());
        run.put("gpu_layers", settings.gpuLayers());
        run.putAll(placement());
        run.put("checkpoint_every_s", settings.checkpointSeconds());
        run.putAll(extra);
        r.put("run", run);
        r.put("dataset", RunRecord.dataset(o.data, o.items));
        r.put("outputs", RunRecord.names(written));
        Map<String, Object> t = new LinkedHashMap<>();
        t.put("started", started.toString());
        t.put("finished", Instant.now().toString());
        t.put("load_s", o.loadNanos / 1e9);
        t.put("forward_s", forwardNanos / 1e9);
        t.put("scoring_s", scoringNanos / 1e9);
        t.putAll(stepTimings());
        t.put("total_s", totalNanos / 1e9);
        boolean carried = extra.get("resumed_from_item") != null || extra.containsKey("merged_from");
        t.put("note",
                carried ? "forward_s and scoring_s include the earlier processes' (interrupted run or shards); "
                                + "load_s and total_s are this process's"
                        : null);
        t.put("peak_rss_bytes", RunRecord.peakRssBytes());
        r.put("timings", t);
        return r;
    }

    /** A shard's folder as its run.json describes it. */
    record ShardFolder(Path dir, Shard shard) {
        /** The folders' shards, sorted by K, checked to be every K of one N exactly once, of command. */
        static List<ShardFolder> readAll(List<Path> dirs, String command) {
            List<ShardFolder> shards = new ArrayList<>();
            for (Path dir : dirs) {
                RunJson json = RunJson.of(dir);
                String c = json.text("command");
                if (!c.equals(command))
                    throw new InputException(json.file() + ": a " + c + " run, not a shard of " + command);
                if (json.optionalText("run.shard.k").isEmpty()) {
                    throw new InputException(Wording.of("{}: not a shard (run.shard is missing): give the folders of "
                                    + "runs made with {shard} K/N",
                            json.file()));
                }
                Shard s;
                try {
                    s = new Shard(json.integer("run.shard.k"), json.integer("run.shard.n"));
                } catch (InvalidValueException e) {
                    throw new InputException(json.file() + ": " + e.getMessage());
                }
                shards.add(new ShardFolder(dir, s));
            }
            shards.sort(Comparator.comparingInt(s -> s.shard().k()));
            int n = shards.get(0).shard().n();
            for (ShardFolder s : shards) {
                if (s.shard().n() != n) {
                    throw new InputException(s.dir() + " is shard " + s.shard() + ", " + shards.get(0).dir() + " shard "
                            + shards.get(0).shard() + ": shards of different splits do not merge");
                }
            }
            for (int i = 0; i < shards.size(); i++) {
                if (i > 0 && shards.get(i).shard().k() == shards.get(i - 1).shard().k()) {
                    throw new InputException("shard " + shards.get(i).shard()
                            + " is given twice: " + shards.get(i - 1).dir() + " and " + shards.get(i).dir());
                }
            }
            if (shards.size() != n) {
                List<Integer> missing = new ArrayList<>();
                for (int k = 1; k <= n; k++) {
                    final int kk = k;
                    if (shards.stream().noneMatch(s -> s.shard().k() == kk)) missing.add(k);
                }
                throw new InputException(
                        "shards " + missing + " of " + n + " are missing; every shard must be given once");
            }
            return shards;
        }
    }
}
