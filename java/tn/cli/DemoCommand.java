package tn.cli;

import java.io.PrintWriter;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Mixin;
import tn.io.Console;
import tn.run.RunContext;
import tn.run.RunInput;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import tn.io.AtomicFile;
import tn.llama.ModelInfo;
import tn.llama.SessionOptions;
import tn.method.Ranking;
import tn.method.TransferType;
import tn.model.FileType;
import tn.model.SyntheticModel;
import tn.model.Vocabulary;
import tn.report.Report;
import tn.run.CentroidRun;
import tn.run.DetectionRun;
import tn.run.RunSettings;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * The main job on an embedded default: a synthetic model (or --model) and the shipped sample
 * dataset, through the whole pipeline: Type-1 and Type-2 centroids, then detection, for ja, nl,
 * ko and it; prints the top neurons and where everything was written.
 */
@Command(name = "demo", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Runs the whole method on a small synthetic model and the shipped sample dataset.", "",
                "For each of ja, nl, ko and it: Type-1 centroids from 60 en/L2 pairs, Type-2 centroids from 40 L2 "
                        + "sentences, then detection of both types on the L2 sentences. Prints the top neurons per "
                        + "language and type, and where the centroids, scores, rankings, pickles and run records are, and puts them all on one HTML page, report.html.",
                "",
                "A synthetic model has random weights, so it has no real transfer neurons: the demo shows the "
                        + "pipeline, not a finding. Give --model a real GGUF for that."})
final class DemoCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    static final List<String> LANGS = List.of("ja", "nl", "ko", "it");
    static final List<String> DATA = List.of("en-ja.tsv", "en-nl.tsv", "en-ko.tsv", "en-it.tsv", "ja.txt", "nl.txt",
            "ko.txt", "it.txt", "en.txt", "README.md");
    static final int TOP_N = 100;
    static final int SHOWN = 5;

    @Option(names = "--model", paramLabel = "M.gguf", description = "A GGUF model to use instead of the synthetic one.")
    Path model;

    @Option(names = "--out", paramLabel = "DIR",
            description =
                    "Where the synthetic model, the sample data and the results go (default: build/demo in tn's folder).")
    Path out;

    @Mixin
    ThreadsOption threads;

    @Override
    public Integer call() {
        SessionOptions.checkThreads(threads.threads); // before anything is made
        Path dir = out != null ? out : Path.of(System.getProperty("tn.home", "."), "build", "demo");
        Console console = Cli.console(spec);
        PrintWriter stdout = console.out();
        Path modelPath = model != null ? model : synthesize(dir, stdout);
        Path data = unpackData(dir.resolve("data"));
        RunSettings settings = RunSettings.defaults().withThreads(threads.threads);
        Console quiet = new Console(Console.silent().out(), console.err(), false, console.names());
        stdout.println("model: " + modelPath.toAbsolutePath());
        stdout.println("data:  " + data.toAbsolutePath());
        stdout.println();
        stdout.printf(
                "%-4s %-6s  top %d neurons by mean transfer score: (layer, neuron) score%n", "lang", "type", SHOWN);
        ModelInfo info = null;
        long t0 = System.nanoTime();
        int step = 0, steps = LANGS.size() * TransferType.values().length * 2;
        for (String lang : LANGS) {
            for (TransferType type : TransferType.values()) {
                Path base = dir.resolve("results").resolve(lang).resolve(type.id());
                Path centroidData = data.resolve(type == TransferType.TYPE1 ? "en-" + lang + ".tsv" : lang + ".txt");
                RunInput centroidInput = type == TransferType.TYPE1 ? new RunInput.Pairs(centroidData, lang)
                                                                    : new RunInput.Sentences(centroidData, lang);
                CentroidRun centroids = new CentroidRun(
                        new RunContext(modelPath, centroidInput, base.resolve("centroids"), settings, quiet), type);
                progress(console, ++step, steps, lang + "-" + type.id() + "-centroids");
                centroids.replace(true).execute(); // the demo's own folder: a rerun replaces its results
                DetectionRun detect = new DetectionRun(
                        new RunContext(modelPath, new RunInput.Sentences(data.resolve(lang + ".txt"), lang),
                                base.resolve("detect"), settings, quiet),
                        new DetectionRun.Params(
                                type, TOP_N, base.resolve("centroids").resolve("centroids.npy"), null, true));
                progress(console, ++step, steps, lang + "-" + type.id() + "-detect");
                detect.replace(true).execute();
                info = centroids.modelInfo();
                stdout.printf("%-4s %-6s %s%n", lang, type.id(), top(detect.ranking()));
            }
        }
        stdout.printf("%n%d runs in %.1f s on %s%n", LANGS.size() * 4, (System.nanoTime() - t0) / 1e9, info.summary());
        stdout.println("candidate layers: type1 " + TransferType.TYPE1.candidateLayers(info.nLayer()) + ", type2 "
                + TransferType.TYPE2.candidateLayers(info.nLayer()) + " (0-based, end exclusive)");
        stdout.println("results: " + dir.resolve("results").toAbsolutePath()
                + "/<lang>/<type>/{centroids/centroids.npy, detect/scores.npy, detect/ranking.tsv, "
                + "detect/<lang>_<type>_top" + TOP_N + ".pkl, detect/<lang>_<type>_top" + TOP_N
                + "_score_dict.pkl, run.json}");
        Path page = dir.resolve("report.html");
        Report report = new Report("tn demo: transfer neurons of " + modelPath.getFileName(), 20);
        for (String lang : LANGS) report.add(dir.resolve("results").resolve(lang), lang);
        report.write(page, Instant.now());
        stdout.println("report:  " + page.toAbsolutePath() + " (every run's rankings and provenance on one page)");
        if (model == null) {
            stdout.println();
            stdout.println("This is a synthetic model with random weights: it has no shared semantic space and no "
                    + "real transfer neurons, so these rankings show that the pipeline runs, not a finding. Run "
                    + "'tn demo --model <real.gguf>' or the README's commands on a real model for that.");
        }
        return 0;
    }

    /** "[3/16] ja-type2-centroids ...", as a study's steps are shown. */
    private static void progress(Console console, int step, int steps, String name) {
        console.err().printf("[%d/%d] %s ...%n", step, steps, name);
        console.err().flush();
    }

    private static String top(Ranking ranking) {
        StringBuilder s = new StringBuilder();
        for (int k = 0; k < SHOWN; k++) {
            s.append(String.format(" (%d, %d) %.4f", ranking.neurons().get(k).layer(), ranking.neurons().get(k).index(),
                    ranking.scores()[k]));
        }
        return s.toString();
    }

    private static Path synthesize(Path dir, PrintWriter out) {
        Path file = dir.resolve("tn-demo-L8-d128.gguf");
        if (!Files.isRegularFile(file)) {
            new SyntheticModel(8, 128, 384, 4, 2, Vocabulary.LLAMA_SPM, 1, FileType.F32).write(file);
            out.println("synthesized " + file);
        }
        return file;
    }

    /** Copies the sample dataset out of tn's jar, so that users can see and reuse the files. */
    private static Path unpackData(Path dir) {
        for (String name : DATA) {
            try (InputStream in = DemoCommand.class.getResourceAsStream("/tn/demo/" + name);
                    AtomicFile target = AtomicFile.create(dir.resolve(name))) {
                if (in == null) throw new IllegalStateException("tn's jar lacks the demo file " + name);
                Files.copy(in, target.temporary(), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                target.commit();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write " + dir.resolve(name) + ": " + e.getMessage(), e);
            }
        }
        return dir;
    }
}
