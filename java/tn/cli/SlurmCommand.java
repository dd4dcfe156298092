package tn.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Unmatched;
import tn.io.Console;
import tn.io.ControlChars;
import tn.jobs.Step;
import tn.run.OutputFolder;
import tn.run.Shard;
import tn.slurm.JobFile;
import tn.slurm.JobWatch;
import tn.slurm.Slurm;
import tn.slurm.SlurmExecutor;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;

@Command(name = "slurm", mixinStandardHelpOptions = true, sortOptions = false,
        subcommands = {SlurmCommand.Resume.class, SlurmCommand.Wait.class},
        description = {"Runs a run command on a Slurm cluster as N shards and a merge.", "",
                "Writes batch scripts into OUT/slurm (readable; sbatch takes them by hand too), submits an array job "
                        + "of N tasks, task K running 'tn RUN_COMMAND ... --shard K/N --out OUT/shards/K --resume', and a "
                        + "merge job that waits for all of them (afterok) and writes the run's outputs into OUT "
                        + "('tn merge'), and prints the job ids. OUT/slurm/jobs.json keeps them, logs go to "
                        + "OUT/slurm/logs. The jobs start tn as this tn was started (the same java and class path), in "
                        + "this folder: relative paths mean what they mean here. The output is the unsharded run's: "
                        + "the same ranking.tsv, scores within float64 re-association error.",
                "",
                "A shard that is requeued continues from its checkpoint. 'tn slurm resume OUT' resubmits the shards "
                        + "that did not finish (cancelled, failed, timed out) and the merge; finished shards are never run "
                        + "again. 'tn slurm wait OUT' follows the jobs of the last submission.",
                ""},
        footer = {"", "Examples:", "  tn slurm detect --model M.gguf --type type1 --lang ja --top-n 1000 \\",
                "      --centroids c/centroids.npy --sentences ja.txt --out out/ja/type1 \\",
                "      --shards 8 --partition gpu --gpus-per-task 1 --time 1:00:00 --wait",
                "  tn slurm resume out/ja/type1 --wait", "",
                "Exit codes: 0 submitted (with --wait: every job finished), 1 a job did not finish (each is named "
                        + "with its log) or Slurm refused, 2 bad usage, 3 bad input."})
final class SlurmCommand implements Callable<Integer> {
    /** Options of a run that tn slurm sets itself. */
    private static final Set<String> OWN = Set.of("--out", "--shard", "--resume");

    @Spec
    CommandSpec spec;

    @Option(order = 40, names = "--shards", paramLabel = "N", description = "Shards of the run: the array job's tasks.")
    Integer shards;

    @Mixin
    SlurmOptions slurm;

    @Mixin
    WaitOptions wait;

    @Unmatched
    List<String> run = new ArrayList<>();

    @Override
    public Integer call() {
        if (run.isEmpty())
            throw usage("give the run: tn slurm RUN_COMMAND ... --out OUT --shards N (see tn slurm --help)");
        if (shards == null) throw usage("--shards N is missing: how many shards to split the run into");
        checkShards(spec, shards);
        CommandLine.ParseResult given = parseRun(run);
        RunCommand command = (RunCommand) given.commandSpec().userObject();
        if (command.run.shard != null) throw usage("drop --shard from the run: tn slurm shards it itself (--shards N)");
        if (command.deactivation() != null && command.deactivation().seeds().size() > 1) {
            throw usage("--baseline-seeds runs one whole run per seed, which tn slurm does not shard as one: submit "
                    + "each seed's run (--seed S --out OUT/seeds/S), then run the command with --baseline-seeds here "
                    + "to write their aggregate (the seeds that finished are not run again)");
        }
        Path out = command.out.dir.toAbsolutePath().normalize();
        // what every shard would find wrong only after queueing: checked here, once
        Map<String, List<Path>> inputs = CommandPaths.inputs(given);
        OutputFolder.checkPlace(command.out.dir, true, inputs);
        CommandPaths.checkReadable(inputs);
        List<String> args = withoutOwnOptions(run);
        parseRun(with(args, "--out", out.toString())); // what the jobs will run parses as the run given
        Step step = Step.run(run.get(0), args, out, List.of());
        JobFile jobs = new JobFile(typed(spec), Path.of("").toAbsolutePath(), Launcher.current(), slurm.sbatch(),
                shards, List.of(step), List.of());
        return submit(spec, out, jobs, wait);
    }

    static void checkShards(CommandSpec spec, int shards) {
        if (shards < 1 || shards > Shard.MAX) {
            throw new CommandLine.ParameterException(
                    spec.commandLine(), "--shards must be 1.." + Shard.MAX + ", is " + shards);
        }
    }

    /** Submits jobs into root and, with --wait, follows them: the exit code of tn slurm, study and sweep. */
    static int submit(CommandSpec spec, Path root, JobFile jobs, WaitOptions wait) {
        Console console = Cli.console(spec);
        JobFile submitted = new SlurmExecutor(new Slurm(), console).submit(root, jobs);
        return wait.wait ? follow(console, root, submitted, wait.poll) : 0;
    }

    /** Follows the latest submission in root to its end; 1 if a job did not finish. */
    static int follow(Console console, Path root, JobFile jobs, WaitOptions.Poll poll) {
        List<String> failures = new JobWatch(new Slurm(), console).follow(root, jobs, poll.every());
        if (failures.isEmpty()) {
            console.out().println("every job finished: outputs in " + root);
            console.out().flush();
            return 0;
        }
        console.err().println(
                "tn: " + failures.size() + (failures.size() == 1 ? " job" : " jobs") + " did not finish:");
        for (String f : failures) console.err().println("  " + f);
        console.err().println("resubmit what did not finish: tn slurm resume " + root);
        console.err().flush();
        return Tn.EXIT_FAILURE;
    }

    /** tn's arguments as typed. */
    static List<String> typed(CommandSpec spec) {
        CommandLine.ParseResult parsed = spec.root().commandLine().getParseResult();
        return parsed == null ? List.of() : List.copyOf(parsed.originalArgs());
    }

    /** The run command a command line describes, parsed as tn parses it. */
    private CommandLine.ParseResult parseRun(List<String> argv) {
        CommandLine.ParseResult parsed;
        try {
            parsed = Tn.commandLine().parseArgs(argv.toArray(new String[0]));
        } catch (CommandLine.ParameterException e) {
            throw usage("the run '" + ControlChars.escape(String.join(" ", argv)) + "': " + e.getMessage());
        }
        if (!parsed.hasSubcommand()
                || !(parsed.subcommand().commandSpec().userObject() instanceof RunCommand command)) {
            throw usage("'" + argv.get(0) + "' is not a run command: tn slurm runs " + String.join(", ", runCommands()));
        }
        return parsed.subcommand();
    }

    /** The names of tn's run commands, the ones that write a run folder and can be sharded, as registered. */
    static List<String> runCommands() {
        List<String> names = new ArrayList<>();
        Tn.commandLine().getSubcommands().forEach((name, cl) -> {
            if (cl.getCommandSpec().userObject() instanceof RunCommand) names.add(name);
        });
        return names;
    }

    /** The run's arguments without the options tn slurm sets itself (--out, --shard, --resume). */
    private static List<String> withoutOwnOptions(List<String> argv) {
        List<String> kept = new ArrayList<>();
        for (int i = 0; i < argv.size(); i++) {
            String a = argv.get(i);
            String name = a.contains("=") ? a.substring(0, a.indexOf('=')) : a;
            if (!OWN.contains(name)) {
                kept.add(a);
            } else if (!a.contains("=") && !name.equals("--resume")) {
                i++; // its value
            }
        }
        return kept;
    }

    private static List<String> with(List<String> args, String... more) {
        List<String> all = new ArrayList<>(args);
        all.addAll(Arrays.asList(more));
        return all;
    }

    private CommandLine.ParameterException usage(String message) {
        return new CommandLine.ParameterException(spec.commandLine(), message);
    }

    /** The folder of a Slurm submission (a picocli mixin). */
    static final class SubmissionDir {
        @Parameters(paramLabel = "DIR",
                description = "The output folder given to tn slurm (or to study or sweep on Slurm).")
        Path dir;

        Path root() {
            return dir.toAbsolutePath().normalize();
        }
    }

    @Command(name = "resume", mixinStandardHelpOptions = true, sortOptions = false,
            description = {"Resubmits what did not finish of a Slurm submission: the shards without their finished state, "
                            + "the steps without their outputs, and what waits for them. Finished shards and steps are left "
                            + "alone, never run again. Refused while jobs of it are still queued or running (but jobs that "
                            + "wait for a job that failed, which can never start, are cancelled).",
                    ""})
    static final class Resume implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        SubmissionDir dir;

        @Mixin
        WaitOptions wait;

        @Override
        public Integer call() {
            Console console = Cli.console(spec);
            Path root = dir.root();
            JobFile jobs = new SlurmExecutor(new Slurm(), console).resume(root);
            return wait.wait ? follow(console, root, jobs, wait.poll) : 0;
        }
    }

    @Command(name = "wait", mixinStandardHelpOptions = true, sortOptions = false,
            description = {"Follows the jobs of the last Slurm submission in DIR until they end; exit 1, naming each "
                            + "job that did not finish and its log, if any failed.",
                    ""})
    static final class Wait implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        SubmissionDir dir;

        @Mixin
        WaitOptions.Poll poll;

        @Override
        public Integer call() {
            Path root = dir.root();
            return follow(Cli.console(spec), root, JobFile.read(root), poll);
        }
    }
}
