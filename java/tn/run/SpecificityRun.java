package tn.run;

import tn.io.Tsv;
import tn.io.InvalidValueException;
import tn.analysis.LabelSetting;
import tn.analysis.LanguageFamilies;
import tn.analysis.LanguageMoments;
import tn.analysis.RankedNeurons;
import tn.analysis.Specificity;
import tn.analysis.SpecificitySummary;
import tn.analysis.SpecificityTable;
import tn.data.Dataset;
import tn.io.AtomicFile;
import tn.llama.Capture;
import tn.llama.CaptureSpec;
import tn.llama.Kind;
import tn.llama.Neuron;
import tn.llama.Session;
import tn.method.Accumulator;
import tn.plot.Eta2Histogram;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * {@code tn specificity}: how language-specific transfer neurons are (docs/method.md, language
 * specificity). Over monolingual sentences of several languages, each listed neuron's activation
 * at the last token; per neuron and label setting (the target's language, or its family, as the
 * original's htest.py offers both), the correlation ratio eta^2 with the label, the one-way ANOVA
 * p-value and Welch's t-test of the split ({@link Specificity}); per ranking, the share of
 * neurons with eta^2 >= 0.1 and >= 0.25 at p < 0.05 and the mean eta^2 of its top 10, 100 and
 * 1000. One forward pass per sentence captures the activations of every ranking's neurons at once;
 * only their moments per language are kept, so any split is available at the end.
 */
public final class SpecificityRun extends Run {
    /**
     * @param rankings the neurons to test, each with its target language
     * @param labels   the label settings, each a table
     * @param families the language families of the family labels
     */
    public record Params(List<RankedNeurons> rankings, List<LabelSetting> labels, LanguageFamilies families) {
        public Params {
            if (rankings.isEmpty()) throw new InvalidValueException("give at least one {ranking}");
            if (labels.isEmpty())
                throw new InvalidValueException("give a label setting, {labels}: language, family or both");
            rankings = List.copyOf(rankings);
            labels = List.copyOf(labels);
        }

        /** The language labels alone. */
        public Params(List<RankedNeurons> rankings) {
            this(rankings, List.of(LabelSetting.LANGUAGE), LanguageFamilies.SEED);
        }
    }

    private final List<String> langs;
    private final List<RankedNeurons> rankings;
    private final Params params;

    private List<Neuron> neurons; // the union of the rankings' neurons, sorted
    private int[][] neuronOfRank; // per ranking, per rank, the neuron's index in neurons
    private int[] layers; // the layers the neurons live in, captured
    private int[] layerOf; // per neuron, its layer's index in layers
    private CaptureSpec spec;
    private LanguageMoments moments;

    /** Over context's input, one sentence file per language in the order of the columns. */
    public SpecificityRun(RunContext context, Params params) {
        super(context);
        this.langs = languages(context).langs();
        if (params.rankings().isEmpty()) throw new InvalidValueException("give at least one {ranking}");
        for (RankedNeurons r : params.rankings()) {
            if (!langs.contains(r.target())) {
                throw new InvalidValueException(
                        "the target language '{}' of {} is not among the {sentences} languages {}", r.target(),
                        r.file(), langs);
            }
            // every language needs a family before any sentence runs
            for (LabelSetting l : params.labels()) l.labelOne(langs, r.target(), params.families());
        }
        this.rankings = params.rankings();
        this.params = params;
    }

    @Override
    protected String command() {
        return "specificity";
    }

    @Override
    protected Items prepare(List<Dataset> data) {
        int nLayer = model.info().nLayer(), nFf = model.info().nFf();
        TreeSet<Neuron> union = new TreeSet<>();
        for (RankedNeurons r : rankings) union.addAll(r.neuronsIn(nLayer, nFf));
        neurons = List.copyOf(union);
        Map<Neuron, Integer> index = new LinkedHashMap<>();
        for (Neuron n : neurons) index.put(n, index.size());
        neuronOfRank = rankings.stream()
                               .map(r -> r.top().neurons().stream().mapToInt(index::get).toArray())
                               .toArray(int[][] ::new);
        layers = neurons.stream().mapToInt(Neuron::layer).distinct().toArray();
        List<Integer> layerList = Arrays.stream(layers).boxed().toList();
        layerOf = neurons.stream().mapToInt(n -> layerList.indexOf(n.layer())).toArray();
        spec = CaptureSpec.lastToken().add(Kind.ACTIVATION, layers).build();
        moments = new LanguageMoments(neurons.size(), langs.size());
        return Items.monolingual(model, data, settings.contextSize(), settings.strict(), err);
    }

    @Override
    protected Map<String, Object> parameters() {
        Map<String, Object> p = new LinkedHashMap<>(); // ordered: part of the checkpoint's fingerprint
        p.put("langs", langs);
        p.put("labels", params.labels().stream().map(LabelSetting::id).toList());
        if (params.labels().contains(LabelSetting.FAMILY)) p.put("families", params.families().toString());
        p.put("rankings", rankings.stream().map(RankedNeurons::parameters).toList());
        p.put("neurons_captured", neurons.size());
        return p;
    }

    @Override
    protected void process(Session session, Items items, int from, int to) {
        Capture c = forward(session, items.first(from, to), spec);
        score(() -> {
            float[][] a = new float[layers.length][];
            for (int i = 0; i < layers.length; i++) a[i] = c.matrix(Kind.ACTIVATION, layers[i]);
            int nFf = model.info().nFf();
            for (int s = 0; s < to - from; s++) {
                int row = s * nFf;
                moments.add(items.group(from + s), j -> a[layerOf[j]][row + neurons.get(j).index()]);
            }
        });
    }

    @Override
    protected Accumulator accumulator() {
        return moments;
    }

    @Override
    protected List<Path> writeOutputs(Path dir) {
        StringBuilder tsv = new StringBuilder("labels\tranking\tlabel\ttarget\ttype\trank\tlayer\tneuron\teta2\tp_value"
                + "\twelch_t\twelch_df\twelch_p\tn_target\tn_other");
        for (String l : langs) tsv.append("\tmean_").append(l);
        tsv.append('\n');
        List<SpecificitySummary> summaries = new ArrayList<>();
        List<Path> written = new ArrayList<>();
        for (LabelSetting labels : params.labels()) {
            Map<String, List<Double>> eta2 = new LinkedHashMap<>();
            Map<String, Integer> sizes = new LinkedHashMap<>();
            for (int r = 0; r < rankings.size(); r++) {
                RankedNeurons ranking = rankings.get(r);
                boolean[] labelOne = labels.labelOne(langs, ranking.target(), params.families());
                long nTarget = moments.count(labelOne), nOther = moments.count() - nTarget;
                List<Specificity> results = new ArrayList<>();
                for (int k = 0; k < neuronOfRank[r].length; k++) {
                    int j = neuronOfRank[r][k];
                    Specificity s = moments.specificity(j, labelOne);
                    results.add(s);
                    Neuron n = neurons.get(j);
                    List<Object> row = new ArrayList<>(Arrays.asList(labels.id(), ranking.file(), ranking.label(),
                            ranking.target(), ranking.type(), k + 1, n.layer(), n.index()));
                    for (double x :
                            new double[] {s.eta2(), s.pValue(), s.welch().t(), s.welch().df(), s.welch().pValue()}) {
                        row.add(number(x));
                    }
                    row.addAll(List.of(nTarget, nOther));
                    for (int g = 0; g < langs.size(); g++) row.add(number(moments.moments(j, g).mean()));
                    tsv.append(Tsv.row(row));
                }
                summaries.add(SpecificitySummary.of(ranking, labels, results));
                String series = seriesName(ranking, eta2.keySet());
                eta2.put(series, results.stream().filter(Specificity::defined).map(Specificity::eta2).toList());
                sizes.put(series, results.size());
            }
            Path histogram = dir.resolve(labels == LabelSetting.LANGUAGE ? "eta2_hist.png" : "eta2_hist_family.png");
            String counts = langs.stream()
                                    .map(l -> l + " " + moments.count(langs.indexOf(l)))
                                    .collect(Collectors.joining(", "));
            Eta2Histogram.write(histogram,
                    "eta² of neurons' last-token activations, " + labels.id() + " labels: " + modelPath.getFileName()
                            + "; sentences " + counts,
                    eta2, sizes, SpecificitySummary.LOW, SpecificitySummary.HIGH);
            written.add(histogram);
        }

        Path perNeuron = dir.resolve("specificity.tsv");
        AtomicFile.writeString(perNeuron, tsv.toString());
        Path summary = dir.resolve("summary.tsv");
        AtomicFile.writeString(summary, summaryTsv(summaries));
        if (!settings.quiet()) out.print(SpecificityTable.render(summaries));
        written.addAll(0, List.of(perNeuron, summary));
        return written;
    }

    private static String summaryTsv(List<SpecificitySummary> summaries) {
        StringBuilder b = new StringBuilder("labels\tranking\tlabel\ttarget\ttype\tneurons\tundefined"
                + "\tshare_eta2_ge_0.1_p_lt_0.05\tshare_eta2_ge_0.25_p_lt_0.05");
        for (int k : SpecificitySummary.TOPS) b.append("\tmean_eta2_top").append(k);
        b.append('\n');
        for (SpecificitySummary s : summaries) {
            RankedNeurons r = s.ranking();
            List<Object> row = new ArrayList<>(Arrays.asList(s.labels().id(), r.file(), r.label(), r.target(), r.type(),
                    s.neurons(), s.undefined(), s.shareAtLeast01(), s.shareAtLeast025()));
            for (int k : SpecificitySummary.TOPS) row.add(number(s.meanEta2Top(k)));
            b.append(Tsv.row(row));
        }
        return b.toString();
    }

    /** The legend's name of a ranking: its target and type, with its label only where two share them. */
    private static String seriesName(RankedNeurons r, Set<String> taken) {
        String name = r.target() + " " + r.type();
        if (taken.contains(name)) name += " (" + r.label() + ")";
        String unique = name;
        for (int k = 2; taken.contains(unique); k++) unique = name + " #" + k;
        return unique;
    }

    /** A double as Java writes it (round-trips exactly), NaN as "nan" as numpy and pandas read it. */
    private static String number(double x) {
        return Double.isNaN(x) ? "nan" : Double.toString(x);
    }
}
