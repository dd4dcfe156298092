package tn.bench;

import tn.cli.Tn;
import tn.compare.Agreement;
import tn.compare.DetectionOutput;
import tn.bridge.TnLibrary;
import tn.method.LastLayer;
import tn.method.TransferType;
import tn.run.CentroidRun;
import tn.run.DetectionRun;
import tn.run.RunContext;
import tn.run.RunInput;
import tn.record.RunJson;
import tn.run.RunSettings;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * scripts/gpu-check's comparisons of the same work on the CPU (no layer offloaded) and on the
 * GPU (every layer offloaded), in one JVM with one libtn (a CUDA build runs on the CPU too), on
 * scripts/bench's synthetic Qwen2.5-0.5B-shaped model:
 * <ul>
 *   <li>detect: Type-1 scores on the GPU against the CPU's, within the fidelity bound (Spearman
 *       at least 0.999, top-50 overlap at least 0.9), with the products run on the GPU;</li>
 *   <li>qa: greedy answers on the GPU against the CPU's: a question may only be answered
 *       differently where the CPU's greedy choice was a near tie (a top-2 logit margin under
 *       {@value #NEAR_TIE}).</li>
 * </ul>
 * Without --gpu, only the CPU side runs and the GPU side is reported SKIPPED. The last line says
 * PASS, FAIL or SKIPPED with the figures; the exit code is 1 on FAIL.
 * <pre>
 *   GpuCheck detect|qa DIR [--gpu]
 * </pre>
 */
public final class GpuCheck {
    static final double MIN_SPEARMAN = 0.999, MIN_TOP50 = 0.9, NEAR_TIE = 0.1;
    static final int SENTENCES = 300;

    public static void main(String[] args) throws Exception {
        if (args.length < 2 || !List.of("detect", "qa").contains(args[0])) {
            System.err.println("usage: GpuCheck detect|qa DIR [--gpu]");
            System.exit(2);
        }
        Path dir = Path.of(args[1]);
        boolean gpu = args.length > 2 && args[2].equals("--gpu");
        if (gpu && TnLibrary.INSTANCE.tn_has_cuda() == 0) {
            System.out.println("FAIL: --gpu, but this libtn was built without CUDA");
            System.exit(1);
        }
        String verdict = args[0].equals("detect") ? detect(dir, gpu) : qa(dir, gpu);
        System.out.println(verdict);
        System.exit(verdict.startsWith("FAIL") ? 1 : 0);
    }

    static RunSettings settings(int gpuLayers) {
        return new RunSettings(0, 32, 512, gpuLayers, LastLayer.NORMED, false, true, false, 600, null);
    }

    static String detect(Path dir, boolean gpu) throws IOException {
        Path model = DetectBenchmark.model(dir);
        Path sentences = DetectBenchmark.sentences(dir, SENTENCES);
        Path centroids =
                DetectBenchmark.centroids(model, dir.resolve("centroids-type1"), TransferType.TYPE1, settings(0));
        Path cpu = detect(model, centroids, sentences, dir.resolve("detect-cpu"), 0);
        if (!gpu) return "SKIPPED: the GPU side (the CPU side ran: " + seconds(cpu) + ")";
        Path onGpu = detect(model, centroids, sentences, dir.resolve("detect-gpu"), -1);
        String where = RunJson.of(onGpu).text("run.scoring_on");
        double[][] scores = candidates(DetectionOutput.read(cpu).scores(), DetectionOutput.read(onGpu).scores());
        Agreement a = Agreement.of(scores[0], scores[1], new int[] {50}, 50);
        double top50 = a.topK().get(0).overlap();
        boolean onDevice = !where.contains("CPU");
        boolean ok = a.spearman() >= MIN_SPEARMAN && top50 >= MIN_TOP50 && onDevice;
        return String.format(Locale.ROOT,
                "%s: Spearman %.6f (>= %s), top-50 overlap %.2f (>= %s), products on %s; "
                        + "CPU %s, GPU %s",
                ok ? "PASS" : "FAIL", a.spearman(), MIN_SPEARMAN, top50, MIN_TOP50, where, seconds(cpu),
                seconds(onGpu));
    }

    static Path detect(Path model, Path centroids, Path sentences, Path out, int gpuLayers) {
        new DetectionRun(new RunContext(model, new RunInput.Sentences(sentences, "ja"), out, settings(gpuLayers),
                                 DetectBenchmark.SILENT),
                new DetectionRun.Params(TransferType.TYPE1, 1000, centroids, null, false))
                .replace(true) // the benchmark owns its folders: a rerun replaces them
                .execute();
        return out;
    }

    /** The scores of the candidate neurons (those not NaN in both), as the two rankings' inputs. */
    static double[][] candidates(double[] a, double[] b) {
        List<double[]> pairs = new ArrayList<>();
        for (int i = 0; i < a.length; i++) {
            if (!Double.isNaN(a[i]) && !Double.isNaN(b[i])) pairs.add(new double[] {a[i], b[i]});
        }
        double[][] out = new double[2][pairs.size()];
        for (int i = 0; i < pairs.size(); i++) {
            out[0][i] = pairs.get(i)[0];
            out[1][i] = pairs.get(i)[1];
        }
        return out;
    }

    static String seconds(Path run) {
        RunJson r = RunJson.of(run);
        return String.format(Locale.ROOT, "forward %.1f s + scoring %.1f s", r.number("timings.forward_s"),
                r.number("timings.scoring_s"));
    }

    static String qa(Path dir, boolean gpu) throws IOException {
        Path model = DetectBenchmark.model(dir);
        Path questions = AnalysisBenchmark.questions(dir, DetectBenchmark.sentences(dir, SENTENCES));
        List<String[]> cpu = qa(model, questions, dir.resolve("qa-cpu"), 0);
        if (!gpu) return "SKIPPED: the GPU side (the CPU side answered " + cpu.size() + " questions)";
        List<String[]> onGpu = qa(model, questions, dir.resolve("qa-gpu"), -1);
        int same = 0, unexplained = 0;
        StringBuilder differing = new StringBuilder();
        for (int k = 0; k < cpu.size(); k++) {
            if (cpu.get(k)[0].equals(onGpu.get(k)[0])) {
                same++;
                continue;
            }
            double margin = Double.parseDouble(cpu.get(k)[1]);
            if (margin >= NEAR_TIE) unexplained++;
            differing.append(String.format(Locale.ROOT, " q%d (CPU margin %.3g)", k + 1, margin));
        }
        return String.format(Locale.ROOT, "%s: %d of %d generations identical%s", unexplained == 0 ? "PASS" : "FAIL",
                same, cpu.size(), differing.length() > 0 ? "; differing:" + differing : "");
    }

    /** Per question, its generated text and smallest top-2 margin, from a qa run at gpuLayers. */
    static List<String[]> qa(Path model, Path questions, Path out, int gpuLayers) throws IOException {
        int rc = Tn.commandLine().execute("qa", "--model", model.toString(), "--questions", questions.toString(),
                "--lang", "ja", "--max-new-tokens", "20", "--out", out.toString(), "--gpu-layers",
                String.valueOf(gpuLayers), "--quiet");
        if (rc != 0)
            throw new IllegalStateException("tn qa with --gpu-layers " + gpuLayers + " failed (exit " + rc + ")");
        List<String> lines = Files.readAllLines(out.resolve("answers.tsv"));
        List<String> header = List.of(lines.get(0).split("\t", -1));
        int generated = header.indexOf("generated"), margin = header.indexOf("min_top2_margin");
        List<String[]> rows = new ArrayList<>();
        for (String line : lines.subList(1, lines.size())) {
            String[] cells = line.split("\t", -1);
            rows.add(new String[] {cells[generated], cells[margin]});
        }
        return rows;
    }
}
