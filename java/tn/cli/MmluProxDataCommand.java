package tn.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import tn.data.DatasetWriter;
import tn.data.MmluProxDownload;
import tn.reasoning.MmluProxLanguage;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

@Command(name = "mmlu-prox", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"One language of MMLU-ProX as downloaded from Hugging Face, as the files tn reasoning takes.", "",
                "Finds the test and validation splits of --lang in --from (li-lab/MMLU-ProX as hf download or the "
                        + "datasets cache lays it out: LANG/test-00000-of-00001.parquet; also LANG/test/0000.parquet, "
                        + "test.parquet, test.jsonl(.gz), in LANG/ or in --from itself), reads every shard, checks "
                        + "every row, and writes --out/test.jsonl and --out/validation.jsonl (the rows in order, "
                        + "with the fields reasoning reads) and manifest.json (source files with sha256, rows per "
                        + "subject). tn reasoning also reads a split's single parquet file directly; this command "
                        + "finds the files, joins shards and checks them before a long run."},
        footer = {"", "Example:",
                "  hf download li-lab/MMLU-ProX --repo-type dataset --include 'ja/*' --local-dir mmlu-prox",
                "  tn data mmlu-prox --from mmlu-prox --lang ja --out data/mmlu-prox/ja",
                "  tn reasoning --test data/mmlu-prox/ja/test.jsonl --fewshot data/mmlu-prox/ja/validation.jsonl "
                        + "--lang ja ..."})
final class MmluProxDataCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;
    @Option(names = "--from", required = true, paramLabel = "DIR",
            description = "The downloaded dataset: the folder holding LANG/, or the language's folder itself.")
    Path from;
    @Option(names = "--lang", required = true, paramLabel = "XX",
            description = "The language, one of MMLU-ProX's 29 (af ar bn cs de en es fr hi hu id it ja ko mr ne pt ru "
                    + "sr sw te th uk ur vi wo yo zh zu).")
    String lang;
    @Option(names = "--out", required = true, paramLabel = "DIR",
            description = "The folder to write; files there of the same names are replaced.")
    Path out;
    @Mixin
    QuietOption quiet;

    @Override
    public Integer call() {
        MmluProxLanguage.of(lang);
        List<MmluProxDownload.Split> splits = MmluProxDownload.convert(from, lang, new DatasetWriter(out, false));
        if (quiet.quiet) return 0;
        PrintWriter stdout = Cli.console(spec).out();
        for (MmluProxDownload.Split s : splits) {
            stdout.printf("%s: %d rows from %s%n", s.name(), s.rows(),
                    String.join(", ", s.shards().stream().map(r -> r.file().toString()).toList()));
            stdout.printf("wrote %s%n", out.resolve(s.name() + ".jsonl"));
        }
        stdout.println("wrote " + out.resolve("manifest.json"));
        return 0;
    }
}
