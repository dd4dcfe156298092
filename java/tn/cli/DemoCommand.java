package tn.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import tn.llama.Capture;
import tn.llama.CaptureSpec;
import tn.llama.Kind;
import tn.llama.Model;
import tn.llama.ModelInfo;
import tn.llama.Session;
import tn.llama.SessionOptions;
import tn.model.FileType;
import tn.model.SyntheticModel;
import tn.model.Vocabulary;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * The main job on an embedded default, until detection lands: synthesize a model, run English
 * sentences and their translations through it with capture, and summarise per layer what the
 * transfer-neuron method reads (hidden states h_l, MLP activations a_l at the last token).
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = {"Runs sentences through a synthetic model (or --model) with capture; prints a summary.",
                "",
                "Synthesizes a small model unless --model is given, runs English sentences and their Japanese, "
                + "Korean, Dutch and Italian translations through llama.cpp, capturing the last-token hidden "
                + "states and MLP activations of every layer, and prints per layer how similar the English and "
                + "translated hidden states are, their size, and how many MLP neurons fire."})
final class DemoCommand implements Callable<Integer> {

    @Option(names = "--model", description = "A GGUF model to use instead of the synthetic one.")
    Path model;
    @Option(names = "--out", description = "Where the synthetic model is kept (default: build/demo in tn's folder).")
    Path out;
    @Option(names = "--threads", defaultValue = "0", description = "CPU threads; 0 uses every core (default).")
    int threads;

    /** A handful of simple sentences and their translations: en, ja, ko, nl, it. */
    static final String[][] SENTENCES = {
        {"The cat is sleeping on the sofa.", "猫がソファの上で寝ています。", "고양이가 소파 위에서 자고 있어요.",
            "De kat slaapt op de bank.", "Il gatto dorme sul divano."},
        {"I drink coffee every morning.", "私は毎朝コーヒーを飲みます。", "저는 매일 아침 커피를 마셔요.",
            "Ik drink elke ochtend koffie.", "Bevo il caffè ogni mattina."},
        {"It is raining today.", "今日は雨が降っています。", "오늘은 비가 와요.",
            "Het regent vandaag.", "Oggi piove."},
        {"Where is the station?", "駅はどこですか？", "역이 어디에 있어요?",
            "Waar is het station?", "Dov'è la stazione?"},
        {"My brother lives in Tokyo.", "兄は東京に住んでいます。", "제 형은 도쿄에 살아요.",
            "Mijn broer woont in Tokio.", "Mio fratello vive a Tokyo."},
        {"This book is very interesting.", "この本はとても面白いです。", "이 책은 아주 재미있어요.",
            "Dit boek is erg interessant.", "Questo libro è molto interessante."},
    };
    static final String[] LANGS = {"en", "ja", "ko", "nl", "it"};

    @Override
    public Integer call() {
        Path modelPath = model != null ? model : synthesize();
        try (Model m = Model.open(modelPath);
             Session session = m.newSession(SessionOptions.defaults().withThreads(threads))) {
            ModelInfo info = m.info();
            System.out.println("model: " + info.summary() + ", " + FileType.nameOf(info.fileType()));
            System.out.println("file: " + modelPath.toAbsolutePath());
            System.out.println("running on " + info.llamaCppVersion());

            CaptureSpec spec = CaptureSpec.lastToken()
                    .allLayers(Kind.L_OUT, info.nLayer())
                    .allLayers(Kind.ACTIVATION, info.nLayer())
                    .add(Kind.RESULT_NORM)
                    .build();
            Map<String, Capture> byLang = new LinkedHashMap<>();
            long t0 = System.nanoTime();
            int tokens = 0;
            for (int lang = 0; lang < LANGS.length; lang++) {
                List<int[]> ids = new ArrayList<>();
                for (String[] row : SENTENCES) ids.add(m.tokenize(row[lang]));
                tokens += ids.stream().mapToInt(a -> a.length).sum();
                byLang.put(LANGS[lang], session.run(ids, spec));
            }
            double seconds = (System.nanoTime() - t0) / 1e9;
            System.out.printf("ran %d sentences (%d tokens) in %.2f s, capturing %d tensors per sentence%n%n",
                    SENTENCES.length * LANGS.length, tokens, seconds, spec.slots().size());
            printTable(info, byLang);
            System.out.println();
            System.out.println("h_l is the last token's hidden state after layer l (the last layer after the final norm, "
                    + "as the paper's reference does); cos(en, XX) is its mean cosine between each English sentence "
                    + "and its translation; 'fire' is the share of MLP neurons with a positive activation.");
            if (model == null) {
                System.out.println("This is a synthetic model with random weights: it has no shared semantic space and "
                        + "no real transfer neurons. Give --model a real GGUF to see them.");
            }
        }
        return 0;
    }

    private Path synthesize() {
        Path dir = out != null ? out : Path.of(System.getProperty("tn.home", "."), "build", "demo");
        Path file = dir.resolve("tn-demo-L6-d128.gguf");
        if (!Files.isRegularFile(file)) {
            SyntheticModel spec = new SyntheticModel(6, 128, 384, 4, 2, Vocabulary.LLAMA_SPM, 1, FileType.F32);
            spec.write(file);
            System.out.println("synthesized " + file);
        }
        return file;
    }

    private static void printTable(ModelInfo info, Map<String, Capture> byLang) {
        StringBuilder head = new StringBuilder(String.format("%5s %8s", "layer", "|h| en"));
        for (int lang = 1; lang < LANGS.length; lang++) head.append(String.format(" %10s", "cos(en," + LANGS[lang] + ")"));
        head.append(String.format(" %8s", "fire en"));
        System.out.println(head);
        Capture en = byLang.get("en");
        for (int l = 0; l < info.nLayer(); l++) {
            StringBuilder row = new StringBuilder(String.format("%5d %8.2f", l, meanNorm(hidden(en, l, info))));
            for (int lang = 1; lang < LANGS.length; lang++) {
                row.append(String.format(" %10.3f", meanCosine(hidden(en, l, info), hidden(byLang.get(LANGS[lang]), l, info))));
            }
            row.append(String.format(" %8.3f", firingShare(en.matrix(Kind.ACTIVATION, l))));
            System.out.println(row);
        }
    }

    /** h_l per sentence as METHOD.md defines it: l_out, and result_norm for the last layer. */
    private static float[][] hidden(Capture c, int layer, ModelInfo info) {
        Kind kind = layer == info.nLayer() - 1 ? Kind.RESULT_NORM : Kind.L_OUT;
        float[][] h = new float[c.sentences()][];
        for (int s = 0; s < h.length; s++) h[s] = c.lastToken(kind, layer, s);
        return h;
    }

    private static double meanNorm(float[][] h) {
        double sum = 0;
        for (float[] v : h) sum += Math.sqrt(dot(v, v));
        return sum / h.length;
    }

    private static double meanCosine(float[][] a, float[][] b) {
        double sum = 0;
        for (int s = 0; s < a.length; s++) sum += dot(a[s], b[s]) / Math.sqrt(dot(a[s], a[s]) * dot(b[s], b[s]));
        return sum / a.length;
    }

    private static double firingShare(float[] activations) {
        int positive = 0;
        for (float a : activations) if (a > 0) positive++;
        return positive / (double) activations.length;
    }

    private static double dot(float[] a, float[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) s += (double) a[i] * b[i];
        return s;
    }
}
