package tn.cli;

import tn.run.RunSettings;
import java.io.PrintWriter;
import tn.io.InvalidValueException;
import tn.io.Console;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import tn.data.DatasetWriter;
import tn.data.tatoeba.ExportFiles;
import tn.data.tatoeba.SentenceFilter;
import tn.data.tatoeba.Sentences;
import tn.data.tatoeba.TatoebaBuild;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

@Command(name = "data", description = "Datasets: build sentence and question files from public corpora.",
        mixinStandardHelpOptions = true,
        subcommands = {DataCommand.Tatoeba.class, MkqaSentencesCommand.class, MmluProxDataCommand.class})
final class DataCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    @Command(name = "tatoeba", mixinStandardHelpOptions = true, sortOptions = false,
            description = {"Builds en/L2 datasets from Tatoeba's published exports, as the paper did.", "",
                    "Reads per_language/L2/L2_sentences.tsv.bz2, per_language/eng/eng_sentences.tsv.bz2 and the links "
                            + "(links.tar.bz2, or with --links pair per_language/L2/L2-eng_links.tsv.bz2), downloaded "
                            + "from --base-url into --cache or found in --from. Sentences are stripped of surrounding "
                            + "white space; empty ones, ones with control characters and ones outside "
                            + "--min-chars..--max-chars characters (Unicode code points) are dropped. Pairs are chosen "
                            + "at random with --seed so that no English and no L2 text occurs in two of them. The same "
                            + "exports and options give byte-identical files.",
                    "",
                    "Writes to --out: en-L2.train.tsv (--n pairs, en<TAB>L2), en-L2.test.tsv (--test-n pairs, "
                            + "disjoint from train), en-L2.nonparallel.tsv (the test pairs with their L2 sides "
                            + "shuffled so that none keeps its own), L2.txt and en.txt (the sentences to detect on: "
                            + "the train pairs' L2 and English sides in their order, or with --protocol tn held-out "
                            + "sentences), L2.test.txt and en.test.txt (the test pairs' sides), and manifest.json "
                            + "(parameters, source files with sha256, counts at each filtering step, outputs with "
                            + "sha256). With --pickle also the original implementation's files: "
                            + "L2_parallel_train.pkl, L2_parallel_test.pkl, L2_non_parallel.pkl (lists of (en, L2) "
                            + "tuples), L2_mono_train.pkl, en_mono_train.pkl, L2_mono_test.pkl, en_mono_test.pkl "
                            + "(lists of str). L2 is the code as given. Too few sentences for the counts asked is an "
                            + "error that gives the counts."})
    static final class Tatoeba implements Callable<Integer> {
        @Spec
        CommandSpec spec;
        @Option(names = "--lang", paramLabel = "CODE",
                description = "The second language (required): a two-letter code (ja, nl, ko, it, de, fr, zh, ...; an "
                        + "unknown one lists those known) or Tatoeba's three-letter code (jpn).")
        String lang;

        /** The option's name before tn had one name for the second language everywhere. */
        @Option(names = "--l2", hidden = true, paramLabel = "CODE")
        void l2(String code) {
            lang = code;
        }

        @Option(names = "--protocol", defaultValue = "paper", paramLabel = "paper|tn",
                description = "What L2.txt and en.txt hold. paper (the default): the train pairs' L2 and English "
                        + "sides, in their order, as the original implementation detects on the sentences whose "
                        + "states made the centroids. tn: --mono-n sentences a language in no chosen pair, to "
                        + "detect on sentences the centroids never saw (a check that the ranking is not fitted to "
                        + "the centroids' own sentences).")
        TatoebaBuild.Protocol protocol;
        @Option(names = "--n", defaultValue = "1000", paramLabel = "N",
                description = "Train pairs (default: ${DEFAULT-VALUE}).")
        int n;
        @Option(names = "--test-n", paramLabel = "N", description = "Test pairs, at least 2 (default: --n).")
        Integer testN;
        @Option(names = "--mono-n", paramLabel = "N",
                description = "With --protocol tn: held-out sentences per language (default: --n); without it, "
                        + "ignored with a warning.")
        Integer monoN;
        @Option(names = "--seed", defaultValue = "" + RunSettings.DEFAULT_SEED, paramLabel = "S",
                description = "Random seed of every choice (default: ${DEFAULT-VALUE}).")
        long seed;
        @Option(names = "--min-chars", defaultValue = "5", paramLabel = "C",
                description = "Shortest sentence kept, in characters (default: ${DEFAULT-VALUE}).")
        int minChars;
        @Option(names = "--max-chars", defaultValue = "200", paramLabel = "C",
                description = "Longest sentence kept, in characters (default: ${DEFAULT-VALUE}).")
        int maxChars;
        @Option(names = "--links", defaultValue = "all", paramLabel = "all|pair",
                description =
                        "Which links export: all (links.tar.bz2, every link in Tatoeba: a large download) or pair "
                        + "(L2-eng_links.tsv.bz2, only L2-English links: a small one); both give the same dataset "
                        + "(default: ${DEFAULT-VALUE}).")
        ExportFiles.Links links;

        @ArgGroup(exclusive = true)
        Source source = new Source();

        static final class Source {
            @Option(names = "--from", paramLabel = "DIR",
                    description = "Read the exports from DIR instead of downloading: L2_sentences.tsv, "
                            + "eng_sentences.tsv, links.csv (or L2-eng_links.tsv), each also as published (.bz2; "
                            + "links.tar.bz2). A decompressed file is preferred where both are there.")
            Path from;
            @Option(names = "--base-url", paramLabel = "URL", defaultValue = ExportFiles.DEFAULT_BASE_URL,
                    description = "Where Tatoeba's exports are (default: ${DEFAULT-VALUE}).")
            String baseUrl = ExportFiles.DEFAULT_BASE_URL;
        }

        @Option(names = "--cache", paramLabel = "DIR",
                description = "Where downloads go; a file already there is used as is, a partial one resumed. Delete "
                        + "it for Tatoeba's latest exports (default: .tatoeba-cache beside --out).")
        Path cache;
        @Option(names = "--out", required = true, paramLabel = "DIR",
                description = "The folder to write; files there of "
                        + "the same names are replaced.")
        Path out;
        @Option(names = "--pickle",
                description = "Also write each file as a pickle under the original implementation's name and in its "
                        + "layout (L2_parallel_train.pkl, L2_mono_train.pkl, ...).")
        boolean pickle;
        @Mixin
        QuietOption quiet;

        @Override
        public Integer call() {
            if (lang == null)
                throw new ParameterException(spec.commandLine(), "Missing required option: '--lang=CODE'");
            if (source.from != null && cache != null) {
                throw new InvalidValueException("--cache is where downloads go; with --from nothing is downloaded");
            }
            boolean heldOut = protocol == TatoebaBuild.Protocol.TN;
            Console console = Cli.console(spec);
            if (!heldOut && monoN != null) {
                // an earlier tn's command line (--mono-n sized the monolingual files then): said, not refused
                console.err().println("tn: warning: --mono-n has no effect with --protocol paper (the default): the "
                        + "monolingual files are the train pairs' sides; --protocol tn draws --mono-n held-out "
                        + "sentences");
            }
            int heldOutN = heldOut ? (monoN != null ? monoN : n) : 0;
            TatoebaBuild.Settings settings = new TatoebaBuild.Settings(lang, protocol, n, testN != null ? testN : n,
                    heldOutN, seed, new SentenceFilter(minChars, maxChars), links, source.from, source.baseUrl, cache,
                    out, pickle);
            PrintWriter stdout = console.out();
            TatoebaBuild.Summary summary = TatoebaBuild.run(settings, quiet.quiet, console);
            if (quiet.quiet) return 0;
            for (ExportFiles.Source f : summary.sources()) {
                stdout.printf("%-12s %s (%s)%n", f.role(), f.path(),
                        f.url() == null          ? "local"
                                : f.downloaded() ? "downloaded from " + f.url()
                                                 : "cached, from " + f.url());
            }
            for (Sentences s : List.of(summary.l2(), summary.en())) {
                Map<String, Object> c = s.counts();
                stdout.printf(
                        "%s: %s sentences, %s kept (%s empty, %s with control characters, %s too short, %s too long)%n",
                        s.lang(), c.get("sentences"), c.get("kept"), c.get("empty"), c.get("control_characters"),
                        c.get("too_short"), c.get("too_long"));
            }
            Map<String, Object> p = summary.selection().pairCounts();
            stdout.printf("pairs: %s links between %s and eng sentences, %s with both kept, %s distinct, %s once each "
                            + "text%n",
                    p.get("en_l2_links"), summary.l2().lang(), p.get("both_sentences_kept"),
                    p.get("distinct_text_pairs"), p.get("one_to_one"));
            stdout.printf("%s.txt and en.txt: %s%n", settings.l2Name(),
                    heldOut ? "sentences in no chosen pair (--protocol tn)"
                            : "the train pairs' sides, in their order (the paper's protocol)");
            for (DatasetWriter.Output o : summary.outputs()) {
                stdout.printf("wrote %s (%d)%n", out.resolve(o.file()), o.items());
            }
            stdout.println("wrote " + out.resolve("manifest.json"));
            return 0;
        }
    }
}
