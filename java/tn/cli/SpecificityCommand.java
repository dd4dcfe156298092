package tn.cli;

import tn.run.Run;
import tn.run.RunContext;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import tn.analysis.LabelSetting;
import tn.analysis.LanguageFamilies;
import tn.analysis.RankedNeurons;
import tn.run.SpecificityRun;

import java.nio.file.Path;
import java.util.List;

@Command(name = "specificity", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Language specificity of transfer neurons: does a neuron's activation tell its language's "
                        + "sentences from the others'?",
                "",
                "For each sentence of every --sentences language, the activation of each neuron of the rankings at the "
                        + "last token (one forward pass per sentence for all rankings). Each sentence is labelled for a "
                        + "ranking's target: with --labels language, 1 for the target's sentences and 0 for all others; "
                        + "with --labels family, 1 for the sentences of every language in the target's family (--families; "
                        + "the original's ja+ko and nl+it+en). Per neuron of a ranking and label setting:",
                "  eta2 = SS_between / SS_total, the correlation ratio (sum_g n_g (mean_g - mean)^2 / sum (x - mean)^2);",
                "  p_value of the one-way ANOVA of the two groups: P(F(1, N-2) > F), F = SS_between / (SS_within / (N-2));",
                "  welch_t, welch_df, welch_p: Welch's t-test of the label-0 group against the label-1 group (t < 0 when "
                        + "the label-1 mean is higher), two-sided.",
                "They are 'nan' when undefined (an activation equal on every sentence, or fewer than 3 sentences); "
                        + "groups each constant but apart give eta2 1 and p 0. Per ranking, the share of its neurons with "
                        + "eta2 >= 0.1 and p < 0.05, and with eta2 >= 0.25 and p < 0.05 (the original's criterion; "
                        + "undefined ones count as not specific), and the mean eta2 of its top 10, 100 and 1000 neurons, "
                        + "printed on stdout (not with --quiet) as the paper's tables, one block per label setting: a row "
                        + "per target language, columns per transfer type. The paper's Tables 13-16 show the family "
                        + "setting (by mistake, say the authors, who give the language-label values separately).",
                "",
                "Writes in DIR: specificity.tsv (labels, ranking, label, target, type, rank, layer, neuron, eta2, "
                        + "p_value, welch_t, welch_df, welch_p, n_target and n_other (the sentences labelled 1 and 0), "
                        + "mean_LANG per language: a row per label setting and neuron of each ranking), summary.tsv "
                        + "(labels, ranking, label, target, type, neurons, undefined, share_eta2_ge_0.1_p_lt_0.05, "
                        + "share_eta2_ge_0.25_p_lt_0.05, mean_eta2_top10, mean_eta2_top100, mean_eta2_top1000: a row per "
                        + "label setting and ranking), eta2_hist.png (language labels) and eta2_hist_family.png (family "
                        + "labels): the distribution of eta2 per ranking, and run.json. A ranking's label is its folder "
                        + "below the folder all rankings share (ja/type1/detect for out/ja/type1/detect/ranking.tsv next "
                        + "to out/ko/...).",
                ""},
        footer = {"", "Examples:",
                "  tn specificity --model M.gguf --ranking out/ja-type1/ranking.tsv --ranking out/ja-type2/ranking.tsv "
                        + "--sentences ja=ja.txt,nl=nl.txt,ko=ko.txt,it=it.txt,en=en.txt --labels both --out out/specificity-ja",
                "  tn specificity --model M.gguf --ranking ja_type1_top1000.pkl --ranking ja_type2_top1000.pkl "
                        + "--sentences ja=ja_mono_test.pkl,nl=nl_mono_test.pkl,ko=ko_mono_test.pkl,it=it_mono_test.pkl,"
                        + "en=en_mono_test.pkl --labels family --out out/specificity-original",
                "  tn specificity --model M.gguf --ranking my-neurons.tsv --target ko --top-n 100 "
                        + "--sentences ko=ko.txt,en=en.txt --out out/specificity-ko"})
final class SpecificityCommand extends LanguagesRunCommand {
    @Option(names = "--ranking", required = true, paramLabel = "RANKING",
            description = "A ranking.tsv of tn detect (rank, layer, neuron, score), or the original implementation's "
                    + "{lang}_{type}_top{n}.pkl (a list of (layer, neuron)) or its _score_dict.pkl (ranked by score); "
                    + "repeat for several. Its target language and transfer type come from the run.json beside it "
                    + "(parameters.lang and parameters.type), else from the original's file name; the type shows as "
                    + "'?' without either.")
    List<Path> rankings;

    @Option(names = "--top-n", paramLabel = "N",
            description = "Examine the first N neurons of each ranking (default: the paper's "
                    + RankedNeurons.PAPER_TOP_N + ", or the whole ranking when it lists fewer). An N larger than a "
                    + "ranking is an error.")
    Integer topN;

    @Option(names = "--target", paramLabel = "LANG",
            description = "The language every ranking is tested for (label 1), one of the --sentences languages. "
                    + "Default: each ranking's own, from its run.json or the original's file name; a ranking with "
                    + "neither needs --target.")
    String target;

    @Option(names = "--labels", defaultValue = "language", paramLabel = "language|family|both",
            description = "Which labels: the target's sentences (language), those of the target's family (family), or "
                    + "both, each its own table (default: ${DEFAULT-VALUE}).")
    String labels;

    @Option(names = "--families", defaultValue = "ja+ko,nl+it+en", paramLabel = "A+B,C+D+E",
            description = "The language families of --labels family: families separated by commas, their languages by "
                    + "'+' (default: the original's ${DEFAULT-VALUE}). Every --sentences language must be in one.")
    String families;

    @Override
    Run newRun(RunContext context) {
        return new SpecificityRun(context,
                new SpecificityRun.Params(RankedNeurons.read(rankings, topN, target), LabelSetting.parse(labels),
                        LanguageFamilies.parse(families)));
    }
}
