package tn.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import tn.io.InputException;
import tn.record.RunJson;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

@Command(name = "merge", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Adds up the shards of a run made with --shard K/N into the outputs of the whole run.", "",
                "Every run command takes --shard K/N: it runs the K-th of N slices of its items and leaves its partial "
                        + "sums in its folder (shard-state.bin, run.json). Given the folders of all N shards, merge "
                        + "rebuilds the run from the command line the shards recorded (paths as seen from the folder "
                        + "they ran in), checks that every shard belongs to it (same model, data and parameters: the "
                        + "same fingerprint) and that every K of N is there exactly once, and writes the outputs the "
                        + "unsharded run writes. Shards are slices of whole batches, so the forward passes are the same "
                        + "bit for bit and the merged numbers differ from an unsharded run's only by the order their "
                        + "sums were added in (relative 1e-12 at most).",
                ""},
        footer = {"", "Example:", "  tn detect ... --shard 1/3 --out out/shards/1   (and 2/3, 3/3, anywhere)",
                "  tn merge --out out out/shards/1 out/shards/2 out/shards/3"})
final class MergeCommand implements Callable<Integer> {
    @Spec
    CommandLine.Model.CommandSpec spec;

    @Mixin
    OutOption out;

    @Mixin
    ForceOption force;

    @Parameters(arity = "1..*", paramLabel = "SHARD_DIR",
            description = "The folders of the shards, each K of N once, in any order.")
    List<Path> shards;

    @Override
    public Integer call() {
        RunJson first = RunJson.of(shards.get(0));
        if (first.optionalText("run.shard.k").isEmpty()) {
            throw new InputException(first.file()
                    + ": not a shard (run.shard is missing): give the folders of runs made "
                    + "with --shard K/N");
        }
        List<String> argv = first.texts("run.command_line");
        Path ranIn = Path.of(first.text("run.working_directory"));
        CommandLine replay = Tn.commandLine(ranIn);
        CommandLine.ParseResult parsed;
        try {
            parsed = replay.parseArgs(argv.toArray(new String[0]));
        } catch (CommandLine.ParameterException e) {
            throw new InputException(first.file() + ": its command line no longer parses (" + e.getMessage() + ")");
        }
        while (parsed.hasSubcommand()) parsed = parsed.subcommand();
        if (!(parsed.commandSpec().userObject() instanceof RunCommand command)) {
            throw new InputException(first.file() + ": its command line is not a run: " + String.join(" ", argv));
        }
        tn.run.Run run = command.unsharded(out.dir, Cli.console(spec), argv).replace(force.force);
        run.merge(shards);
        return 0;
    }
}
