package tn.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import tn.data.DatasetWriter;
import tn.data.MkqaSentences;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

@Command(name = "mkqa-sentences", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"The latent-space sentences of the paper: the same MKQA questions in several languages.", "",
                "Reads MKQA's release (mkqa.jsonl.gz as published, or mkqa.jsonl) in file order and takes an example "
                        + "when its query in every language of --langs is a non-empty single line (stripped of "
                        + "surrounding white space); the first --n examples taken are the set, so that line k of "
                        + "every language's file is the same question. The original implementation's "
                        + "mkqa_example_sentences.pkl has this layout (1,000 queries each of ja, nl, ko, it and en), "
                        + "but its code to choose them is not published: see docs/data.md for what is known.",
                "",
                "Writes to --out: LANG.txt per language (--n queries), examples.tsv (line and example_id of each "
                        + "example taken), with --pickle mkqa_example_sentences.pkl (a dict of each language's list "
                        + "of str, the original implementation's layout), and manifest.json (parameters, the source's "
                        + "sha256, the rule, counts, outputs with sha256)."},
        footer = {"", "Example:",
                "  tn data mkqa-sentences --from mkqa.jsonl.gz --langs ja,nl,ko,it,en --n 1000 --out data/mkqa "
                        + "--pickle",
                "  tn latent --sentences ja=data/mkqa/ja.txt,nl=data/mkqa/nl.txt,... (or "
                        + "ja=data/mkqa/mkqa_example_sentences.pkl,...)"})
final class MkqaSentencesCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;
    @Option(names = "--from", required = true, paramLabel = "FILE",
            description = "MKQA's release: mkqa.jsonl.gz (as published) or mkqa.jsonl.")
    Path from;
    @Option(names = "--langs", split = ",", defaultValue = "ja,nl,ko,it,en", paramLabel = "L,...",
            description = "The languages, as MKQA's queries name them (ar da de en es fi fr he hu it ja km ko ms nl no "
                    + "pl pt ru sv th tr vi zh_cn zh_hk zh_tw; default: ${DEFAULT-VALUE}, the paper's).")
    List<String> langs;
    @Option(names = "--n", defaultValue = "1000", paramLabel = "N",
            description = "Questions per language (default: ${DEFAULT-VALUE}, the paper's).")
    int n;
    @Option(names = "--out", required = true, paramLabel = "DIR",
            description = "The folder to write; files there of the same names are replaced.")
    Path out;
    @Option(names = "--pickle", description = "Also write mkqa_example_sentences.pkl, the original's layout.")
    boolean pickle;
    @Mixin
    QuietOption quiet;

    @Override
    public Integer call() {
        MkqaSentences.Selection s = MkqaSentences.select(from, langs, n);
        List<DatasetWriter.Output> outputs = MkqaSentences.write(from, n, s, out, pickle);
        if (quiet.quiet) return 0;
        PrintWriter stdout = Cli.console(spec).out();
        stdout.printf("%s: %s examples read, %s taken, %s passed over%n", from, s.counts().get("examples_read"),
                s.counts().get("taken"), s.counts().get("passed_over"));
        for (DatasetWriter.Output o : outputs) stdout.printf("wrote %s (%d)%n", out.resolve(o.file()), o.items());
        stdout.println("wrote " + out.resolve("manifest.json"));
        return 0;
    }
}
