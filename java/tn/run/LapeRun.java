package tn.run;

import tn.analysis.LanguageSpecificTsv;
import tn.analysis.Lape;
import tn.analysis.LapeCounts;
import tn.data.Dataset;
import tn.io.Json;
import tn.llama.Capture;
import tn.llama.CaptureSpec;
import tn.llama.Kind;
import tn.llama.Session;
import tn.method.Accumulator;
import tn.plot.LapePlot;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code tn lape}: language-specific neurons by language activation probability entropy (Tang
 * et al., ACL 2024), the method the paper relates transfer neurons to. Every token of every
 * sentence (but a leading BOS, the same in all of them) counts: per language, layer and neuron,
 * the share of the language's tokens where the neuron fires; then identify.py's selection.
 * Writes DIR/language_specific.tsv, DIR/activation_probability.npy, DIR/entropy.npy,
 * DIR/lape.json and DIR/lape_layers.png.
 */
public final class LapeRun extends Run {
    /** Which value must be positive: the gate projection, as Tang et al. (act(gate) > 0), or a_l. */
    public enum Signal {
        GATE(Kind.GATE_POSITIVE, "gate projection: act(gate) > 0, as Tang et al."),
        ACTIVATION(Kind.ACTIVATION_POSITIVE, "MLP activation a_l = act(gate) * up > 0");

        final Kind kind;
        final String description;

        Signal(Kind kind, String description) {
            this.kind = kind;
            this.description = description;
        }
    }

    private final List<String> langs;
    private final Lape.Thresholds thresholds;
    private final Signal signal;

    private CaptureSpec spec;
    private LapeCounts counts;
    private Lape.Selection selection;

    /** Over context's input, one sentence file per language. */
    public LapeRun(RunContext context, Lape.Thresholds thresholds, Signal signal) {
        super(context);
        this.langs = languages(context).langs();
        this.thresholds = thresholds;
        this.signal = signal;
    }

    @Override
    protected String command() {
        return "lape";
    }

    @Override
    protected Items prepare(List<Dataset> data) {
        int nLayer = model.info().nLayer();
        CaptureSpec.Builder b = model.info().addsBos() ? CaptureSpec.afterFirstToken() : CaptureSpec.allTokens();
        spec = b.allLayers(signal.kind, nLayer).build();
        counts = new LapeCounts(langs.size(), nLayer, model.info().nFf());
        return Items.monolingual(model, data, settings.contextSize(), settings.strict(), err);
    }

    @Override
    protected Map<String, Object> parameters() {
        Map<String, Object> p = new LinkedHashMap<>(); // ordered: part of the checkpoint's fingerprint
        p.put("langs", langs);
        p.put("signal", signal.name().toLowerCase(Locale.ROOT));
        p.put("positions", spec.positions().name().toLowerCase(Locale.ROOT));
        p.put("filter_rate", thresholds.filterRate());
        p.put("top_rate", thresholds.topRate());
        p.put("activation_bar_ratio", thresholds.activationBarRatio());
        return p;
    }

    @Override
    protected void process(Session session, Items items, int from, int to) {
        Capture c = forward(session, items.first(from, to), spec);
        score(() -> {
            int nLayer = model.info().nLayer(), nFf = model.info().nFf();
            float[][] m = new float[nLayer][];
            for (int l = 0; l < nLayer; l++) m[l] = c.matrix(signal.kind, l);
            for (int s = 0; s < to - from; s++) {
                counts.add(items.group(from + s), spec.positions().rows(c.tokens(s)), m, s * nFf);
            }
        });
    }

    @Override
    protected Accumulator accumulator() {
        return counts;
    }

    @Override
    protected List<Path> writeOutputs(Path dir) {
        Lape lape = counts.lape(langs);
        selection = lape.select(thresholds);
        Path specific = dir.resolve("language_specific.tsv");
        LanguageSpecificTsv.write(specific, lape, selection);
        Path probabilities = dir.resolve("activation_probability.npy");
        lape.writeProbabilities(probabilities);
        Path entropy = dir.resolve("entropy.npy");
        lape.writeEntropy(entropy);
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("signal", signal.description);
        summary.put("languages", langs);
        summary.put("filter_value", selection.filterValue());
        summary.put("activation_bar", selection.activationBar());
        summary.put("selected", selection.selected());
        Map<String, Integer> perLanguage = new LinkedHashMap<>();
        for (int g = 0; g < langs.size(); g++) perLanguage.put(langs.get(g), selection.byLanguage().get(g).size());
        summary.put("language_specific", perLanguage);
        Path summaryFile = dir.resolve("lape.json");
        Json.write(summaryFile, summary);
        Path plot = dir.resolve("lape_layers.png");
        LapePlot.write(plot, langs, selection, model.info().nLayer(),
                modelPath.getFileName() + ", "
                        + String.format(
                                Locale.ROOT, "the %.3g%% of neurons of lowest entropy", 100 * thresholds.topRate()));
        if (!settings.quiet()) {
            out.printf(Locale.ROOT, "lape: %d neurons of lowest entropy; language-specific: %s%n", selection.selected(),
                    perLanguage);
        }
        return List.of(specific, probabilities, entropy, summaryFile, plot);
    }

    /** The selection, once execute() has run. */
    public Lape.Selection selection() {
        if (selection == null) throw new IllegalStateException("the selection exists after execute()");
        return selection;
    }
}
