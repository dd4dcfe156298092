package tn.run;

import tn.record.RunJson;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import tn.analysis.NeuronSet;
import tn.analysis.SeedInterval;
import tn.io.InvalidValueException;
import tn.io.Json;
import tn.io.Wording;
import tn.plot.MknnPlot;
import tn.plot.ReasoningPlot;
import tn.plot.SimilarityPlot;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.IntStream;

/**
 * A deactivation analysis with a random baseline, repeated with R seeds (S, S+1, ..., S+R-1): each
 * seed's run is a whole run of its own in OUT/seeds/SEED (checkpoints, --resume; a seed whose folder
 * holds it finished is kept, not run again), and OUT gets their aggregate: the analysis's own
 * tables with every number the mean over the seeds and each headline figure's 95% interval across
 * them ({@link SeedAverages}, {@link SeedInterval}), its plots drawn from the means with the
 * interval as a band, and a run.json of the whole. The neurons each seed switched off stay in its
 * own folder (seeds/SEED/deactivated.tsv).
 */
public final class BaselineSeeds {
    /** The most seeds a run repeats its baseline with. */
    public static final int MAX = 100;

    /** Builds the run of one seed, writing into dir. */
    public interface SeedRun {
        Run of(long seed, Path dir);
    }

    private final RunContext context;
    private final List<Long> seeds;
    private final SeedRun runs;
    private final PrintWriter out;

    /**
     * @param context the whole run's: its --out, settings, console and command line
     * @param seeds   2..MAX seeds
     * @param runs    the run of each seed
     */
    public BaselineSeeds(RunContext context, List<Long> seeds, SeedRun runs) {
        if (seeds.size() < 2 || seeds.size() > MAX)
            throw new IllegalArgumentException("2.." + MAX + " seeds, not " + seeds.size());
        if (context.settings().shard() != null) {
            throw new InvalidValueException(Wording.of("{baseline_seeds} {} runs {} whole runs, one per seed, and is "
                            + "not sharded as one: shard each seed's run instead ({seed} S {out} {} with {shard} K/N, "
                            + "tn merge into that folder), then run this command without {shard}: it keeps the seeds "
                            + "that finished and writes their aggregate",
                    seeds.size(), seeds.size(), context.outDir().resolve("seeds").resolve("S")));
        }
        this.context = context;
        this.seeds = List.copyOf(seeds);
        this.runs = runs;
        this.out = context.console().out();
    }

    /** The folder of one seed's run inside the whole run's out. */
    public static Path dir(Path out, long seed) {
        return out.resolve("seeds").resolve(Long.toString(seed));
    }

    /** Runs (or keeps) every seed's run, then writes the aggregate; returns its files, run.json last. */
    public List<Path> execute() {
        Instant started = Instant.now();
        long t0 = System.nanoTime();
        boolean quiet = context.settings().quiet();
        List<Path> dirs = new ArrayList<>();
        List<Map<String, Object>> seedRuns = new ArrayList<>();
        String command = null;
        for (int i = 0; i < seeds.size(); i++) {
            long seed = seeds.get(i);
            Path dir = dir(context.outDir(), seed);
            if (!quiet) out.printf("baseline %d of %d: seed %d, in %s%n", i + 1, seeds.size(), seed, dir);
            Run run = runs.of(seed, dir);
            boolean ran = run.executeUnlessFinished();
            command = run.command();
            dirs.add(dir);
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("seed", seed);
            r.put("dir", context.outDir().relativize(dir).toString());
            r.put("ran_this_process", ran);
            seedRuns.add(r);
        }
        RunJson first = RunJson.of(dirs.get(0));
        Map<String, Object> params = parameters(dirs);
        try (OutputFolder folder = OutputFolder.open(context.outDir())) {
            List<Path> staged = new ArrayList<>(aggregate(command, dirs, folder.staging(), first));
            Path runJson = folder.staging().resolve("run.json");
            staged.add(runJson);
            String ran = command;
            List<Path> written = folder.publish(
                    staged, runJson, f -> Json.write(f, record(ran, first, params, seedRuns, staged, started, t0)));
            if (!quiet) {
                out.printf("%s: %d baselines (seeds %d..%d), %.1f s; wrote %s in %s%n", command, seeds.size(),
                        seeds.get(0), seeds.get(seeds.size() - 1), (System.nanoTime() - t0) / 1e9,
                        String.join(", ", RunRecord.names(written)), context.outDir());
                out.flush();
            }
            return written;
        }
    }

    /**
     * The aggregate's parameters: those every seed's run shares, in the first run's order, with
     * baseline_seeds where the seed was and the neurons off named for all seeds at once; the
     * neurons each seed switched off are in its own run.json.
     */
    private Map<String, Object> parameters(List<Path> dirs) {
        List<JsonObject> each = new ArrayList<>();
        for (Path d : dirs) each.add(RunJson.of(d).tree().getAsJsonObject("parameters"));
        Map<String, Object> p = new LinkedHashMap<>();
        for (String key : each.get(0).keySet()) {
            List<JsonElement> values = each.stream().map(o -> o.get(key)).toList();
            if (key.equals("seed")) {
                p.put("baseline_seeds", seeds);
            } else if (values.stream().distinct().count() == 1) {
                p.put(key, values.get(0));
            } else if (key.equals("deactivated")) {
                List<String> origins = values.stream().map(JsonElement::getAsString).toList();
                p.put(key, NeuronSet.originOfSeeds(origins, seeds).orElse(String.join("; ", origins)));
            }
        }
        return p;
    }

    /** What every aggregate's plots say of the runs. */
    private record Subject(List<Path> dirs, Path into, String lang, String model, int off, String origin) {
        /** The seeds' output files called name. */
        List<Path> files(String name) {
            return dirs.stream().map(d -> d.resolve(name)).toList();
        }
    }

    /** Writes the aggregate of command's outputs into dir; returns the files. */
    private List<Path> aggregate(String command, List<Path> dirs, Path dir, RunJson first) {
        // the plots name the seeds, not the whole origin, which would not fit a title
        Subject s = new Subject(dirs, dir, first.text("parameters.lang"),
                Path.of(first.text("model.path")).getFileName().toString(),
                first.integer("parameters.deactivated_count"),
                "random, seeds " + seeds.get(0) + ".." + seeds.get(seeds.size() - 1));
        return switch (command) {
            case "similarity" -> similarity(s);
            case "mknn" -> mknn(s, first.integer("parameters.k"));
            case "qa" -> List.of(summary(s, "qa.json", "mean_f1", "exact_match"));
            case "reasoning" -> reasoning(s);
            default -> throw new IllegalArgumentException("tn " + command + " has no baseline to repeat");
        };
    }

    private List<Path> similarity(Subject s) {
        SeedAverages.Table t = SeedAverages.table(s.files("similarity.csv"), ",", Set.of("layer", "kind"),
                List.of("parallel_mean", "nonparallel_mean"));
        Path csv = s.into().resolve("similarity.csv");
        t.write(csv, ",");
        String subject = s.model() + ", en-" + s.lang() + ", " + t.texts("parallel_pairs").get(0) + " pairs, "
                + s.off() + " neurons off on the " + s.lang() + " side (" + s.origin() + ")";
        String yAxis = "cosine similarity (mean of " + seeds.size() + " baselines, band: 95% interval)";
        Path hidden = s.into().resolve("hidden_similarity.png");
        Path activation = s.into().resolve("activation_similarity.png");
        SimilarityPlot.write(hidden, SimilarityRun.hiddenTitle(s.lang()) + ": " + subject, yAxis,
                curve(t, "hidden", "parallel_mean"), curve(t, "hidden", "nonparallel_mean"));
        SimilarityPlot.write(activation, SimilarityRun.activationTitle(s.lang()) + ": " + subject, yAxis,
                curve(t, "activation", "parallel_mean"), curve(t, "activation", "nonparallel_mean"));
        return List.of(csv, hidden, activation);
    }

    private List<Path> mknn(Subject s, int k) {
        SeedAverages.Table t = SeedAverages.table(s.files("mknn.csv"), ",", Set.of("layer"), List.of("score"));
        Path csv = s.into().resolve("mknn.csv");
        t.write(csv, ",");
        Path png = s.into().resolve("mknn.png");
        MknnPlot.write(png, s.lang(), k, s.model(), s.off(), s.origin(), t.column("score"),
                t.column(SeedAverages.low("score")), t.column(SeedAverages.high("score")));
        return List.of(csv, png);
    }

    private List<Path> reasoning(Subject s) {
        Path tsv = s.into().resolve("accuracy.tsv");
        SeedAverages.table(s.files("accuracy.tsv"), "\t", Set.of("subject"), List.of("accuracy")).write(tsv, "\t");
        Path json = summary(s, "accuracy.json", "accuracy");
        JsonObject accuracy = RunJson.read(json).tree();
        Map<String, Double> bySubject = new LinkedHashMap<>();
        JsonObject subjects = accuracy.getAsJsonObject("subjects");
        for (String subject : subjects.keySet())
            bySubject.put(subject, subjects.getAsJsonObject(subject).get("accuracy").getAsDouble());
        bySubject.put("total", accuracy.getAsJsonObject("total").get("accuracy").getAsDouble());
        Path png = s.into().resolve("accuracy.png");
        ReasoningPlot.write(png, "MMLU-ProX " + s.lang() + ": accuracy per subject, mean of " + seeds.size()
                        + " baselines",
                List.of(new ReasoningPlot.Series("baseline (" + s.origin() + "), mean", bySubject)));
        return List.of(tsv, json, png);
    }

    /** A JSON summary of the runs (qa.json, accuracy.json) averaged, with the intervals of the fields named. */
    private Path summary(Subject s, String name, String... intervals) {
        JsonObject summary = SeedAverages.json(s.files(name), Set.of(intervals), seeds);
        JsonArray list = new JsonArray();
        seeds.forEach(list::add);
        summary.add("baseline_seeds", list);
        Path file = s.into().resolve(name);
        Json.write(file, summary);
        return file;
    }

    /** The mean and interval of column over the rows of kind (hidden states or activations), layer by layer. */
    private static SimilarityPlot.Curve curve(SeedAverages.Table t, String kind, String column) {
        List<String> kinds = t.texts("kind");
        double[][] cols = {t.column(column), t.column(SeedAverages.low(column)), t.column(SeedAverages.high(column))};
        double[][] of = new double[3][];
        for (int c = 0; c < 3; c++) {
            double[] all = cols[c];
            of[c] = IntStream.range(0, all.length)
                            .filter(i -> kinds.get(i).equals(kind))
                            .mapToDouble(i -> all[i])
                            .toArray();
        }
        return new SimilarityPlot.Curve(of[0], of[1], of[2]);
    }

    private Map<String, Object> record(String command, RunJson first, Map<String, Object> params,
            List<Map<String, Object>> seedRuns, List<Path> written, Instant started, long t0) {
        JsonObject one = first.tree();
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("command", command);
        r.put("tool", Map.of("name", "tn", "version", RunRecord.toolVersion()));
        r.put("llama_cpp", one.get("llama_cpp"));
        r.put("model", one.get("model"));
        r.put("parameters", params);
        Map<String, Object> run = new LinkedHashMap<>();
        run.put("command_line", context.commandLine().isEmpty() ? null : context.commandLine());
        run.put("working_directory", Path.of("").toAbsolutePath().toString());
        run.put("aggregate",
                "the mean over the seeds' runs of every number; X_ci_low and X_ci_high: the "
                        + (int) Math.round(SeedInterval.CONFIDENCE * 100)
                        + "% interval of the mean X across the seeds, Student t with " + (seeds.size() - 1)
                        + " degrees of freedom");
        run.put("seed_runs", seedRuns);
        r.put("run", run);
        r.put("dataset", one.get("dataset"));
        r.put("outputs", RunRecord.names(written));
        Map<String, Object> t = new LinkedHashMap<>();
        t.put("started", started.toString());
        t.put("finished", Instant.now().toString());
        t.put("total_s", (System.nanoTime() - t0) / 1e9);
        t.put("note", "this process's time, seeds kept from earlier runs not included; each seed's run.json has "
                        + "its own");
        t.put("peak_rss_bytes", RunRecord.peakRssBytes());
        r.put("timings", t);
        return r;
    }
}
