package tn.run;

import tn.data.Dataset;
import tn.data.SentenceFiles;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The monolingual sentence file of each language, for the runs across languages (latent,
 * specificity, lape), in the order their tables and plots follow; at least two languages.
 */
record LanguageFiles(List<String> langs, List<Path> files) {

    static LanguageFiles of(Map<String, Path> sentences) {
        if (sentences.size() < 2) throw new IllegalArgumentException("--sentences needs at least two languages to compare");
        for (String lang : sentences.keySet()) Run.checkLang("--sentences language", lang);
        return new LanguageFiles(List.copyOf(sentences.keySet()), List.copyOf(sentences.values()));
    }

    /** Each language's sentences, in order: file g is group g of the run's items. */
    List<Dataset> read() {
        List<Dataset> data = new ArrayList<>();
        for (int g = 0; g < langs.size(); g++) data.add(SentenceFiles.read(files.get(g), langs.get(g)));
        return data;
    }
}
