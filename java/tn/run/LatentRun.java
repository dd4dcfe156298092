package tn.run;

import tn.io.InvalidValueException;
import tn.analysis.CentroidSimilarity;
import tn.analysis.EffectiveDimensionality;
import tn.plot.LatentPlots;
import tn.analysis.LatentSums;
import tn.analysis.NeuronSet;
import tn.analysis.Pca;
import tn.data.Dataset;
import tn.data.Shuffle;
import tn.io.AtomicFile;
import tn.llama.Capture;
import tn.llama.CaptureSpec;
import tn.llama.Deactivation;
import tn.llama.Kind;
import tn.llama.Neuron;
import tn.llama.Positions;
import tn.llama.Session;
import tn.method.Accumulator;
import tn.method.HiddenStates;
import tn.plot.Png;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeSet;
import java.util.stream.IntStream;

/**
 * {@code tn latent}: the language latent spaces (docs/method.md, language latent spaces). Per
 * layer (0 the embedding output, l = 1..L the output of model layer l-1, the last after the final
 * norm under --last-layer normed), the centroid of each language's last-token hidden states, the
 * cosine similarities between them, a 2-D PCA of the states (every sentence by default, as the
 * original), and each language's effective dimensionality (the original's svd.py: the singular
 * components of its uncentred states that explain 90, 95 and 99% of the variance); optionally with
 * each language's own neurons switched off at the last token (English never, as the original).
 * One forward pass per sentence captures every layer.
 */
public final class LatentRun extends Run {
    private final List<String> langs;
    private final Params params;

    private HiddenStates states;
    private CaptureSpec spec;
    private List<NeuronSet> neurons; // per language, what is switched off
    private Deactivation[] off; // per language
    private LatentSums sums;
    private int[] pcaRowOfItem; // per item, its row in the PCA sample or -1
    private int[] pcaLang; // per PCA row, the language's index
    private int[] pcaSentence; // per PCA row, the sentence's index among its language's used sentences

    /**
     * @param off        per language, the neurons switched off at its sentences' last token; a
     *                   language without an entry runs with nothing off
     * @param pcaPerLang sentences per language in the PCA sample (and the effective dimensionality),
     *                   or null for every sentence
     * @param seed       the sample's seed (and the baseline's)
     */
    public record Params(Map<String, NeuronSet.Choice> off, Integer pcaPerLang, long seed) {
        public Params {
            if (pcaPerLang != null && pcaPerLang < 2) {
                throw new InvalidValueException("{pca_sentences} must be at least 2, is {}", pcaPerLang);
            }
            off = Collections.unmodifiableMap(new LinkedHashMap<>(off));
        }
    }

    /** Over context's input, one sentence file per language, in the order of tables and plots. */
    public LatentRun(RunContext context, Params params) {
        super(context);
        this.langs = languages(context).langs();
        for (String lang : params.off().keySet()) {
            if (!langs.contains(lang))
                throw new InvalidValueException("'{}' is not among the {sentences} languages {}", lang, langs);
        }
        this.params = params;
    }

    @Override
    protected String command() {
        return "latent";
    }

    @Override
    protected Items prepare(List<Dataset> data) {
        int nLayer = model.info().nLayer();
        states = new HiddenStates(nLayer, settings.lastLayer());
        spec = states.captureSpecBuilder().add(Kind.EMBEDDING).build();
        neurons = new ArrayList<>();
        off = new Deactivation[langs.size()];
        for (int g = 0; g < langs.size(); g++) {
            NeuronSet set = params.off()
                                    .getOrDefault(langs.get(g), NeuronSet.Choice.none())
                                    .resolve(nLayer, model.info().nFf());
            neurons.add(set);
            off[g] = set.deactivation(Positions.LAST_TOKEN);
        }
        Items items = Items.monolingual(model, data, settings.contextSize(), settings.strict(), err);
        choosePcaSample(items);
        sums = new LatentSums(nLayer + 1, langs.size(), model.info().nEmbd(), pcaLang.length);
        return items;
    }

    /** Up to pcaPerLang items of each language (all of them without), drawn with the seed, kept in item order. */
    private void choosePcaSample(Items items) {
        pcaRowOfItem = new int[items.size()];
        Arrays.fill(pcaRowOfItem, -1);
        List<Integer> rowsLang = new ArrayList<>(), rowsSentence = new ArrayList<>();
        SplittableRandom random = new SplittableRandom(params.seed());
        for (int g = 0; g < langs.size(); g++) {
            List<Integer> own = new ArrayList<>();
            for (int k = 0; k < items.size(); k++)
                if (items.group(k) == g) own.add(k);
            int[] order = Shuffle.order(own.size(), random);
            var chosen = new HashSet<Integer>();
            int take = params.pcaPerLang() == null ? order.length : Math.min(params.pcaPerLang(), order.length);
            for (int i = 0; i < take; i++) chosen.add(own.get(order[i]));
            for (int s = 0; s < own.size(); s++) {
                if (!chosen.contains(own.get(s))) continue;
                pcaRowOfItem[own.get(s)] = rowsLang.size();
                rowsLang.add(g);
                rowsSentence.add(s);
            }
        }
        pcaLang = rowsLang.stream().mapToInt(Integer::intValue).toArray();
        pcaSentence = rowsSentence.stream().mapToInt(Integer::intValue).toArray();
    }

    @Override
    protected Map<String, Object> parameters() {
        Map<String, Object> p = new LinkedHashMap<>(); // ordered: part of the checkpoint's fingerprint
        p.put("langs", langs);
        Map<String, Object> byLang = new LinkedHashMap<>();
        for (int g = 0; g < langs.size(); g++) byLang.put(langs.get(g), neurons.get(g).parameters());
        p.put("deactivated_by_lang", byLang);
        p.put("pca_sentences_per_lang", params.pcaPerLang() == null ? "all" : params.pcaPerLang());
        p.put("seed", params.seed());
        return p;
    }

    /** A batch in runs of one language, each run with its language's neurons off. */
    @Override
    protected void process(Session session, Items items, int from, int to) {
        for (int start = from, end; start < to; start = end) {
            int g = items.group(start);
            end = start;
            while (end < to && items.group(end) == g) end++;
            Capture c = forward(session, items.first(start, end), spec, off[g]);
            int first = start, stop = end;
            score(() -> {
                int layers = model.info().nLayer() + 1;
                float[][] m = new float[layers][];
                m[0] = c.matrix(Kind.EMBEDDING);
                for (int l = 1; l < layers; l++) m[l] = states.at(c, l - 1);
                int width = model.info().nEmbd();
                for (int k = first; k < stop; k++) sums.add(g, m, (k - first) * width, pcaRowOfItem[k]);
            });
        }
    }

    @Override
    protected Accumulator accumulator() {
        return sums;
    }

    @Override
    protected List<Path> writeOutputs(Path dir) {
        String modelName = String.valueOf(modelPath.getFileName());
        String deactivated = describeOff();
        int layers = model.info().nLayer() + 1;
        int digits = Math.max(2, String.valueOf(layers - 1).length());
        StringBuilder similarity = new StringBuilder("layer,lang_a,lang_b,cosine\n");
        StringBuilder pcaCsv = new StringBuilder("layer,lang,sentence,pc1,pc2\n");
        List<Path> written = new ArrayList<>();
        // each layer's PCA is an independent decomposition of seconds (single-threaded): layers in parallel
        Pca[] pcas = IntStream.range(0, layers)
                             .parallel()
                             .mapToObj(l -> Pca.of(sums.pcaStates(l), pcaLang.length, model.info().nEmbd(), 2))
                             .toArray(Pca[] ::new);
        for (int l = 0; l < layers; l++) {
            double[][] cos = CentroidSimilarity.of(sums.centroids(l));
            for (int a = 0; a < langs.size(); a++) {
                for (int b = 0; b < langs.size(); b++) {
                    similarity.append(
                            String.format(Locale.ROOT, "%d,%s,%s,%s\n", l, langs.get(a), langs.get(b), cos[a][b]));
                }
            }
            String nn = String.format("%0" + digits + "d", l);
            Path heatmap = dir.resolve("heatmap-layer" + nn + ".png");
            Png.write(LatentPlots.heatmap(langs, cos,
                              "Cosine similarity of language centroids, " + LatentPlots.layerName(l, layers - 1) + ": "
                                      + modelName + ", " + deactivated),
                    heatmap);
            written.add(heatmap);

            Pca pca = pcas[l];
            for (int i = 0; i < pcaLang.length; i++) {
                pcaCsv.append(String.format(Locale.ROOT, "%d,%s,%d,%s,%s\n", l, langs.get(pcaLang[i]), pcaSentence[i],
                        pca.coordinates()[i][0], pca.coordinates()[i][1]));
            }
            Path scatter = dir.resolve("pca-layer" + nn + ".png");
            Png.write(LatentPlots.scatter(langs, pcaLang, pca,
                              "PCA of hidden states, " + LatentPlots.layerName(l, layers - 1) + ": " + modelName + ", "
                                      + deactivated),
                    scatter);
            written.add(scatter);
        }
        Path similarityCsv = dir.resolve("centroid_similarity.csv");
        AtomicFile.writeString(similarityCsv, similarity.toString());
        Path pcaFile = dir.resolve("pca.csv");
        AtomicFile.writeString(pcaFile, pcaCsv.toString());
        Path deactivatedTsv = dir.resolve("deactivated.tsv");
        StringBuilder off = new StringBuilder("lang\tlayer\tneuron\n");
        for (int g = 0; g < langs.size(); g++) {
            for (Neuron n : new TreeSet<>(neurons.get(g).neurons())) {
                off.append(langs.get(g)).append('\t').append(n.layer()).append('\t').append(n.index()).append('\n');
            }
        }
        AtomicFile.writeString(deactivatedTsv, off.toString());
        written.addAll(0, List.of(similarityCsv, pcaFile, deactivatedTsv));
        written.addAll(3, writeDimensionality(dir, layers, modelName + ", " + deactivated));
        return written;
    }

    /**
     * svd.csv (layer, lang, sentences, components_90, components_95, components_99) and a line
     * plot per threshold: each language's effective dimensionality over its PCA sample's states.
     */
    private List<Path> writeDimensionality(Path dir, int layers, String subject) {
        int width = model.info().nEmbd();
        double[] t = EffectiveDimensionality.THRESHOLDS;
        int[][][] k = new int[layers][langs.size()][]; // [layer][lang][threshold]
        int[][] rowsOf = new int[langs.size()][];
        for (int g = 0; g < langs.size(); g++) {
            int lang = g;
            rowsOf[g] = IntStream.range(0, pcaLang.length).filter(i -> pcaLang[i] == lang).toArray();
        }
        int[] rows = Arrays.stream(rowsOf).mapToInt(r -> r.length).toArray();
        // a decomposition per layer and language, each of seconds on one thread
        IntStream.range(0, layers * langs.size()).parallel().forEach(task -> {
            int l = task / langs.size(), g = task % langs.size();
            k[l][g] = EffectiveDimensionality.components(sums.pcaStates(l, rowsOf[g]), rows[g], width, t);
        });
        StringBuilder csv = new StringBuilder("layer,lang,sentences");
        for (double x : t) csv.append(",components_").append(Math.round(100 * x));
        csv.append('\n');
        for (int l = 0; l < layers; l++) {
            for (int g = 0; g < langs.size(); g++) {
                csv.append(l).append(',').append(langs.get(g)).append(',').append(rows[g]);
                for (int c : k[l][g]) csv.append(',').append(c);
                csv.append('\n');
            }
        }
        List<Path> written = new ArrayList<>();
        Path file = dir.resolve("svd.csv");
        AtomicFile.writeString(file, csv.toString());
        written.add(file);
        for (int i = 0; i < t.length; i++) {
            int[][] series = new int[langs.size()][layers];
            for (int l = 0; l < layers; l++)
                for (int g = 0; g < langs.size(); g++) series[g][l] = k[l][g][i];
            Path png = dir.resolve("svd-" + Math.round(100 * t[i]) + ".png");
            Png.write(LatentPlots.components(langs, series,
                              String.format(Locale.ROOT, "Components explaining %d%% of the variance (uncentred): %s",
                                      Math.round(100 * t[i]), subject)),
                    png);
            written.add(png);
        }
        return written;
    }

    /** "no neurons off", or how many are off for which language. */
    private String describeOff() {
        List<String> parts = new ArrayList<>();
        for (int g = 0; g < langs.size(); g++) {
            if (!neurons.get(g).isEmpty()) parts.add(langs.get(g) + " " + neurons.get(g).neurons().size());
        }
        return parts.isEmpty() ? "no neurons off" : "neurons off: " + String.join(", ", parts);
    }
}
