package tn.cli;

import tn.run.Run;
import tn.run.RunContext;
import tn.run.RunInput;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import tn.analysis.RankedNeurons;
import tn.run.SpecificityRun;

import java.nio.file.Path;
import java.util.List;

@Command(name = "specificity", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Language specificity of transfer neurons: does a neuron's activation tell its language's "
                + "sentences from the others'?", "",
                "For each sentence of every --sentences language, the activation of each neuron of the rankings at the "
                        + "last token (one forward pass per sentence for all rankings). Per neuron of a ranking, with the "
                        + "label 1 for sentences of the ranking's target language and 0 for all others:",
                "  eta2 = SS_between / SS_total, the correlation ratio (sum_g n_g (mean_g - mean)^2 / sum (x - mean)^2);",
                "  p_value of the one-way ANOVA of the two groups: P(F(1, N-2) > F), F = SS_between / (SS_within / (N-2)).",
                "Both are 'nan' when undefined (an activation equal on every sentence, or fewer than 3 sentences); "
                        + "groups each constant but apart give eta2 1 and p 0. Per ranking, the share of its neurons with "
                        + "eta2 >= 0.1 and p < 0.05, and with eta2 >= 0.25 and p < 0.05 (undefined ones count as not "
                        + "specific), printed on stdout (not with --quiet) as the paper's Tables 13-16: a row per target "
                        + "language, columns per transfer type.", "",
                "Writes in DIR: specificity.tsv (ranking, label, target, type, rank, layer, neuron, eta2, p_value, "
                        + "n_target, n_other, mean_LANG per language: a row per neuron of each ranking), summary.tsv "
                        + "(ranking, label, target, type, neurons, undefined, share_eta2_ge_0.1_p_lt_0.05, "
                        + "share_eta2_ge_0.25_p_lt_0.05: a row per ranking), eta2_hist.png (the distribution of eta2 "
                        + "per ranking) and run.json. A ranking's label is its folder below the folder all rankings "
                        + "share (ja/type1/detect for out/ja/type1/detect/ranking.tsv next to out/ko/...).", ""},
        footer = {"", "Examples:",
                "  tn specificity --model M.gguf --ranking out/ja-type1/ranking.tsv --ranking out/ja-type2/ranking.tsv "
                        + "--sentences ja=ja.txt,nl=nl.txt,ko=ko.txt,it=it.txt,en=en.txt --out out/specificity-ja",
                "  tn specificity --model M.gguf --ranking my-neurons.tsv --target ko --top-n 100 "
                        + "--sentences ko=ko.txt,en=en.txt --out out/specificity-ko"})
final class SpecificityCommand extends RunCommand {
    @Option(names = "--ranking", required = true, paramLabel = "RANKING.tsv",
            description = "A ranking.tsv of tn detect (rank, layer, neuron, score); repeat for several. Its target "
                    + "language and transfer type come from the run.json beside it (parameters.lang and "
                    + "parameters.type); the type shows as '?' without one.")
    List<Path> rankings;

    @Option(names = "--top-n", paramLabel = "N",
            description = "Examine the first N neurons of each ranking (default: the paper's "
                    + RankedNeurons.PAPER_TOP_N + ", or the whole ranking when it lists fewer). An N larger than a "
                    + "ranking is an error.")
    Integer topN;

    @Option(names = "--target", paramLabel = "LANG",
            description = "The language every ranking is tested for (label 1), one of the --sentences languages. "
                    + "Default: each ranking's own, from its run.json; a ranking without a run.json needs --target.")
    String target;

    @Option(names = "--sentences", required = true, split = ",", paramLabel = "LANG=FILE",
            description = "Monolingual sentences of each language, e.g. ja=ja.txt,nl=nl.txt,ko=ko.txt,it=it.txt,"
                    + "en=en.txt (.txt, .jsonl of {\"text\": ...} or .pkl list of str); at least two languages, each "
                    + "once, the targets among them. Every sentence of every file counts; the mean_LANG columns follow "
                    + "this order.")
    List<LanguageFile> sentences;

    @Override
    RunInput input() {
        return new RunInput.Languages(LanguageFile.byLanguage(sentences));
    }

    @Override
    Run newRun(RunContext context) {
        return new SpecificityRun(context, RankedNeurons.read(rankings, topN, target));
    }
}
