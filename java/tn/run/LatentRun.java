package tn.run;

import tn.io.InvalidValueException;
import tn.analysis.CentroidSimilarity;
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
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.IntStream;

/**
 * {@code tn latent}: the language latent spaces (METHOD.md, analysis 4). Per layer (0 the
 * embedding output, l = 1..L the output of model layer l-1, the last after the final norm under
 * --last-layer normed), the centroid of each language's last-token hidden states, the cosine
 * similarities between them, and a 2-D PCA of a seeded sample of the states; optionally with
 * neurons switched off at the last token. One forward pass per sentence captures every layer.
 */
public final class LatentRun extends Run {
    private final List<String> langs;
    private final NeuronSet.Choice choice;
    private final int pcaPerLang;
    private final long seed;

    private HiddenStates states;
    private CaptureSpec spec;
    private NeuronSet neurons;
    private Deactivation off;
    private LatentSums sums;
    private int[] pcaRowOfItem;       // per item, its row in the PCA sample or -1
    private int[] pcaLang;            // per PCA row, the language's index
    private int[] pcaSentence;        // per PCA row, the sentence's index among its language's used sentences

    /**
     * @param off        the neurons switched off at the last token
     * @param pcaPerLang sentences per language in the PCA sample
     * @param seed       the sample's seed (and the baseline's)
     */
    public record Params(NeuronSet.Choice off, int pcaPerLang, long seed) {
        public Params {
            if (pcaPerLang < 1) throw new InvalidValueException("{pca_sentences} must be positive, is {}", pcaPerLang);
        }
    }

    /** Over context's input, one sentence file per language, in the order of tables and plots. */
    public LatentRun(RunContext context, Params params) {
        super(context);
        this.langs = languages(context).langs();
        this.choice = params.off();
        this.pcaPerLang = params.pcaPerLang();
        this.seed = params.seed();
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
        neurons = choice.resolve(nLayer, model.info().nFf());
        off = neurons.deactivation(Positions.LAST_TOKEN);
        Items items = Items.monolingual(model, data, settings.contextSize(), settings.strict(), err);
        choosePcaSample(items);
        sums = new LatentSums(nLayer + 1, langs.size(), model.info().nEmbd(), pcaLang.length);
        return items;
    }

    /** Up to pcaPerLang items of each language, drawn with the seed, kept in item order. */
    private void choosePcaSample(Items items) {
        pcaRowOfItem = new int[items.size()];
        Arrays.fill(pcaRowOfItem, -1);
        List<Integer> rowsLang = new ArrayList<>(), rowsSentence = new ArrayList<>();
        SplittableRandom random = new SplittableRandom(seed);
        for (int g = 0; g < langs.size(); g++) {
            List<Integer> own = new ArrayList<>();
            for (int k = 0; k < items.size(); k++) if (items.group(k) == g) own.add(k);
            int[] order = Shuffle.order(own.size(), random);
            var chosen = new HashSet<Integer>();
            for (int i = 0; i < Math.min(pcaPerLang, order.length); i++) chosen.add(own.get(order[i]));
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
        Map<String, Object> p = new LinkedHashMap<>();   // ordered: part of the checkpoint's fingerprint
        p.put("langs", langs);
        p.putAll(neurons.parameters());
        p.put("pca_sentences_per_lang", pcaPerLang);
        p.put("seed", seed);
        return p;
    }

    @Override
    protected void process(Session session, Items items, int from, int to) {
        Capture c = forward(session, items.first(from, to), spec, off);
        score(() -> {
            int layers = model.info().nLayer() + 1;
            float[][] m = new float[layers][];
            m[0] = c.matrix(Kind.EMBEDDING);
            for (int l = 1; l < layers; l++) m[l] = states.at(c, l - 1);
            int width = model.info().nEmbd();
            for (int s = 0; s < to - from; s++) {
                int k = from + s;
                sums.add(items.group(k), m, s * width, pcaRowOfItem[k]);
            }
        });
    }

    @Override
    protected Accumulator accumulator() {
        return sums;
    }

    @Override
    protected List<Path> writeOutputs(Path dir) {
        String modelName = String.valueOf(modelPath.getFileName());
        String deactivated = neurons.isEmpty() ? "no neurons off" : neurons.neurons().size() + " neurons off";
        int layers = model.info().nLayer() + 1;
        int digits = Math.max(2, String.valueOf(layers - 1).length());
        StringBuilder similarity = new StringBuilder("layer,lang_a,lang_b,cosine\n");
        StringBuilder pcaCsv = new StringBuilder("layer,lang,sentence,pc1,pc2\n");
        List<Path> written = new ArrayList<>();
        // each layer's PCA is an independent decomposition of seconds (single-threaded): layers in parallel
        Pca[] pcas = IntStream.range(0, layers).parallel()
                .mapToObj(l -> Pca.of(sums.pcaStates(l), pcaLang.length, model.info().nEmbd(), 2)).toArray(Pca[]::new);
        for (int l = 0; l < layers; l++) {
            double[][] cos = CentroidSimilarity.of(sums.centroids(l));
            for (int a = 0; a < langs.size(); a++) {
                for (int b = 0; b < langs.size(); b++) {
                    similarity.append(l).append(',').append(langs.get(a)).append(',').append(langs.get(b)).append(',')
                            .append(cos[a][b]).append('\n');
                }
            }
            String nn = String.format("%0" + digits + "d", l);
            Path heatmap = dir.resolve("heatmap-layer" + nn + ".png");
            Png.write(LatentPlots.heatmap(langs, cos, "Cosine similarity of language centroids, "
                    + LatentPlots.layerName(l, layers - 1) + ": " + modelName + ", " + deactivated), heatmap);
            written.add(heatmap);

            Pca pca = pcas[l];
            for (int i = 0; i < pcaLang.length; i++) {
                pcaCsv.append(l).append(',').append(langs.get(pcaLang[i])).append(',').append(pcaSentence[i]).append(',')
                        .append(pca.coordinates()[i][0]).append(',').append(pca.coordinates()[i][1]).append('\n');
            }
            Path scatter = dir.resolve("pca-layer" + nn + ".png");
            Png.write(LatentPlots.scatter(langs, pcaLang, pca, "PCA of hidden states, "
                    + LatentPlots.layerName(l, layers - 1) + ": " + modelName + ", " + deactivated), scatter);
            written.add(scatter);
        }
        Path similarityCsv = dir.resolve("centroid_similarity.csv");
        AtomicFile.writeString(similarityCsv, similarity.toString());
        Path pcaFile = dir.resolve("pca.csv");
        AtomicFile.writeString(pcaFile, pcaCsv.toString());
        Path deactivatedTsv = dir.resolve("deactivated.tsv");
        neurons.writeTsv(deactivatedTsv);
        written.addAll(0, List.of(similarityCsv, pcaFile, deactivatedTsv));
        return written;
    }
}
