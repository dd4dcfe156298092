package tn.report;

import java.util.Comparator;
import java.util.List;

/** A folder of results and what it is a run of. */
record Run(RunFolder folder, Experiment experiment) {
    /** The paper's languages first, in its order, then any other alphabetically. */
    private static final List<String> PAPER_LANGS = List.of("ja", "nl", "ko", "it", "en");

    static final Comparator<String> LANGUAGE_ORDER = Comparator
                                                             .<String>comparingInt(l -> {
                                                                 int i = PAPER_LANGS.indexOf(l);
                                                                 return i < 0 ? PAPER_LANGS.size() : i;
                                                             })
                                                             .thenComparing(Comparator.naturalOrder());

    static Run of(RunFolder folder) {
        return new Run(folder, Experiment.of(folder));
    }

    Experiment.Kind kind() {
        return experiment.kind();
    }

    String lang() {
        return experiment.lang();
    }

    String type() {
        return experiment.type();
    }

    /** The runs of one kind. */
    static List<Run> of(List<Run> runs, Experiment.Kind kind) {
        return runs.stream().filter(r -> r.kind() == kind).toList();
    }

    /** The languages of runs, in the paper's order. */
    static List<String> languages(List<Run> runs) {
        return runs.stream().map(Run::lang).distinct().sorted(LANGUAGE_ORDER).toList();
    }
}
